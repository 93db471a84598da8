"""Protobuf <-> Sergeant records. The only module that knows both vocabularies."""

from __future__ import annotations

import time
from typing import Any

from sergeant.encoder import decode_kwargs
from sergeant.errors import EncodingError, InvalidArgument
from sergeant.store.base import CancelOutcome, DeadLetter, Disposition, QueueCounts, WorkerRecord
from sergeant.store.records import kwargs_bytes
from sergeant.task import (
    Compressor,
    EventKind,
    Priority,
    Serializer,
    Task,
    TaskError,
    TaskEvent,
    TaskInfo,
    TaskResult,
    TaskState,
    new_task_id,
)
from sergeant.v1 import operations_pb2, producer_pb2, task_pb2, worker_pb2

_SERIALIZER = {0: Serializer.MSGPACK, 1: Serializer.MSGPACK, 2: Serializer.PICKLE}
_SERIALIZER_PB = {Serializer.MSGPACK: 1, Serializer.PICKLE: 2}
_COMPRESSOR = {0: Compressor.NONE, 1: Compressor.NONE, 2: Compressor.ZLIB, 3: Compressor.GZIP, 4: Compressor.BZIP2,
               5: Compressor.LZMA, 6: Compressor.ZSTD, 7: Compressor.LZ4}
_COMPRESSOR_PB = {v: k for k, v in _COMPRESSOR.items() if k}
_PRIORITY = {0: Priority.NORMAL, 1: Priority.NORMAL, 2: Priority.HIGH}
_STATE_PB = {TaskState.PENDING: 1, TaskState.SCHEDULED: 2, TaskState.ACTIVE: 3, TaskState.SUCCEEDED: 4,
             TaskState.DEAD: 5, TaskState.CANCELLED: 6}
_EVENT_PB = {EventKind.STARTED: 2, EventKind.PROGRESS: 3, EventKind.RETRYING: 4, EventKind.SUCCEEDED: 5,
             EventKind.DEAD: 6, EventKind.CANCELLED: 7}
ACCEPTED = task_pb2.EVENT_KIND_ACCEPTED
DISPOSITION_PB = {Disposition.DONE: 1, Disposition.RETRYING: 2, Disposition.REQUEUED: 3, Disposition.DEAD: 4,
                  Disposition.LEASE_LOST: 5}
CANCEL_PB = {CancelOutcome.CANCELLED: 1, CancelOutcome.RUNNING: 2, CancelOutcome.FINISHED: 3}


def _enum(table: dict[int, Any], value: int, what: str, queue: str) -> Any:
    try:
        return table[value]
    except KeyError:
        raise InvalidArgument(f"unknown {what} {value}", op="push", queue=queue) from None


def task_from_pb(m: task_pb2.Task, *, default_max_attempts: int, now: float) -> Task:
    """A pushed task, checked: its kwargs must decode to a map (pickle is never decoded here).

    Called once per pushed task, so each field is read once and Task is built positionally.
    """
    queue, kwargs, serializer_pb, compressor_pb, priority = m.queue, m.kwargs, m.serializer, m.compressor, m.priority
    if serializer_pb not in _SERIALIZER or compressor_pb not in _COMPRESSOR or priority not in _PRIORITY:
        _enum(_SERIALIZER, serializer_pb, "serializer", queue)
        _enum(_COMPRESSOR, compressor_pb, "compressor", queue)
        _enum(_PRIORITY, priority, "priority", queue)
    serializer, compressor = _SERIALIZER[serializer_pb], _COMPRESSOR[compressor_pb]
    if not kwargs:
        raise InvalidArgument("kwargs are empty: send a msgpack map, e.g. the byte 0x80 for {} (\"gA==\" in "
                              "grpcurl's JSON, which takes bytes as base64)", op="push", queue=queue, task_id=m.id)
    if serializer is Serializer.MSGPACK:
        try:
            decode_kwargs(kwargs, serializer, compressor)
        except EncodingError as exc:
            raise InvalidArgument(f"kwargs do not decode: {exc.message}", op="push", queue=queue,
                                  task_id=m.id) from None
    not_before, timeout_s = m.not_before_unix_s, m.timeout_s
    if not_before < 0 or timeout_s < 0:
        raise InvalidArgument("not_before_unix_s and timeout_s must not be negative", op="push", queue=queue)
    # Field order of sergeant.task.Task: id, queue, kwargs, serializer, compressor, priority, not_before, attempt,
    # max_attempts, timeout_s, idempotency_key, trace_id, created_at, lease_id, lease_deadline, want_result.
    return Task(m.id or new_task_id(), queue, kwargs, serializer, compressor, _PRIORITY[priority], not_before, 0,
                m.max_attempts or default_max_attempts, timeout_s, m.idempotency_key, m.trace_id, now, "", 0.0,
                m.want_result)


