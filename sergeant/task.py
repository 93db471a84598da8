"""The task envelope and the records that describe a task's life.

These are plain dataclasses: no protobuf or store type appears here, so the
worker API, the stores and the gateway all speak the same small vocabulary.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import math
import os
import re
import time
from typing import Any

from sergeant.errors import InvalidArgument
from sergeant.limits import MAX_KEY_CHARS, quote

QUEUE_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
"""Queue names are 1-128 characters of letters, digits, '.', '_' and '-'.

Braces, colons and whitespace are excluded so that a name can never escape a
key layout (Redis hash tags, Mongo field paths, log lines)."""

TASK_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class Priority(enum.IntEnum):
    """HIGH tasks are leased before NORMAL ones; within a priority, FIFO."""

    NORMAL = 1
    HIGH = 2


class Serializer(enum.StrEnum):
    MSGPACK = "msgpack"
    PICKLE = "pickle"


class Compressor(enum.StrEnum):
    NONE = "none"
    ZLIB = "zlib"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    LZMA = "lzma"
    ZSTD = "zstd"
    LZ4 = "lz4"


class TaskState(enum.StrEnum):
    """Where a task is in its life (see docs/protocol.md for the diagram)."""

    PENDING = "pending"  # ready to lease
    SCHEDULED = "scheduled"  # delayed: waiting for its not-before time (includes retry backoff)
    ACTIVE = "active"  # leased by a worker
    SUCCEEDED = "succeeded"
    DEAD = "dead"  # failed for good: max attempts reached, or failed without retry
    CANCELLED = "cancelled"


TERMINAL_STATES = frozenset({TaskState.SUCCEEDED, TaskState.DEAD, TaskState.CANCELLED})


class EventKind(enum.StrEnum):
    STARTED = "started"
    PROGRESS = "progress"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    DEAD = "dead"
    CANCELLED = "cancelled"
    CANCEL_REQUESTED = "cancel_requested"  # a running task was asked to stop; routed to its worker


DEFAULT_MAX_ATTEMPTS = 5


@dataclasses.dataclass(slots=True)
class Task:
    """The envelope: everything a worker in any language needs to run a task."""

    id: str
    queue: str
    # Encoded as serializer and compressor say; a task leased from the packed layout carries its msgpack kwargs
    # already decoded (a whole lease is decoded in one call), so workers never decode them twice.
    kwargs: bytes | dict[Any, Any]
    serializer: Serializer = Serializer.MSGPACK
    compressor: Compressor = Compressor.NONE
    priority: Priority = Priority.NORMAL
    not_before: float = 0.0  # unix seconds; 0 means "now"
    attempt: int = 0  # attempts that already failed (or timed out, or died)
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    timeout_s: float = 0.0  # 0: the worker's configured timeout
    idempotency_key: str = ""
    trace_id: str = ""
    created_at: float = 0.0
    # Set only on a leased task: which lease holds it and until when.
    lease_id: str = ""
    lease_deadline: float = 0.0
    # Keep the result (and a per-task state for GetTask, Watch and Cancel) once done; Submit always does.
    want_result: bool = False
    lease_position: int = 0  # 0-based place in its lease, which settles by position


@dataclasses.dataclass(frozen=True, slots=True)
class TaskError:
    type: str
    message: str
    traceback: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class TaskResult:
    """The terminal record of a task, kept for the result TTL (dead letters: until purged)."""

    state: TaskState
    result: bytes | None = None  # msgpack, as returned by work()
    error: TaskError | None = None
    finished_at: float = 0.0
    attempt: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class TaskInfo:
    """What GetTask answers: the state, the envelope while the store holds one, and the result."""

    queue: str
    task_id: str
    state: TaskState
    task: Task | None = None
    result: TaskResult | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class TaskEvent:
    queue: str
    task_id: str
    kind: EventKind
    at: float
    progress: float = 0.0  # 0..1 for PROGRESS
    message: str = ""
    data: bytes = b""  # msgpack detail for PROGRESS


def validate_queue_name(name: str, *, op: str = "") -> str:
    if not isinstance(name, str) or QUEUE_NAME_PATTERN.fullmatch(name) is None:
        raise InvalidArgument(
            f"invalid queue name {quote(name)}: use 1-128 of [A-Za-z0-9._-], starting with a letter or digit",
            op=op,
        )
    return name


def validate_task_id(task_id: str, *, op: str = "", queue: str = "") -> str:
    if not isinstance(task_id, str) or TASK_ID_PATTERN.fullmatch(task_id) is None:
        raise InvalidArgument(
            f"invalid task id {quote(task_id)}: use 1-128 of [A-Za-z0-9._:-]", op=op, queue=queue
        )
    return task_id


def finite_non_negative(value: float, field: str, *, op: str, queue: str = "", task_id: str = "") -> float:
    """Every float field of the protocol is a finite number >= 0 (NaN and infinities are refused)."""
    if not (value >= 0 and math.isfinite(value)):
        raise InvalidArgument(f"{field} must be a finite number >= 0, got {value!r}", op=op, queue=queue,
                              task_id=task_id)
    return value


def short_text(value: str, field: str, *, limit: int = MAX_KEY_CHARS, op: str, queue: str = "",
               task_id: str = "") -> str:
    if len(value) > limit:
        raise InvalidArgument(f"{field} is {len(value)} characters; the limit is {limit}: {quote(value)}", op=op,
                              queue=queue, task_id=task_id)
    return value


class _IdGenerator:
    """Unique, roughly time-ordered ids without a syscall per id.

    A random per-process prefix makes ids from different processes distinct; a
    counter seeded from the clock keeps them increasing within one process.  A
    forked child reseeds before it runs any Python code, so it never shares
    its parent's prefix.
    """

    def __init__(self) -> None:
        self._reseed()
        os.register_at_fork(after_in_child=self._reseed)

    def _reseed(self) -> None:
        self._prefix = os.urandom(6).hex()
        self._counter = itertools.count(time.time_ns() // 1000)

    def __call__(self) -> str:
        return f"{next(self._counter):014x}{self._prefix}"

    def many(self, count: int) -> list[str]:
        """``count`` ids in one call: a batch's ids cost half as much as one call each."""
        prefix = self._prefix
        return [f"{n:014x}{prefix}" for n in itertools.islice(self._counter, count)]


new_task_id = _IdGenerator()
