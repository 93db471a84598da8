"""The one Store protocol that the Redis, MongoDB and SQLite backends implement.

The gateway writes through it and workers lease through it.  Each backend module
is the only code that knows its storage layout.  Semantics every backend must
keep (proven by tests/conformance):

* push is one round trip per batch; HIGH before NORMAL, FIFO within a priority;
* a task whose ``not_before`` is in the future is invisible until then;
* lease hands each task to one holder until its deadline; an expired lease is
  reclaimed with ``attempt + 1`` (dead-lettered once ``attempt`` reaches
  ``max_attempts``);
* ack stores the result for ``result_ttl_s``; fail retries with exponential
  backoff and jitter or dead-letters; release returns a task to the head of
  its queue without counting an attempt (unless asked to);
* every terminal transition and every lease publishes a ``TaskEvent``.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import enum
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from sergeant.errors import InvalidArgument, PayloadTooLarge, QueueFull
from sergeant.task import (
    TASK_ID_PATTERN,
    EventKind,
    Priority,
    Task,
    TaskError,
    TaskEvent,
    TaskInfo,
    TaskResult,
    TaskState,
    validate_queue_name,
    validate_task_id,
)

Clock = Callable[[], float]


@dataclasses.dataclass(frozen=True, slots=True)
class StoreSettings:
    """Behaviour shared by every backend. Each field documents its default."""

    result_ttl_s: float = 86_400.0  # results are readable by id for a day
    idempotency_ttl_s: float = 86_400.0  # a key dedupes pushes for a day
    max_payload_bytes: int = 1 << 20  # kwargs above 1 MiB are refused
    retry_base_s: float = 1.0  # first retry after ~1 s ...
    retry_cap_s: float = 3_600.0  # ... doubling, capped at an hour
    key_prefix: str = "sergeant"  # namespace of every key / collection / table


@dataclasses.dataclass(frozen=True, slots=True)
class StoreIdentity:
    """Which store and namespace a process uses: workers send theirs in their hello, and the gateway refuses
    one that is not its own."""

    kind: str  # "redis", "mongodb" or "sqlite"
    location: str  # redis: host:port/db; mongodb: host:port,.../database; sqlite: the file's absolute path
    key_prefix: str

    def __str__(self) -> str:
        return f"{self.kind} at {self.location} (key prefix {self.key_prefix!r})"


@dataclasses.dataclass(frozen=True, slots=True)
class PushResult:
    task_id: str
    created: bool  # False when an idempotency key matched an earlier push


@dataclasses.dataclass(frozen=True, slots=True)
class PackedRoute:
    """A packed task that cannot simply join the tail of its queue's NORMAL list."""

    index: int  # 0-based position in the batch
    priority: Priority
    not_before: float  # unix s; 0: now
    idempotency_key: str


@dataclasses.dataclass(frozen=True, slots=True)
class PackedBatch:
    """One queue's pushed batch in the packed form (docs/protocol.md, "The packed batch"), checked by the
    gateway, so that a store can keep it as bytes without building a Task per task."""

    queue: str
    records: bytes  # the task arrays, back to back, each one a msgpack array of packed format v1
    ends: Sequence[int]  # the byte offset where each record ends
    ids: Sequence[str]  # each record's id, in order
    created_at: float
    default_max_attempts: int  # for records whose max_attempts is left off
    want_results: bool
    routes: Sequence[PackedRoute] = ()  # only the records that are delayed, HIGH or carry an idempotency key


@dataclasses.dataclass(frozen=True, slots=True)
class Ack:
    """Finish a leased task: SUCCEEDED with its result, or CANCELLED when ``cancelled`` holds the error that
    stopped it (a producer cancelled it while it ran)."""

    task_id: str
    lease_id: str
    result: bytes | None = None
    cancelled: TaskError | None = None

    def record(self, finished_at: float, attempt: int) -> TaskResult:
        """The terminal record this ack stores."""
        if self.cancelled is not None:
            return TaskResult(TaskState.CANCELLED, None, self.cancelled, finished_at, attempt)
        return TaskResult(TaskState.SUCCEEDED, self.result, None, finished_at, attempt)

    @property
    def event(self) -> EventKind:
        return EventKind.SUCCEEDED if self.cancelled is None else EventKind.CANCELLED


@dataclasses.dataclass(frozen=True, slots=True)
class Settlement:
    """Tasks of one lease that succeeded: the whole lease, or a cumulative set of its tasks, and the results of
    those that asked for one (``Task.want_result``). A store keeps no record of a done task that asked for none."""

    lease_id: str
    done: Sequence[tuple[int, str]] | None = None  # (position in the lease, id) of every task done so far; None: all
    results: Mapping[str, TaskResult] = dataclasses.field(default_factory=dict)  # task id -> its SUCCEEDED record


