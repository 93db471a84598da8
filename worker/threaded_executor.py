"""The threaded executor: ``number_of_threads`` threads take leased tasks from the buffer."""

from __future__ import annotations

import threading
import time

from sergeant.task import Task
from sergeant.worker.execution import Execution
from sergeant.worker.executor_protocols import ExecutorRuntime, Finished
from sergeant.worker.interrupts import TaskCancelled
from sergeant.worker.reports import Reports
from sergeant.worker.task_buffer import TaskBuffer
from sergeant.worker.task_timer import Deadlines, TaskTimer
from sergeant.worker.thread_killer import ThreadKiller, ThreadSlot


class ThreadedExecutor:
    name = "threaded"

    def __init__(self, *, execution: Execution, buffer: TaskBuffer, runtime: ExecutorRuntime, timer: TaskTimer,
                 threads: int) -> None:
        self._execution = execution
        self._buffer = buffer
        self._runtime = runtime
        self._timer = timer
        self._slots = [ThreadSlot() for _ in range(threads)]
        self._reports = Reports(runtime)
        self._killer = ThreadKiller(self._slots, self._stuck)
        self._threads = [threading.Thread(target=self._loop, args=(slot,), name=f"executor-{n}", daemon=True)
                         for n, slot in enumerate(self._slots)]

    def start(self) -> None:
        self._reports.start()
        self._killer.start()
        for thread in self._threads:
            thread.start()

    def run_available(self) -> None:
        """The threads take tasks themselves; the caller only waits for the buffer to run dry."""
        self._buffer.wait_until_empty(0.2)

    def running(self) -> list[Task]:
        # Racy reads of other threads' slots and lists: the caller only counts and lists them.
        running = [task for slot in self._slots if (task := slot.task) is not None]
        running.extend(finished.task for finished in self._reports.pending())
        return running

    def cancel(self, task_id: str) -> bool:
        return any(slot.interrupt(task_id, TaskCancelled) for slot in self._slots)

    def idle(self) -> bool:
        return any(slot.task is None for slot in self._slots)  # a racy read is fine: the caller only paces leasing

    def join(self, timeout_s: float) -> list[Task]:
        """Wait for running tasks to finish; returns those still running (not stuck) after ``timeout_s``."""
        give_up = time.monotonic() + timeout_s
        for thread, slot in zip(self._threads, self._slots, strict=True):
            while thread.is_alive() and not slot.abandoned and (left := give_up - time.monotonic()) > 0:
                thread.join(min(left, 0.1))
        self._killer.shutdown()
        self._reports.close()
        still = []
        for slot in self._slots:
            with slot.lock:
                if slot.task is not None and not slot.abandoned:
                    slot.abandoned = True  # the runner settles it; a late result is dropped
                    still.append(slot.task)
        return still

    def _loop(self, slot: ThreadSlot) -> None:
        reports = self._reports
        while True:
            task = self._buffer.take(0)
            if task is None:
                reports.flush()  # before waiting: nothing finished here waits on the next lease
                task = self._buffer.take(0.5)
                if task is None:
                    if self._buffer.closed:
                        return
                    continue
            deadlines = self._timer.start(task)
            slot.begin(task, deadlines)
            started = time.monotonic()
            try:
                decision = self._execution.run(task, slot.guard())
            finally:
                kept = slot.end()
                self._timer.stop(deadlines)
            if not kept:
                reports.flush()
                return  # reported stuck (or past the drain deadline): its outcome is out, this process is ending
            ended = time.monotonic()
            reports.add(Finished(task, decision, ended - started), ended)

    def _stuck(self, slot: ThreadSlot, task: Task, deadlines: Deadlines) -> None:
        self._timer.stop(deadlines)  # the process can still act: no need to kill it from outside
        self._runtime.task_stuck(task, deadlines)
