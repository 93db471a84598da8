"""What the sync and asyncio clients share: options, request building and reply decoding."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from typing import Any

import grpc

from sergeant.encoder import decode, encode
from sergeant.packed import VERSION, PackedTask, array_header
from sergeant.task import Compressor, Priority, Serializer, new_task_id
from sergeant.v1 import producer_pb2, task_pb2

STATES = {v: k.removeprefix("TASK_STATE_").lower() for k, v in task_pb2.TaskState.items()}
KINDS = {v: k.removeprefix("EVENT_KIND_").lower() for k, v in task_pb2.EventKind.items()}
TERMINAL = frozenset({"succeeded", "dead", "cancelled"})
BATCH = 1_000  # tasks per packed Push: large enough to amortize a call, small enough to keep a few in flight
IN_FLIGHT = 3  # packed Pushes push_many keeps in flight: the gateway checks one while the store writes another
LINGER_S = 0.001  # the longest a push waits to share a Push with other threads' or coroutines' pushes


class ClientError(Exception):
    """A call failed; ``code`` is the gRPC status code, ``details`` the gateway's message.

    A failed push carries the ids of its tasks in ``ids``. After UNAVAILABLE (or DEADLINE_EXCEEDED) some of them may
    be stored: retry with the same ids (``push_many(..., ids=error.ids)``), and the gateway stores each task once.
    """

    def __init__(self, code: grpc.StatusCode, details: str, ids: Sequence[str] = ()) -> None:
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details
        self.ids = list(ids)


class TaskFailed(Exception):
    """The task ended dead or cancelled; ``error_type`` and ``message`` come from the worker."""

    def __init__(self, task_id: str, state: str, error_type: str, message: str, traceback: str) -> None:
        super().__init__(f"task {task_id} {state}: {error_type}: {message}")
        self.task_id, self.state = task_id, state
        self.error_type, self.message, self.traceback = error_type, message, traceback


@dataclasses.dataclass(frozen=True, slots=True)
class Event:
    task_id: str
    kind: str  # accepted, started, progress, retrying, succeeded, dead, cancelled
    at: float
    progress: float = 0.0
    message: str = ""
    data: Any = None
    result: Any = None
    error: tuple[str, str, str] | None = None  # (type, message, traceback) for dead and cancelled tasks

    @property
    def terminal(self) -> bool:
        return self.kind in TERMINAL


@dataclasses.dataclass(frozen=True, slots=True)
class TaskStatus:
    task_id: str
    state: str  # pending, scheduled, active, succeeded, dead, cancelled
    attempt: int
    result: Any = None
    error: tuple[str, str, str] | None = None


def credentials(tls: bool | bytes) -> grpc.ChannelCredentials | None:
    """None for plaintext; ``True`` for TLS with system roots; bytes: a PEM root certificate."""
    if tls is False:
        return None
    return grpc.ssl_channel_credentials(root_certificates=tls if isinstance(tls, bytes) else None)


def metadata(token: str | None) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),) if token else ()


def task_message(queue: str, kwargs: Mapping[str, Any], *, task_id: str = "", priority: str = "normal",
                 delay_s: float = 0.0, max_attempts: int = 0, timeout_s: float = 0.0, idempotency_key: str = "",
                 trace_id: str = "", compressor: str = "none") -> task_pb2.Task:
    if priority not in ("normal", "high"):
        raise ValueError(f"priority must be 'normal' or 'high', got {priority!r}")
    return task_pb2.Task(
        id=task_id, queue=queue, kwargs=encode(dict(kwargs), Serializer.MSGPACK, Compressor(compressor)),
        serializer=task_pb2.SERIALIZER_MSGPACK,
        compressor=task_pb2.Compressor.Value(f"COMPRESSOR_{compressor.upper()}"),  # type: ignore[arg-type]
        priority=task_pb2.PRIORITY_HIGH if priority == "high" else task_pb2.PRIORITY_NORMAL,
        not_before_unix_s=time.time() + delay_s if delay_s > 0 else 0.0,
        max_attempts=max_attempts, timeout_s=timeout_s, idempotency_key=idempotency_key, trace_id=trace_id,
    )


def push_request(queue: str, many: Sequence[Mapping[str, Any]], options: Mapping[str, Any]) -> producer_pb2.PushRequest:
    """The repeated form of a push (the clients send the packed form; this one is for tools and comparisons)."""
    return producer_pb2.PushRequest(tasks=[task_message(queue, kwargs, **options) for kwargs in many])


def packed_options(*, priority: str = "normal", delay_s: float = 0.0, max_attempts: int = 0, timeout_s: float = 0.0,
                   idempotency_key: str = "", trace_id: str = "", compressor: str = "none") -> PackedTask:
    """The options of ``push``/``push_many`` as a packed record's fields."""
    if priority not in ("normal", "high"):
        raise ValueError(f"priority must be 'normal' or 'high', got {priority!r}")
    return PackedTask(priority=Priority.HIGH if priority == "high" else Priority.NORMAL,
                      not_before=time.time() + delay_s if delay_s > 0 else 0.0, max_attempts=max_attempts,
                      timeout_s=timeout_s, idempotency_key=idempotency_key, trace_id=trace_id,
                      compressor=Compressor(compressor))


