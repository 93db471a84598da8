"""The process executor: one task at a time, in the main thread of the worker process.

Running in the main thread is what lets a signal interrupt the task: a timer
of this process (``setitimer``: the kernel keeps it, so neither a busy machine
nor C code holding the GIL delays its start) sends SIGALRM at the soft timeout,
a cancel sends SIGUSR1 from inside, and the handler raises ``WorkerTimedout`` or
``TaskCancelled`` in work(), even while it sleeps in a system call, and even
inside long C loops of the standard library that check for signals (the regex
engine does, every few thousand steps).  A work() that swallows the exception
and returns is still reported TIMED_OUT; C code that never checks is ended by
the killer's SIGKILL at the end of the grace period.  work() must not use
SIGALRM (``signal.alarm``) itself.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from types import FrameType, TracebackType

from sergeant.errors import InvalidArgument
from sergeant.task import Task
from sergeant.worker.execution import Execution
from sergeant.worker.executor_protocols import ExecutorRuntime, Finished
from sergeant.worker.interrupts import TaskCancelled, WorkerTimedout
from sergeant.worker.reports import Reports
from sergeant.worker.task_buffer import TaskBuffer
from sergeant.worker.task_timer import Deadlines, TaskTimer

_SOFT_TOLERANCE_S = 0.05  # the timer and the handler read different clocks; this absorbs the difference


class _Current:
    """The task in hand, read by the signal handler (which must not take locks); as a context manager, the guard
    around its work(): arms the soft timeout and raises what was asked for before work() began."""

    def __init__(self, task: Task, deadlines: Deadlines) -> None:
        self.task = task
        self.deadlines = deadlines
        self.in_work = False
        self.pending: type[BaseException] | None = None  # asked for from another thread
        self.raised = False

    def __enter__(self) -> None:
        if self.pending is not None:  # cancelled before work() began
            self.raised = True
            raise self.pending()
        self.in_work = True
        soft_at = self.deadlines.soft_at
        if soft_at != math.inf:
            # Measured from the task's start; a timer already due fires at once.
            signal.setitimer(signal.ITIMER_REAL, max(soft_at - time.monotonic(), 1e-6))

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        timed = self.deadlines.soft_at != math.inf
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        self.in_work = False
        if timed and kind is None and (overran := self.deadlines.overran()) is not None:
            self.raised = True
            raise overran


class ProcessExecutor:
    name = "process"

    def __init__(self, *, execution: Execution, buffer: TaskBuffer, runtime: ExecutorRuntime,
                 timer: TaskTimer) -> None:
        self._execution = execution
        self._buffer = buffer
        self._runtime = runtime
        self._reports = Reports(runtime)
        self._timer = timer
        self._current: _Current | None = None
        self._main = threading.main_thread().ident

    def start(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            raise InvalidArgument("the process executor runs tasks in the main thread: call run() from it",
                                  op="worker.run")
        signal.signal(signal.SIGUSR1, self._on_signal)
        signal.signal(signal.SIGALRM, self._on_signal)
        self._reports.start()

    def run_available(self) -> None:
        """Run buffered tasks until the buffer is empty or the worker is stopping."""
        reports = self._reports
        try:
            while not self._runtime.should_stop():
                task = self._buffer.take(0)
                if task is None:
                    return
                self._run(task, reports)
        finally:
            reports.flush()

    def running(self) -> list[Task]:
        current = self._current
        return [current.task] if current is not None else []  # outcomes are handed over before run_available ends

    def cancel(self, task_id: str) -> bool:
        current = self._current
        if current is None or current.task.id != task_id:
            return False
        current.pending = TaskCancelled
        if current.in_work and self._main is not None:
            signal.pthread_kill(self._main, signal.SIGUSR1)
        return True

    def idle(self) -> bool:
        return self._current is None  # the lease loop asks from this thread, between tasks: always

    def join(self, timeout_s: float) -> list[Task]:
        self._reports.close()
        return []  # tasks run in the caller's thread: none is running when it winds down

    def _run(self, task: Task, reports: Reports) -> None:
        deadlines = self._timer.start(task)
        self._current = current = _Current(task, deadlines)
        started = time.monotonic()
        try:
            decision = self._execution.run(task, current)
        finally:
            self._current = None
            self._timer.stop(deadlines)
        ended = time.monotonic()
        reports.add(Finished(task, decision, ended - started), ended)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        current = self._current
        if current is None or not current.in_work or current.raised:
            return  # a late signal for a task that already returned
        exc_type = current.pending
        if exc_type is None and time.monotonic() >= current.deadlines.soft_at - _SOFT_TOLERANCE_S:
            exc_type = WorkerTimedout
        if exc_type is not None:
            current.raised = True
            raise exc_type()
