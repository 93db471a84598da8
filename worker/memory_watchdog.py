"""Kills a worker whose memory (its process and all its children) grows past the limit.

The kill is a SIGKILL of the whole tree: a worker over its limit may not have
the memory to wind down.  The spawner then sees the death, its leases go back
to their queues at once, and the slot is respawned.
"""

from __future__ import annotations

import logging
import threading

from sergeant.logs import log
from sergeant.worker.resources import tree_rss_bytes
from sergeant.worker.spawner import Spawner

logger = logging.getLogger("sergeant.supervisor.memory")


class MemoryWatchdog:
    def __init__(self, spawner: Spawner, limit_bytes: int, interval_s: float = 0.5) -> None:
        self._spawner = spawner
        self._limit_bytes = limit_bytes
        self._interval_s = interval_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-watchdog", daemon=True)

    def start(self) -> None:
        if self._limit_bytes > 0:
            self._thread.start()

    def shutdown(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(2.0)

    def _run(self) -> None:
        while not self._stopped.wait(self._interval_s):
            for child in self._spawner.live():
                rss = tree_rss_bytes(child.pid)
                if rss > self._limit_bytes and not child.killed_for:
                    log(logger, logging.WARNING, "supervisor.memory_limit_exceeded", pid=child.pid,
                        worker=child.worker_id, rss_bytes=rss, limit_bytes=self._limit_bytes)
                    child.kill("memory limit")
