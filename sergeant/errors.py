"""The one error root of Sergeant.

Every error names the operation that failed (``op``), carries a gRPC canonical
status code name, and typed context (queue, task id).  The gateway maps these to
gRPC statuses in exactly one place (``sergeant.service.errors``).
"""

from __future__ import annotations

from typing import ClassVar


class SergeantError(Exception):
    """Root of every error Sergeant raises on purpose."""

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str, *, op: str = "", queue: str = "", task_id: str = "") -> None:
        self.message = message
        self.op = op
        self.queue = queue
        self.task_id = task_id
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ", ".join(
            part for part in (f"queue={self.queue!r}" if self.queue else "",
                              f"task={self.task_id!r}" if self.task_id else "") if part
        )
        prefix = f"{self.op}: " if self.op else ""
        return f"{prefix}{self.message}" + (f" ({where})" if where else "")


class InvalidArgument(SergeantError):
    """The caller sent something malformed: a bad queue name, undecodable kwargs, a bad setting."""

    code = "INVALID_ARGUMENT"


class PayloadTooLarge(InvalidArgument):
    """A task's kwargs exceed the configured size limit."""


class TaskNotFound(SergeantError):
    """No task with that id exists in that queue (or its result has expired)."""

    code = "NOT_FOUND"


class LeaseLost(SergeantError):
    """The lease this outcome refers to is no longer held: it expired or was released."""

    code = "FAILED_PRECONDITION"


class StoreMismatch(SergeantError):
    """A worker uses another store (or key prefix) than its gateway: its tasks would never meet."""

    code = "FAILED_PRECONDITION"


class QueueFull(SergeantError):
    """The queue is at its configured maximum depth: back off and retry."""

    code = "RESOURCE_EXHAUSTED"


class StoreUnavailable(SergeantError):
    """The backing store cannot be reached; nothing was written by the failed call."""

    code = "UNAVAILABLE"


class ListenFailed(SergeantError):
    """The gateway cannot bind its listen address."""

    code = "UNAVAILABLE"


class Unauthenticated(SergeantError):
    code = "UNAUTHENTICATED"


class PermissionDenied(SergeantError):
    code = "PERMISSION_DENIED"


class EncodingError(InvalidArgument):
    """A value could not be serialized, or bytes could not be decoded."""
