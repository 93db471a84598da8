"""How the runner and its executor (threaded or process) talk to each other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from sergeant.task import Task
from sergeant.worker.outcomes import Decision
from sergeant.worker.task_timer import Deadlines


class Finished(NamedTuple):
    task: Task
    decision: Decision
    run_s: float | None  # None: it never ran here (cancelled while buffered, abandoned at the drain deadline)


class ExecutorRuntime(Protocol):
    """What an executor needs from the runner that owns it."""

    def tasks_finished(self, finished: Sequence[Finished]) -> None: ...

    def task_stuck(self, task: Task, deadlines: Deadlines) -> None:
        """A task ignored its timeout past the grace period: report it TIMED_OUT and recycle the process."""
        ...

    def should_stop(self) -> bool: ...


class Executor(Protocol):
    name: str

    def start(self) -> None: ...

    def run_available(self) -> None:
        """Called by the lease loop; returns once the buffered tasks are taken (or the worker stops)."""
        ...

    def running(self) -> list[Task]:
        """Tasks started here whose outcomes the runner has not been handed yet."""
        ...

    def cancel(self, task_id: str) -> bool:
        """Interrupt ``task_id`` if it is running here; False when it is not."""
        ...

    def idle(self) -> bool:
        """Whether a task taken now would start at once."""
        ...

    def join(self, timeout_s: float) -> list[Task]:
        """Wait for running tasks; returns those still running after ``timeout_s`` (now abandoned)."""
        ...