def packed_request(queue: str, tasks: bytes, want_results: bool) -> producer_pb2.PushRequest:
    return producer_pb2.PushRequest(packed=producer_pb2.PackedTasks(version=VERSION, queue=queue, tasks=tasks,
                                                                    want_results=want_results))


def joined(records: Sequence[bytes]) -> bytes:
    """A batch of records packed one by one."""
    return array_header(len(records)) + b"".join(records)


def answered(ids: list[str], start: int, reply: producer_pb2.PushResponse) -> None:
    """Put the id pushed first in place of each duplicate the reply names (ids[start:] is the batch pushed)."""
    for duplicate in reply.duplicates:
        ids[start + duplicate.index] = duplicate.id


def task_ids(count: int, ids: Sequence[str] | None) -> list[str]:
    if ids is None:
        return new_task_id.many(count)
    if len(ids) != count:
        raise ValueError(f"{len(ids)} ids for {count} tasks: pass one id per task, or none")
    return list(ids)


def _msgpack(data: bytes) -> Any:
    return decode(data, Serializer.MSGPACK, Compressor.NONE) if data else None


def event_from_pb(m: task_pb2.TaskEvent) -> Event:
    error = None
    if m.HasField("result") and m.result.HasField("error"):
        error = (m.result.error.type, m.result.error.message, m.result.error.traceback)
    return Event(
        task_id=m.task_id, kind=KINDS.get(m.kind, "unknown"), at=m.at_unix_s, progress=m.progress,
        message=m.message, data=_msgpack(m.data), result=_msgpack(m.result.result) if m.HasField("result") else None,
        error=error,
    )


def status_from_pb(task_id: str, m: producer_pb2.GetTaskResponse) -> TaskStatus:
    error = None
    if m.HasField("result") and m.result.HasField("error"):
        error = (m.result.error.type, m.result.error.message, m.result.error.traceback)
    return TaskStatus(task_id=task_id, state=STATES.get(m.state, "unknown"), attempt=m.task.attempt,
                      result=_msgpack(m.result.result) if m.HasField("result") else None, error=error)


def outcome(event: Event) -> Any:
    """The result of a terminal event, or TaskFailed."""
    if event.kind == "succeeded":
        return event.result
    error = event.error or ("", "", "")
    raise TaskFailed(event.task_id, event.kind, *error)


def no_result_yet(queue: str, task_id: str, waited_s: float | None, events: Sequence[Event]) -> str:
    """Why a wait for a result timed out, as far as the client can tell."""
    started = any(e.kind == "started" for e in events)
    hint = ("a worker started it and has not finished" if started else
            f"no worker has started it: is a worker consuming queue {queue!r} on this gateway's store? "
            "(sergeant workers lists them)")
    return f"task {task_id} on queue {queue!r} has no result after {waited_s} s; {hint}"


def client_error(exc: grpc.RpcError) -> ClientError:
    return ClientError(exc.code(), exc.details() or "")


def submit_error(error: ClientError, queue: str, task_id: str, timeout_s: float | None,
                 events: Sequence[Event]) -> ClientError:
    """A submit's stream failed; past its deadline, say which task waited and what to check."""
    if error.code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return ClientError(error.code, no_result_yet(queue, task_id, timeout_s, events))
    return error
