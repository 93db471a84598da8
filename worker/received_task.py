"""What ``work()`` receives: the envelope's fields with the kwargs already decoded."""

from __future__ import annotations

import dataclasses
from typing import Any

from sergeant.encoder import decode_kwargs
from sergeant.task import Priority, Task


@dataclasses.dataclass(frozen=True, slots=True)
class ReceivedTask:
    id: str
    queue: str
    kwargs: dict[Any, Any]  # decoded with the serializer and compressor the envelope records
    attempt: int  # attempts that already failed: 0 on the first run
    max_attempts: int
    trace_id: str
    priority: Priority
    created_at: float  # unix seconds
    timeout_s: float  # the task's own timeout; 0: the worker's configured one
    idempotency_key: str
    lease_id: str

    @classmethod
    def from_envelope(cls, task: Task) -> ReceivedTask:
        """Decode a leased envelope; raises EncodingError when its kwargs do not decode."""
        return cls(
            id=task.id, queue=task.queue,
            kwargs=task.kwargs if isinstance(task.kwargs, dict) else decode_kwargs(task.kwargs, task.serializer,
                                                                                   task.compressor),
            attempt=task.attempt, max_attempts=task.max_attempts, trace_id=task.trace_id, priority=task.priority,
            created_at=task.created_at, timeout_s=task.timeout_s, idempotency_key=task.idempotency_key,
            lease_id=task.lease_id,
        )
