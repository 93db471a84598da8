"""Hands a dead worker's leases back the moment its supervisor sees it die.

Without this, tasks leased by a worker killed mid-batch (hard timeout, memory
limit, OOM, ``kill -9``) would wait for their leases to run out.  The store
counts an attempt for each (the process died while holding it), keeps its
trace id, records why the process died, and returns it to the head of its
queue (or dead-letters it when its attempts are spent).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from sergeant.errors import SergeantError
from sergeant.logs import log
from sergeant.store import open_store
from sergeant.store.base import Store, StoreSettings
from sergeant.worker.child_process import ChildProcess
from sergeant.worker.death import Death

logger = logging.getLogger("sergeant.supervisor.leases")


class LeaseReturner:
    def __init__(self) -> None:
        self._stores: dict[tuple[str, str], Store] = {}  # by (url, key prefix)

    def start(self) -> None:
        """Stores are opened as children announce theirs (``prepare``)."""

    def prepare(self, children: Iterable[ChildProcess]) -> None:
        """Open the stores that announced children use now, so that a death costs no connection set-up."""
        for child in children:
            if child.store_url and (child.store_url, child.key_prefix) not in self._stores:
                with contextlib.suppress(SergeantError):  # retried at the next call, or at the death
                    self._store_of(child)

    def child_exited(self, child: ChildProcess, death: Death) -> int:
        """Settle every lease ``child`` still holds with the cause of its death; returns how many."""
        if not child.store_url:
            return 0  # it died before announcing itself, so before leasing anything
        try:
            store = self._store_of(child)
            if death.timed_out:  # the killer's tasks first, so that they say "timeout", not "died"
                store.fail(death.queue, death.timed_out)
            released = store.release_owner(child.worker_id, error=death.error)
            store.remove_worker(child.worker_id)
        except SergeantError as exc:
            log(logger, logging.ERROR, "supervisor.lease_return_failed", worker=child.worker_id, error=str(exc),
                consequence="its tasks return to their queue when their leases expire")
            return 0
        if released:
            log(logger, logging.WARNING, "supervisor.leases_returned", worker=child.worker_id, count=released,
                reason=death.reason)
        return released

    def _store_of(self, child: ChildProcess) -> Store:
        where = (child.store_url, child.key_prefix)
        store = self._stores.get(where)
        if store is None:
            store = self._stores[where] = open_store(child.store_url, StoreSettings(key_prefix=child.key_prefix))
        return store

    def shutdown(self) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()
