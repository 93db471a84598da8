"""Logs the state of every worker process now and then.

Each worker also heartbeats its pid, memory, tasks done and current tasks to
the gateway, so ``Operations.ListWorkers`` shows the same from anywhere; this
log is for whoever reads the supervisor's own output.
"""

from __future__ import annotations

import logging
import threading

from sergeant.logs import log
from sergeant.worker.resources import tree_rss_bytes
from sergeant.worker.spawner import Spawner

logger = logging.getLogger("sergeant.supervisor.reporter")


class Reporter:
    def __init__(self, spawner: Spawner, interval_s: float = 30.0) -> None:
        self._spawner = spawner
        self._interval_s = interval_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reporter", daemon=True)

    def start(self) -> None:
        if self._interval_s > 0:
            self._thread.start()

    def shutdown(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(2.0)

    def _run(self) -> None:
        while not self._stopped.wait(self._interval_s):
            children = [{"slot": c.slot, "pid": c.pid, "worker": c.worker_id, "rss_bytes": tree_rss_bytes(c.pid),
                         "uptime_s": round(c.lived_s, 1)} for c in self._spawner.live()]
            log(logger, logging.INFO, "supervisor.children", children=children)
