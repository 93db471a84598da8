"""What ``work()`` receives: the envelope's fields with the kwargs already decoded."""

from __future__ import annotations

import warnings
from typing import Any

from sergeant.encoder import decode_kwargs
from sergeant.task import Priority, Task


class ReceivedTask:
    """A leased task as work() sees it: read-only, with its kwargs decoded.

    A view of the envelope rather than a copy of its fields: at tens of thousands of tasks a second, a frozen
    dataclass of eleven fields cost more to build than running a no-op task."""

    __slots__ = ("_envelope", "kwargs")

    _envelope: Task
    kwargs: dict[Any, Any]  # decoded with the serializer and compressor the envelope records

    def __init__(self, envelope: Task, kwargs: dict[Any, Any]) -> None:
        object.__setattr__(self, "_envelope", envelope)
        object.__setattr__(self, "kwargs", kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a ReceivedTask is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        return (f"ReceivedTask(id={self.id!r}, queue={self.queue!r}, kwargs={self.kwargs!r}, "
                f"attempt={self.attempt}, trace_id={self.trace_id!r})")

    @property
    def id(self) -> str:
        return self._envelope.id

    @property
    def queue(self) -> str:
        return self._envelope.queue

    @property
    def attempt(self) -> int:
        """Attempts that already failed: 0 on the first run."""
        return self._envelope.attempt

    @property
    def max_attempts(self) -> int:
        return self._envelope.max_attempts

    @property
    def trace_id(self) -> str:
        return self._envelope.trace_id

    @property
    def priority(self) -> Priority:
        return self._envelope.priority

    @property
    def created_at(self) -> float:
        """Unix seconds."""
        return self._envelope.created_at

    @property
    def timeout_s(self) -> float:
        """The task's own timeout; 0: the worker's configured one."""
        return self._envelope.timeout_s

    @property
    def idempotency_key(self) -> str:
        return self._envelope.idempotency_key

    @property
    def lease_id(self) -> str:
        return self._envelope.lease_id

    @property
    def run_count(self) -> int:
        """0.27's name for ``attempt``."""
        warnings.warn("task.run_count is the Sergeant 0.27 name: use task.attempt (see docs/migrating.md)",
                      DeprecationWarning, stacklevel=2)
        return self.attempt

    @property
    def date(self) -> float:
        """0.27's name for ``created_at``."""
        warnings.warn("task.date is the Sergeant 0.27 name: use task.created_at (see docs/migrating.md)",
                      DeprecationWarning, stacklevel=2)
        return self.created_at

    @classmethod
    def from_envelope(cls, task: Task) -> ReceivedTask:
        """Decode a leased envelope; raises EncodingError when its kwargs do not decode."""
        kwargs = task.kwargs
        return cls(task, kwargs if isinstance(kwargs, dict) else decode_kwargs(kwargs, task.serializer,
                                                                               task.compressor))
