"""Logs the state of every worker process now and then.

Each worker also heartbeats its pid, memory, tasks done and current tasks to
the gateway, so ``Operations.ListWorkers`` shows the same from anywhere; this
log is for whoever reads the supervisor's own output.
"""

from __future__ import annotations

import logging

from sergeant.logs import log
from sergeant.worker.periodic import Periodic
from sergeant.worker.resources import tree_rss_bytes
from sergeant.worker.spawner import Spawner

logger = logging.getLogger("sergeant.supervisor.reporter")


class Reporter(Periodic):
    def __init__(self, spawner: Spawner, interval_s: float = 30.0) -> None:
        super().__init__("reporter", interval_s)
        self._spawner = spawner

    def start(self) -> None:
        if self.interval_s > 0:
            super().start()

    def tick(self) -> None:
        children = [{"slot": c.slot, "pid": c.pid, "worker": c.worker_id, "rss_bytes": tree_rss_bytes(c.pid),
                     "uptime_s": round(c.lived_s, 1)} for c in self._spawner.live()]
        log(logger, logging.INFO, "supervisor.children", children=children)
