"""Settles the tasks that succeeded straight in the store, a lease at a time, and publishes their progress first.

A success is the common outcome, so it takes the shortest road: no message per
task to the gateway, but one ``store.settle`` per lease (pipelined over every
lease with news), carrying only the results that were asked for.  A lease whose
every task succeeded settles whole; one with other outcomes (failures, retries,
cancels, tasks given back, which go their own ways) settles the cumulative set of
its successes, so a settlement never finishes a task that did not succeed.

Progress reports take the same road and are published before any settlement the
thread makes after them, so that a watcher never sees a task finish before its
progress.  A lease settles the moment its last task ends, so a lone task is settled at
once; the successes of a lease still running wait up to ``_LINGER_S`` for the rest of
it, so that a big lease settles whole in one call instead of in many growing parts.
Progress is published at once.  A store error keeps everything for the next try;
the lease keeper keeps the leases alive meanwhile.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence

from sergeant.errors import SergeantError
from sergeant.logs import log
from sergeant.store.base import Settlement, Store
from sergeant.task import Task, TaskEvent, TaskResult, TaskState

logger = logging.getLogger("sergeant.worker.settler")

_RETRY_S = 0.5  # after a store error
_MAX_PROGRESS = 10_000  # unpublished progress kept while the store is away; past it the oldest go
_LINGER_S = 0.01  # measured: 1,000-task leases settled in parts cost a fifth of a worker's time


@dataclasses.dataclass
class _Lease:
    size: int
    finished: int = 0
    others: bool = False  # some task ended another way than success
    done: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    results: dict[str, TaskResult] = dataclasses.field(default_factory=dict)
    dirty: bool = False
    dirty_since: float = 0.0  # monotonic: the first success not yet settled

    @property
    def complete(self) -> bool:
        return self.finished >= self.size


class Settler:
    def __init__(self, store: Store, queue: str, on_settled: Callable[[str, Sequence[str]], None]) -> None:
        self._store = store
        self._queue = queue
        self._on_settled = on_settled  # (lease id, ids settled): the lease keeper stops extending them
        self._leases: dict[str, _Lease] = {}
        self._progress: collections.deque[TaskEvent] = collections.deque(maxlen=_MAX_PROGRESS)
        self._cond = threading.Condition()
        self._stopping = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="settler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def track(self, tasks: Sequence[Task]) -> None:
        if tasks:
            with self._cond:
                self._leases[tasks[0].lease_id] = _Lease(len(tasks))

    def succeeded(self, successes: Sequence[tuple[Task, bytes]]) -> None:
        """Tasks that succeeded, with their encoded results."""
        finished_at = time.time()
        with self._cond:
            for task, result in successes:
                lease = self._leases.get(task.lease_id)
                if lease is None:
                    continue
                lease.finished += 1
                lease.done.append((task.lease_position, task.id))
                if task.want_result:
                    lease.results[task.id] = TaskResult(TaskState.SUCCEEDED, result or None, None, finished_at,
                                                        task.attempt)
                if lease.complete or not lease.dirty:  # the thread's next deadline moved: wake it
                    if not lease.dirty:
                        lease.dirty_since = time.monotonic()
                    lease.dirty = True
                    self._cond.notify()

    def progress(self, event: TaskEvent) -> None:
        with self._cond:
            self._progress.append(event)
            self._cond.notify()

    def ended_otherwise(self, task: Task) -> None:
        """A task of a tracked lease failed, was cancelled or given back: its lease cannot settle whole."""
        with self._cond:
            lease = self._leases.get(task.lease_id)
            if lease is None:
                return
            lease.finished += 1
            lease.others = True
            if lease.complete and not lease.dirty and not lease.done:
                del self._leases[task.lease_id]
            elif lease.complete:
                lease.dirty = True
                self._cond.notify()

    def close(self, timeout_s: float) -> bool:
        """Settle what is left, then stop; False when some successes could not be settled in time."""
        give_up = time.monotonic() + timeout_s
        with self._cond:
            while self._news() or self._busy:
                left = give_up - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(min(left, 0.1))
            self._stopping = True
            left_over = sum(len(lease.done) for lease in self._leases.values() if lease.dirty)
            self._cond.notify_all()
        self._thread.join(timeout=5)
        return left_over == 0

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and (wait_s := self._due_in()) > 0:
                    self._cond.wait(wait_s)
                if self._stopping:
                    return
                progress = list(self._progress)
                self._progress.clear()
                batch = self._take()
                self._busy = True
            try:
                if progress:
                    self._store.publish(progress)
                    progress = []
                held = self._store.settle(self._queue, [s for s, _ in batch]) if batch else []
            except SergeantError as exc:
                log(logger, logging.WARNING, "settle.failed", queue=self._queue, leases=len(batch), error=str(exc),
                    consequence="kept for the next try; the leases are kept alive meanwhile")
                with self._cond:
                    self._progress.extendleft(reversed(progress))
                self._give_back(batch)
                time.sleep(_RETRY_S)
                continue
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
            with self._cond:
                for settlement, _ in batch:
                    lease = self._leases.get(settlement.lease_id)
                    if lease is not None and lease.complete and not lease.dirty:
                        del self._leases[settlement.lease_id]
            for (settlement, ids), was_held in zip(batch, held, strict=True):
                if not was_held:
                    log(logger, logging.WARNING, "settle.lease_lost", queue=self._queue, lease=settlement.lease_id,
                        tasks=len(ids), meaning="the lease ran out first: its tasks went back to the queue")
                self._on_settled(settlement.lease_id, ids)

    def _news(self) -> bool:
        return bool(self._progress) or any(lease.dirty for lease in self._leases.values())

    def _due_in(self) -> float:
        """Seconds until something must be published or settled (called with the lock held)."""
        if self._progress:
            return 0.0
        due = 1.0
        now = time.monotonic()
        for lease in self._leases.values():
            if lease.dirty:
                if lease.complete:
                    return 0.0
                due = min(due, lease.dirty_since + _LINGER_S - now)
        return due

    def _take(self) -> list[tuple[Settlement, list[str]]]:
        """Settlements for every lease with news (called with the lock held)."""
        batch = []
        for lease_id, lease in list(self._leases.items()):
            if not lease.dirty:
                continue
            whole = lease.complete and not lease.others
            batch.append((Settlement(lease_id, None if whole else list(lease.done), lease.results),
                          [task_id for _, task_id in lease.done]))
            lease.results = {}
            lease.dirty = False
        return batch

    def _give_back(self, batch: list[tuple[Settlement, list[str]]]) -> None:
        """A failed settle: its news goes back so that the next try carries it again."""
        with self._cond:
            for settlement, _ in batch:
                if (lease := self._leases.get(settlement.lease_id)) is not None:
                    lease.results.update(settlement.results)
                    lease.dirty = True
