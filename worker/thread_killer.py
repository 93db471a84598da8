"""The thread killer: raises ``WorkerTimedout`` (or ``TaskCancelled``) inside an executor thread.

``PyThreadState_SetAsyncExc`` queues an exception that the target thread raises
at its next bytecode boundary.  So it cannot reach a thread blocked in a system
call (it lands when the call returns) or one running C code that holds the GIL
(a catastrophic regex: that freezes every thread, this one included).  For
those, a task still unfinished ``grace_period_s`` after its timeout is reported
TIMED_OUT and its process recycled; a GIL-holding one is killed from outside by
the killer process.

Each slot has a lock that the killer and the slot's thread both take, so an
exception is only ever queued while the thread is inside work(); one that was
queued but not yet raised when work() returned is withdrawn before the thread
moves on (the original library could hit the next task instead).
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType

from sergeant.task import Task
from sergeant.worker.interrupts import TaskCancelled, WorkerTimedout
from sergeant.worker.periodic import Periodic
from sergeant.worker.task_timer import Deadlines

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


def raise_in_thread(ident: int, exc_type: type[BaseException] | None) -> None:
    """Queue ``exc_type`` in thread ``ident``; None withdraws a queued one (ctypes passes NULL)."""
    _set_async_exc(ctypes.c_ulong(ident), None if exc_type is None else ctypes.py_object(exc_type))


class ThreadSlot:
    """One executor thread and the task it runs, as the thread killer sees them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ident = 0
        self.task: Task | None = None
        self.deadlines: Deadlines | None = None
        self.in_work = False
        self.fired: type[BaseException] | None = None  # what was queued in this task's work()
        self.cancel_requested = False
        self.abandoned = False  # reported stuck: whatever the thread decides later is dropped

    def begin(self, task: Task, deadlines: Deadlines) -> None:
        with self.lock:
            self.ident = threading.get_ident()
            self.task, self.deadlines = task, deadlines
            self.fired, self.cancel_requested, self.abandoned = None, False, False

    def end(self) -> bool:
        """The task is over; returns False when it had been abandoned as stuck."""
        with self.lock:
            self.task, self.deadlines = None, None
            return not self.abandoned

    def interrupt(self, task_id: str, exc_type: type[BaseException]) -> bool:
        """Raise ``exc_type`` in work() if this slot runs ``task_id`` (now, or as work() starts)."""
        with self.lock:
            if self.task is None or self.task.id != task_id:
                return False
            if exc_type is TaskCancelled:
                self.cancel_requested = True
            if self.in_work and self.fired is None:
                raise_in_thread(self.ident, exc_type)
                self.fired = exc_type
            return True

    def guard(self) -> _WorkGuard:
        return _WorkGuard(self)


class _WorkGuard:
    """Marks the thread as inside work(): the only place an exception may be queued."""

    def __init__(self, slot: ThreadSlot) -> None:
        self._slot = slot

    def __enter__(self) -> None:
        slot = self._slot
        with slot.lock:
            if slot.cancel_requested:
                slot.fired = TaskCancelled
                raise TaskCancelled()
            slot.in_work = True

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        slot = self._slot
        slot.in_work = False  # first: from here on the killer leaves this thread alone
        with slot.lock:  # waits out a killer that decided before it saw in_work go false
            fired, deadlines = slot.fired, slot.deadlines
        if fired is not None and not isinstance(value, fired):
            raise_in_thread(slot.ident, None)
        if kind is None and deadlines is not None and (overran := deadlines.overran()) is not None:
            raise overran


class ThreadKiller(Periodic):
    def __init__(self, slots: Sequence[ThreadSlot], on_stuck: Callable[[ThreadSlot, Task, Deadlines], None],
                 interval_s: float = 0.05) -> None:
        super().__init__("thread-killer", interval_s)
        self._slots = slots
        self._on_stuck = on_stuck

    def tick(self) -> None:
        now = time.monotonic()
        stuck: list[tuple[ThreadSlot, Task, Deadlines]] = []
        for slot in self._slots:
            with slot.lock:
                deadlines, task = slot.deadlines, slot.task
                if task is None or deadlines is None or deadlines.soft_at == math.inf:
                    continue
                if slot.in_work and slot.fired is None and now >= deadlines.soft_at:
                    raise_in_thread(slot.ident, WorkerTimedout)
                    slot.fired = WorkerTimedout
                elif not slot.abandoned and now >= deadlines.stuck_at:
                    slot.abandoned = True
                    stuck.append((slot, task, deadlines))
        for slot, task, deadlines in stuck:
            self._on_stuck(slot, task, deadlines)