def task_to_pb(t: Task) -> task_pb2.Task:
    return task_pb2.Task(
        id=t.id, queue=t.queue, kwargs=kwargs_bytes(t), serializer=_SERIALIZER_PB[t.serializer],  # type: ignore[arg-type]
        compressor=_COMPRESSOR_PB[t.compressor], priority=int(t.priority),  # type: ignore[arg-type]
        not_before_unix_s=t.not_before, attempt=t.attempt, max_attempts=t.max_attempts, timeout_s=t.timeout_s,
        idempotency_key=t.idempotency_key, trace_id=t.trace_id, created_at_unix_s=t.created_at,
        want_result=t.want_result,
    )


def error_to_pb(e: TaskError | None) -> task_pb2.TaskError | None:
    return None if e is None else task_pb2.TaskError(type=e.type, message=e.message, traceback=e.traceback)


def error_from_pb(m: task_pb2.TaskError, default_type: str) -> TaskError:
    return TaskError(type=m.type or default_type, message=m.message, traceback=m.traceback)


def result_to_pb(r: TaskResult | None) -> task_pb2.TaskResult | None:
    if r is None:
        return None
    return task_pb2.TaskResult(state=_STATE_PB[r.state], result=r.result or b"",  # type: ignore[arg-type]
                               error=error_to_pb(r.error), finished_at_unix_s=r.finished_at)


def info_to_pb(info: TaskInfo) -> producer_pb2.GetTaskResponse:
    return producer_pb2.GetTaskResponse(
        state=_STATE_PB[info.state],  # type: ignore[arg-type]
        task=task_to_pb(info.task) if info.task else None,
        result=result_to_pb(info.result),
    )


def event_to_pb(e: TaskEvent, result: TaskResult | None = None) -> task_pb2.TaskEvent:
    return task_pb2.TaskEvent(
        queue=e.queue, task_id=e.task_id, kind=_EVENT_PB[e.kind], at_unix_s=e.at,  # type: ignore[arg-type]
        progress=e.progress, message=e.message, data=e.data, result=result_to_pb(result),
    )


def accepted_event(queue: str, task_id: str) -> task_pb2.TaskEvent:
    return task_pb2.TaskEvent(queue=queue, task_id=task_id, kind=ACCEPTED, at_unix_s=time.time())


def counts_to_pb(c: QueueCounts) -> operations_pb2.QueueInfo:
    return operations_pb2.QueueInfo(name=c.queue, ready=c.ready, delayed=c.delayed, leased=c.leased, dead=c.dead,
                                    paused=c.paused)


def worker_to_pb(w: WorkerRecord) -> operations_pb2.WorkerInfo:
    return operations_pb2.WorkerInfo(
        worker_id=w.worker_id, queue=w.queue, pid=w.pid, host=w.host, executor=w.executor,
        concurrency=w.concurrency, in_flight=w.in_flight, rss_bytes=w.rss_bytes, tasks_done=w.tasks_done,
        last_heartbeat_unix_s=w.last_heartbeat, current_tasks=list(w.current_tasks),
    )


def dead_letter_to_pb(d: DeadLetter) -> operations_pb2.DeadLetter:
    return operations_pb2.DeadLetter(task=task_to_pb(d.task), error=error_to_pb(d.error), died_at_unix_s=d.died_at)


def event_from_progress(queue: str, u: worker_pb2.ProgressUpdate) -> TaskEvent:
    return TaskEvent(queue, u.task_id, EventKind.PROGRESS, time.time(), u.progress, u.message, u.data)