@dataclasses.dataclass(frozen=True, slots=True)
class Failure:
    task_id: str
    lease_id: str
    error: TaskError
    retry: bool = True  # False: dead-letter now, whatever attempts remain
    delay_s: float | None = None  # None: exponential backoff with jitter


@dataclasses.dataclass(frozen=True, slots=True)
class Release:
    """Give a leased task back (requeue, drain, a dead worker's leases)."""

    task_id: str
    lease_id: str
    delay_s: float = 0.0
    count_attempt: bool = False


class Disposition(enum.StrEnum):
    """What an outcome did to its task."""

    DONE = "done"  # acked
    RETRYING = "retrying"  # scheduled again after a backoff
    REQUEUED = "requeued"  # back in its queue
    DEAD = "dead"  # moved to the dead-letter set
    LEASE_LOST = "lease_lost"  # the lease was not held (expired, released, or already settled)


@dataclasses.dataclass(frozen=True, slots=True)
class QueueCounts:
    queue: str
    ready: int
    delayed: int
    leased: int
    dead: int
    paused: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class DeadLetter:
    task: Task
    error: TaskError | None
    died_at: float


class CancelOutcome(enum.StrEnum):
    CANCELLED = "cancelled"  # it was queued; it will never run
    RUNNING = "running"  # it is leased; its worker was told to stop it
    FINISHED = "finished"  # it had already reached a terminal state


@dataclasses.dataclass(frozen=True, slots=True)
class WorkerRecord:
    """A connected worker process, as heartbeated by the gateway into the store."""

    worker_id: str
    queue: str
    pid: int
    host: str
    executor: str
    concurrency: int
    in_flight: int
    rss_bytes: int
    tasks_done: int
    last_heartbeat: float
    current_tasks: tuple[str, ...] = ()


class Subscription(Protocol):
    """Events of some queues, delivered without polling in a loop."""

    def get(self, timeout_s: float) -> list[TaskEvent]:
        """Block up to ``timeout_s`` for events; an empty list means the wait timed out."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class Following(Protocol):
    """A subscription to every queue (``subscribe([])``) that carries only the queues it is told to follow: on
    Redis Cluster each queue's events stay on its own master (sharded pub/sub)."""

    def follow(self, queue: str) -> concurrent.futures.Future[None]:
        """Carry ``queue``'s events from when the future is done (it fails if the subscription broke first)."""
        ...

    def unfollow(self, queue: str) -> None: ...


