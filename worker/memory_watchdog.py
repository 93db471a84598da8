"""Kills a worker whose memory (its process and all its children) grows past the limit.

The kill is a SIGKILL of the whole tree: a worker over its limit may not have
the memory to wind down.  The spawner then sees the death, its leases go back
to their queues at once, and the slot is respawned.
"""

from __future__ import annotations

import logging

from sergeant.logs import log
from sergeant.worker.death import memory_kill_reason
from sergeant.worker.periodic import Periodic
from sergeant.worker.resources import tree_rss_bytes
from sergeant.worker.spawner import Spawner

logger = logging.getLogger("sergeant.supervisor.memory")


class MemoryWatchdog(Periodic):
    def __init__(self, spawner: Spawner, limit_bytes: int, interval_s: float = 0.5) -> None:
        super().__init__("memory-watchdog", interval_s)
        self._spawner = spawner
        self._limit_bytes = limit_bytes

    def start(self) -> None:
        if self._limit_bytes > 0:
            super().start()

    def tick(self) -> None:
        for child in self._spawner.live():
            rss = tree_rss_bytes(child.pid)
            if rss > self._limit_bytes and not child.killed_for:
                log(logger, logging.WARNING, "supervisor.memory_limit_exceeded", pid=child.pid,
                    worker=child.worker_id, rss_bytes=rss, limit_bytes=self._limit_bytes)
                child.kill(memory_kill_reason(rss, self._limit_bytes))
