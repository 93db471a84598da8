"""Compact msgpack forms of the envelope, results and events, as stores persist them.

Positional arrays keep them small and fast; the field order is part of the
storage format, so new fields are only ever appended.
"""

from __future__ import annotations

from typing import Any

import msgpack

from sergeant.encoder import encode
from sergeant.errors import EncodingError
from sergeant.store.base import WorkerRecord
from sergeant.task import (
    Compressor,
    EventKind,
    Priority,
    Serializer,
    Task,
    TaskError,
    TaskEvent,
    TaskResult,
    TaskState,
)

_packer = msgpack.Packer(use_bin_type=True)


def _packb(fields: Any) -> bytes:
    packed: bytes = _packer.pack(fields)
    return packed
# Enum lookups by value through a dict: Enum.__call__ is slow on the lease hot path.
_SERIALIZERS = {s.value: s for s in Serializer}
_COMPRESSORS = {c.value: c for c in Compressor}
_PRIORITIES = {int(p): p for p in Priority}


def kwargs_bytes(t: Task) -> bytes:
    """The task's kwargs encoded, as its serializer and compressor say (a leased task may hold them decoded)."""
    if isinstance(t.kwargs, bytes):
        return t.kwargs
    return encode(t.kwargs, Serializer.MSGPACK, Compressor.NONE)


def pack_task(t: Task) -> bytes:
    return _packb([
        t.id, t.queue, kwargs_bytes(t), t.serializer, t.compressor, t.priority,
        t.not_before, t.attempt, t.max_attempts, t.timeout_s, t.idempotency_key, t.trace_id,
        t.created_at, t.want_result,
    ])


def unpack_task(raw: bytes, attempt: int | None = None) -> Task:
    f = msgpack.unpackb(raw, raw=False)
    # Positional, in the field order of Task and of pack_task: keywords cost a microsecond per leased task.
    return Task(f[0], f[1], f[2], _SERIALIZERS[f[3]], _COMPRESSORS[f[4]], _PRIORITIES[f[5]], f[6],
                f[7] if attempt is None else attempt, f[8], f[9], f[10], f[11], f[12], "", 0.0,
                len(f) > 13 and bool(f[13]))


def pack_error(e: TaskError | None) -> list[str] | None:
    return None if e is None else [e.type, e.message, e.traceback]


def unpack_error(f: list[str] | None) -> TaskError | None:
    return None if f is None else TaskError(type=f[0], message=f[1], traceback=f[2])


def pack_result(r: TaskResult, finished_at: float | None = None) -> bytes:
    """``finished_at``: stamp this time instead of the result's own."""
    return _packb([r.state.value, r.result, pack_error(r.error), r.finished_at if finished_at is None else finished_at,
                   r.attempt])


def pack_result_head(r: TaskResult) -> bytes:
    """``pack_result`` without its last field, the attempt, for a store that appends it where the attempt is
    known: Redis's ack script appends ``cmsgpack.pack(attempt)``."""
    header: bytes = _packer.pack_array_header(5)
    return header + b"".join(_packb(field) for field in (r.state.value, r.result, pack_error(r.error), r.finished_at))


def unpack_result(raw: bytes) -> TaskResult:
    f = msgpack.unpackb(raw, raw=False)
    return TaskResult(
        state=TaskState(f[0]), result=f[1], error=unpack_error(f[2]), finished_at=f[3], attempt=f[4]
    )


def pack_event(e: TaskEvent) -> bytes:
    return _packb([e.queue, e.task_id, e.kind.value, e.at, e.progress, e.message, e.data])


def unpack_event(raw: bytes) -> TaskEvent:
    f: Any = msgpack.unpackb(raw, raw=False)
    try:
        return TaskEvent(
            queue=f[0], task_id=f[1], kind=EventKind(f[2]), at=f[3], progress=f[4], message=f[5], data=f[6]
        )
    except (IndexError, TypeError, ValueError) as exc:
        raise EncodingError(f"malformed event record: {exc}", op="records.unpack_event") from exc


def pack_worker(w: WorkerRecord, expires_at: float) -> bytes:
    return _packb([
        w.worker_id, w.queue, w.pid, w.host, w.executor, w.concurrency, w.in_flight, w.rss_bytes,
        w.tasks_done, w.last_heartbeat, list(w.current_tasks), expires_at,
    ])


def unpack_worker(raw: bytes) -> tuple[WorkerRecord, float]:
    """The record and the time after which it is stale."""
    f = msgpack.unpackb(raw, raw=False)
    record = WorkerRecord(
        worker_id=f[0], queue=f[1], pid=f[2], host=f[3], executor=f[4], concurrency=f[5], in_flight=f[6],
        rss_bytes=f[7], tasks_done=f[8], last_heartbeat=f[9], current_tasks=tuple(f[10]),
    )
    return record, f[11]
