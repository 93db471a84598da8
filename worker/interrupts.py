"""Control flow that the worker's actions and watchdogs raise inside a task.

These are not errors, so they do not descend from ``SergeantError``.  They
descend from ``BaseException`` so that a broad ``except Exception`` in user code
cannot swallow a timeout, a cancel or a retry request; ``finally`` blocks still
run.  The thread killer raises them by class, so each one must be constructible
without arguments.
"""

from __future__ import annotations


class WorkerInterrupt(BaseException):
    """Base of every control-flow signal raised inside ``work()``."""


class WorkerTimedout(WorkerInterrupt):
    """The task ran past its timeout (raised inside ``work()`` by a killer)."""

    def __str__(self) -> str:
        # Killers raise the bare class; the stored error should still say what happened.
        return super().__str__() or "work() ran past its timeout"


class TaskCancelled(WorkerInterrupt):
    """Someone cancelled the task while it ran (``Producer.Cancel`` / ``store.cancel``)."""


class WorkerRetry(WorkerInterrupt):
    """``retry(task)``: run the task again after ``delay_s`` (None: the store's backoff)."""

    def __init__(self, delay_s: float | None = None) -> None:
        super().__init__(delay_s)
        self.delay_s = delay_s


class WorkerMaxRetries(WorkerInterrupt):
    """``retry(task)`` found the task's attempts exhausted: it goes to the dead letters."""


class WorkerRequeue(WorkerInterrupt):
    """``requeue(task)``: put the task back after ``delay_s`` without counting an attempt."""

    def __init__(self, delay_s: float = 0.0) -> None:
        super().__init__(delay_s)
        self.delay_s = delay_s


class WorkerStop(WorkerInterrupt):
    """``stop()``: wind this worker down; its supervisor stops every worker and exits."""


class WorkerRespawn(WorkerInterrupt):
    """``respawn()``: wind this worker process down; its supervisor starts a fresh one."""
