"""Keeps this worker's leases alive until their outcomes are acknowledged.

Every ``lease_s / 3`` it extends each held lease (started, unstarted, or
finished with an outcome the gateway has not acknowledged yet), so a long task
or a slow gateway never lets a lease run out under a live worker.  Leases the
store no longer holds are reported, so that unstarted tasks among them are
dropped instead of being run twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence

from sergeant.errors import SergeantError
from sergeant.logs import log
from sergeant.store.base import Store
from sergeant.task import Task
from sergeant.worker.periodic import Periodic

logger = logging.getLogger("sergeant.worker.leases")


class LeaseKeeper(Periodic):
    def __init__(self, store: Store, queue: str, lease_s: float, on_lost: Callable[[set[str]], None]) -> None:
        self._store = store
        self._queue = queue
        self._lease_s = lease_s
        self._on_lost = on_lost
        self._held: dict[str, set[str]] = {}  # lease id -> ids of its tasks still held
        self._lock = threading.Lock()
        super().__init__("lease-keeper", lease_s / 3, join_s=5.0)

    def track(self, tasks: Sequence[Task]) -> None:
        with self._lock:
            for task in tasks:
                self._held.setdefault(task.lease_id, set()).add(task.id)

    def forget(self, leases: Iterable[tuple[str, str]]) -> None:
        """Stop extending these (lease id, task id) pairs: settled or given back."""
        with self._lock:
            for lease_id, task_id in leases:
                ids = self._held.get(lease_id)
                if ids is not None:
                    ids.discard(task_id)
                    if not ids:
                        del self._held[lease_id]

    def tick(self) -> None:
        with self._lock:
            batches = [(lease_id, sorted(ids)) for lease_id, ids in self._held.items()]
        for lease_id, ids in batches:
            try:
                still = set(self._store.extend(self._queue, ids, lease_id, self._lease_s))
            except SergeantError as exc:  # the store is down: try again next round, the lease has slack
                log(logger, logging.WARNING, "leases.extend_failed", queue=self._queue, error=str(exc))
                return
            lost = set(ids) - still
            if lost:
                # Some of these were settled between the snapshot and the extend: harmless, the
                # callback only drops tasks that have not started.
                self.forget((lease_id, task_id) for task_id in lost)
                self._on_lost(lost)
