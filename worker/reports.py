"""Finished tasks on their way from an executor to the runner, handed over a batch at a time.

Per task, the runner's bookkeeping (its lock, the metrics, the settler, the
outcome log) cost more than running a no-op task, so it is done once per
batch: when a batch is full, when an executor is about to wait or return, or
when the first task of a batch has waited ``_LINGER_S`` (a thread of its own
sees to that, so that a task finished just before a long one is not held back
until the long one ends).
"""

from __future__ import annotations

import threading
import time

from sergeant.worker.executor_protocols import ExecutorRuntime, Finished

_BATCH = 100
_LINGER_S = 0.005


class Reports:
    def __init__(self, runtime: ExecutorRuntime) -> None:
        self._runtime = runtime
        self._cond = threading.Condition()
        self._pending: list[Finished] = []
        self._since = 0.0  # monotonic: when the first pending task finished
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="reports", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def pending(self) -> list[Finished]:
        with self._cond:
            return list(self._pending)

    def add(self, finished: Finished, now: float) -> None:
        with self._cond:
            pending = self._pending
            if not pending:
                self._since = now
                self._cond.notify()  # the lingering clock starts
            pending.append(finished)
            if len(pending) < _BATCH and not self._closed:  # closed: a task that outlived join() goes at once
                return
        self.flush()

    def flush(self) -> None:
        with self._cond:
            batch, self._pending = self._pending, []
        if batch:
            self._runtime.tasks_finished(batch)

    def close(self) -> None:
        """Hand over what is left and stop the lingering thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(5.0)
        self.flush()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._pending or time.monotonic() < self._since + _LINGER_S):
                    self._cond.wait(None if not self._pending else self._since + _LINGER_S - time.monotonic())
                if self._closed:
                    return
            self.flush()
