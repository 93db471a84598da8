"""Gives back leased tasks that wait too long in this worker while its executors are busy.

A worker leases ``tasks_per_transaction`` tasks at a time; behind one long task
the rest of the batch would wait here while other workers sit idle (Celery's
prefetch starving).  Tasks added to the buffer more than ``prefetch_hold_s``
ago go back to the head of their queue, in order, keeping their attempt count,
and the runner leases again only once an executor is free.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sergeant.task import Task
from sergeant.worker.periodic import Periodic
from sergeant.worker.task_buffer import TaskBuffer


class PrefetchReturner(Periodic):
    def __init__(self, buffer: TaskBuffer, hold_s: float, give_back: Callable[[list[Task]], None]) -> None:
        self._buffer = buffer
        self._hold_s = hold_s
        self._give_back = give_back
        super().__init__("prefetch-returner", min(hold_s / 2, 1.0))

    def tick(self) -> None:
        waited = self._buffer.take_added_before(time.monotonic() - self._hold_s)
        if waited:
            self._give_back(waited)
