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
        self._lock = threading.Lock()  # a plain lock: taken once per task
        self._pending: list[Finished] = []
        self._since = 0.0  # monotonic: when the first pending task finished
        self._closed = False
        self._wake = threading.Event()  # set by the first task of a batch, and by close()
        self._thread = threading.Thread(target=self._run, name="reports", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def pending(self) -> list[Finished]:
        with self._lock:
            return list(self._pending)

    def add(self, finished: Finished, now: float) -> None:
        with self._lock:
            pending = self._pending
            pending.append(finished)
            count = len(pending)
            if count == 1:
                self._since = now
            full = count >= _BATCH or self._closed  # closed: a task that outlived join() goes at once
        if full:
            self.flush()
        elif count == 1:
            self._wake.set()  # the lingering clock starts

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            self._runtime.tasks_finished(batch)

    def close(self) -> None:
        """Hand over what is left and stop the lingering thread."""
        self._closed = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(5.0)
        self.flush()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            if self._closed:
                return
            self._wake.clear()  # before looking: a first task added from now on sets it again
            with self._lock:
                waiting, since = bool(self._pending), self._since
            if not waiting:
                continue
            if (left := since + _LINGER_S - time.monotonic()) > 0:
                time.sleep(left)
            self.flush()
