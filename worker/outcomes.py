"""What became of a task (a ``Decision``) and its wire form (``worker_pb2.Outcome``)."""

from __future__ import annotations

import traceback
from typing import NamedTuple

from sergeant.task import Task, TaskError
from sergeant.v1 import task_pb2, worker_pb2

SUCCEEDED = worker_pb2.OUTCOME_KIND_SUCCEEDED
FAILED = worker_pb2.OUTCOME_KIND_FAILED
TIMED_OUT = worker_pb2.OUTCOME_KIND_TIMED_OUT
RETRY = worker_pb2.OUTCOME_KIND_RETRY
REQUEUE = worker_pb2.OUTCOME_KIND_REQUEUE
DEAD = worker_pb2.OUTCOME_KIND_DEAD
CANCELLED = worker_pb2.OUTCOME_KIND_CANCELLED

_TRACEBACK_LIMIT = 8_000  # characters: enough to debug, small enough for a result record
_RETRY_NOW_S = 0.001  # the protocol reads a RETRY delay of 0 as "use the backoff"


class Decision(NamedTuple):  # a tuple: made once per task, and a frozen dataclass costs four setattr calls
    kind: worker_pb2.OutcomeKind
    result: bytes = b""
    error: TaskError | None = None
    delay_s: float = 0.0


def error_of(exc: BaseException, *, with_traceback: bool = True) -> TaskError:
    trace = "".join(traceback.format_exception(exc))[-_TRACEBACK_LIMIT:] if with_traceback else ""
    return TaskError(type=type(exc).__name__, message=str(exc), traceback=trace)


def retry_after(delay_s: float | None, error: TaskError) -> Decision:
    if delay_s is None:
        return Decision(RETRY, error=error)
    return Decision(RETRY, error=error, delay_s=max(delay_s, _RETRY_NOW_S))


def outcome_pb(task: Task, decision: Decision) -> worker_pb2.Outcome:
    outcome = worker_pb2.Outcome(task_id=task.id, lease_id=task.lease_id, kind=decision.kind)
    # Fields set only when they differ from their defaults: each keyword costs on the hot path.
    if decision.result:
        outcome.result = decision.result
    if decision.delay_s:
        outcome.delay_s = decision.delay_s
    if (error := decision.error) is not None:
        outcome.error.CopyFrom(task_pb2.TaskError(type=error.type, message=error.message, traceback=error.traceback))
    return outcome