class Store(Protocol):
    settings: StoreSettings

    def identity(self) -> StoreIdentity:
        """Which store this is, as a worker tells its gateway (no round trip)."""
        ...

    # --- producing -----------------------------------------------------------
    def push(self, tasks: Sequence[Task], *, max_depth: int = 0) -> list[PushResult]:
        """Store a batch atomically in one round trip. ``max_depth`` > 0 refuses (QueueFull)
        a batch that would make any of its queues deeper than that."""
        ...

    def push_packed(self, batch: PackedBatch, *, max_depth: int = 0) -> list[tuple[int, str]]:
        """Store a packed batch atomically; return (index, id pushed first) for each record that duplicated an
        earlier push (same id, or same idempotency key within the window)."""
        ...

    # --- consuming -----------------------------------------------------------
    def lease(self, queue: str, count: int, lease_s: float, *, owner: str, wait_s: float = 0.0) -> list[Task]:
        """Lease up to ``count`` ready tasks for ``lease_s``; wait up to ``wait_s`` for one to appear."""
        ...

    def extend(self, queue: str, task_ids: Sequence[str], lease_id: str, lease_s: float) -> list[str]:
        """Push the deadline of held leases to now + ``lease_s``; return the ids still held."""
        ...

    def settle(self, queue: str, settlements: Sequence[Settlement]) -> list[bool]:
        """Finish what succeeded, a lease at a time; False where the lease was not held (expired or settled)."""
        ...

    def ack(self, queue: str, acks: Sequence[Ack]) -> list[Disposition]: ...

    def fail(self, queue: str, failures: Sequence[Failure]) -> list[Disposition]: ...

    def release(self, queue: str, releases: Sequence[Release]) -> list[Disposition]: ...

    def release_owner(self, owner: str, *, error: TaskError | None = None) -> int:
        """Give back every lease ``owner`` holds, counting an attempt (its process died); ``error`` says why."""
        ...

    def reclaim_expired(self, queue: str) -> int:
        """Return tasks whose lease deadline passed to their queue (or the dead letters)."""
        ...

    # --- reading and operating ---------------------------------------------
    def get(self, queue: str, task_id: str) -> TaskInfo: ...

    def cancel(self, queue: str, task_id: str) -> CancelOutcome: ...

    def counts(self, queue: str) -> QueueCounts: ...

    def queues(self) -> list[str]: ...

    def forget_idle_queues(self, idle_s: float) -> list[str]:
        """Stop listing (and sweeping) the queues that hold no task, live or dead, are not paused and had no push for
        ``idle_s``; a later push lists a queue again. Returns the queues forgotten."""
        ...

    def purge(self, queue: str) -> int:
        """Drop every ready and delayed task of ``queue``; leased ones finish normally."""
        ...

    def pause(self, queue: str) -> None: ...

    def resume(self, queue: str) -> None: ...

    def dead_letters(self, queue: str, *, limit: int = 100, offset: int = 0) -> list[DeadLetter]: ...

    def replay_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        """Move dead letters (all when ``task_ids`` is empty) back to their queue with attempts reset."""
        ...

    def purge_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int: ...

    # --- events ---------------------------------------------------------------
    def publish(self, events: Sequence[TaskEvent]) -> None: ...

    def subscribe(self, queues: Sequence[str]) -> Subscription: ...

    # --- workers registry -------------------------------------------------------
    def heartbeat_worker(self, record: WorkerRecord, ttl_s: float) -> None: ...

    def remove_worker(self, worker_id: str) -> None: ...

    def workers(self) -> list[WorkerRecord]: ...

    # --- locks and key/value ------------------------------------------------------
    def acquire_lock(self, name: str, owner: str, ttl_s: float) -> bool: ...

    def release_lock(self, name: str, owner: str) -> bool: ...

    def extend_lock(self, name: str, owner: str, ttl_s: float) -> bool: ...

    def lock_ttl(self, name: str) -> float | None:
        """Seconds left on the lock, or None when nobody holds it."""
        ...

    def set_key(self, key: str, value: bytes, ttl_s: float | None = None) -> None: ...

    def get_key(self, key: str) -> bytes | None: ...

    def delete_key(self, key: str) -> bool: ...

    # --- lifecycle ------------------------------------------------------------
    def ping(self) -> None:
        """Raise StoreUnavailable when the backend cannot be reached."""
        ...

    def close(self) -> None: ...


# --- helpers every backend shares ------------------------------------------------


def check_tasks(tasks: Sequence[Task], settings: StoreSettings, *, op: str) -> None:
    """Refuse a batch with anything a store must not persist; nothing is written on failure."""
    queues = set()
    limit = settings.max_payload_bytes
    valid_id = TASK_ID_PATTERN.fullmatch
    for task in tasks:
        queues.add(task.queue)
        if len(task.kwargs) > limit or task.max_attempts < 1 or not isinstance(task.id, str) or not valid_id(task.id):
            _refuse(task, settings, op)
    for queue in queues:
        validate_queue_name(queue, op=op)


def _refuse(task: Task, settings: StoreSettings, op: str) -> None:
    validate_queue_name(task.queue, op=op)
    validate_task_id(task.id, op=op, queue=task.queue)
    if len(task.kwargs) > settings.max_payload_bytes:
        raise PayloadTooLarge(
            f"kwargs are {len(task.kwargs)} bytes, over the limit of {settings.max_payload_bytes}",
            op=op, queue=task.queue, task_id=task.id,
        )
    raise InvalidArgument(
        f"max_attempts must be at least 1, got {task.max_attempts}", op=op, queue=task.queue, task_id=task.id
    )


def queue_full(queue: str, depth: int, adding: int, max_depth: int, *, op: str) -> QueueFull:
    """The one wording of backpressure, whatever the backend."""
    return QueueFull(
        f"queue holds {depth} tasks; {adding} more would exceed its max depth of {max_depth}"
        "; retry later or raise the limit", op=op, queue=queue,
    )


def retry_delay_s(attempt: int, settings: StoreSettings) -> float:
    """Exponential backoff with jitter over its upper half: attempt n waits 0.5..1 x base x 2^(n-1)."""
    ceiling = min(settings.retry_cap_s, settings.retry_base_s * 2.0 ** max(attempt - 1, 0))
    return ceiling / 2 + random.random() * ceiling / 2


def new_lease_id(owner: str) -> str:
    """Lease ids start with their owner so that a dead owner's leases can be found."""
    return f"{owner}/{time.time_ns():x}{random.getrandbits(32):08x}"


def lease_owner(lease_id: str) -> str:
    return lease_id.rpartition("/")[0]
