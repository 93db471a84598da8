"""Leased tasks that no executor has started yet, in lease order.

Keeping them in one place is what lets a stopping worker hand them back to the
head of their queue, in order, the moment it decides to stop, and lets a busy
worker give back the tasks that have waited here too long.
"""

from __future__ import annotations

import collections
import itertools
import threading
import time
from collections.abc import Collection, Sequence

from sergeant.task import Task


class TaskBuffer:
    def __init__(self) -> None:
        self._tasks: collections.deque[tuple[float, Task]] = collections.deque()  # (monotonic time added, task)
        self._cond = threading.Condition()
        self._closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def closed(self) -> bool:
        return self._closed

    def add(self, tasks: Sequence[Task]) -> None:
        added = time.monotonic()
        with self._cond:
            self._tasks.extend(zip(itertools.repeat(added), tasks))
            self._cond.notify(len(tasks))

    def take(self, timeout_s: float) -> Task | None:
        """The next task, waiting up to ``timeout_s``; None on timeout or once closed."""
        with self._cond:
            if not self._tasks and not self._closed and timeout_s > 0:
                self._cond.wait(timeout_s)
            if self._closed or not self._tasks:
                return None
            _, task = self._tasks.popleft()
            if not self._tasks:
                self._cond.notify_all()  # whoever waits for the buffer to run dry
            return task

    def wait_until_empty(self, timeout_s: float) -> bool:
        give_up = time.monotonic() + timeout_s
        with self._cond:
            while self._tasks and not self._closed:
                left = give_up - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return not self._tasks

    def remove(self, task_ids: Collection[str]) -> list[Task]:
        """Take out the named tasks (lost leases, cancels); returns those that were here."""
        with self._cond:
            taken = [t for _, t in self._tasks if t.id in task_ids]
            if taken:
                self._tasks = collections.deque(entry for entry in self._tasks if entry[1].id not in task_ids)
                self._cond.notify_all()
            return taken

    def take_added_before(self, before: float) -> list[Task]:
        """Take out the tasks added before ``before`` (monotonic), in lease order: the oldest are at the head."""
        with self._cond:
            taken = []
            while self._tasks and self._tasks[0][0] < before:
                taken.append(self._tasks.popleft()[1])
            if taken:
                self._cond.notify_all()
            return taken

    def close(self) -> list[Task]:
        """Refuse further takes and return what was left, in lease order."""
        with self._cond:
            self._closed = True
            left = [task for _, task in self._tasks]
            self._tasks.clear()
            self._cond.notify_all()
            return left
