"""One task, start to finish: hooks, work(), the handler, and the decision that settles it.

Both executors run tasks through ``Execution.run``; they differ only in the
``guard`` they pass, which arms interruption (timeout, cancel) around work().

Routing, as the original library had it: work() returning is SUCCEEDED and
``on_success``; an exception is FAILED and ``on_failure``; a timeout is
TIMED_OUT and ``on_timeout``.  FAILED and TIMED_OUT follow the retry policy
(the store retries with backoff until the task's attempts run out, then
dead-letters it).  A ``retry``/``requeue`` raised inside ``on_failure`` or
``on_timeout`` replaces that outcome and runs ``on_retry``/``on_max_retries``/
``on_requeue``.  ``stop()``/``respawn()`` raised anywhere wind the process down;
raised from work(), the task goes back to its queue unfinished.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from contextlib import AbstractContextManager

from sergeant.encoder import encode
from sergeant.errors import EncodingError, PayloadTooLarge
from sergeant.limits import MAX_RESULT_BYTES
from sergeant.logs import log
from sergeant.task import Compressor, Serializer, Task, TaskError
from sergeant.v1 import worker_pb2
from sergeant.worker.config import attempts_exhausted
from sergeant.worker.exit_codes import ExitCode
from sergeant.worker.interrupts import (
    TaskCancelled,
    WorkerInterrupt,
    WorkerMaxRetries,
    WorkerRequeue,
    WorkerRespawn,
    WorkerRetry,
    WorkerStop,
    WorkerTimedout,
)
from sergeant.worker.outcome_log import task_context
from sergeant.worker.outcomes import (
    CANCELLED,
    DEAD,
    FAILED,
    REQUEUE,
    SUCCEEDED,
    TIMED_OUT,
    Decision,
    error_of,
    retry_after,
)
from sergeant.worker.received_task import ReceivedTask
from sergeant.worker.worker import Worker

logger = logging.getLogger("sergeant.worker.execution")

ExitRequest = Callable[[ExitCode, str], None]
CANCELLED_ERROR = TaskError("TaskCancelled", "cancelled while it ran")
_NONE = encode(None, Serializer.MSGPACK, Compressor.NONE)


class Execution:
    def __init__(self, worker: Worker, request_exit: ExitRequest) -> None:
        self._worker = worker
        self._request_exit = request_exit
        self._pid = os.getpid()
        # Hooks left as the base class's no-ops are not called: at thousands of tasks a second,
        # three empty calls per task are a tenth of the worker's time.
        overridden = {name for name in ("pre_work", "post_work", "on_success")
                      if getattr(type(worker), name) is not getattr(Worker, name)}
        self._pre_work = "pre_work" in overridden
        self._post_work_success = "post_work" in overridden
        self._on_success = "on_success" in overridden

    def run(self, envelope: Task, guard: AbstractContextManager[None]) -> Decision:
        token = task_context.set((envelope, self._worker.worker_id, self._pid))
        try:
            return self._run(envelope, guard)
        finally:
            task_context.reset(token)

    def _run(self, envelope: Task, guard: AbstractContextManager[None]) -> Decision:
        worker = self._worker
        if envelope.serializer not in worker.config.accept_serializers:  # before any byte of it is decoded
            log(logger, logging.ERROR, "task.serializer_refused", queue=envelope.queue, task=envelope.id,
                serializer=str(envelope.serializer))
            return Decision(DEAD, error=TaskError(
                "SerializerRefused", f"this worker does not accept {envelope.serializer} kwargs (it accepts "
                f"{sorted(str(s) for s in worker.config.accept_serializers)}); add it to "
                "WorkerConfig.accept_serializers only if every producer of the queue is trusted"))
        try:
            task = ReceivedTask.from_envelope(envelope)
        except EncodingError as exc:  # no retry can make these bytes decode
            log(logger, logging.ERROR, "task.undecodable", queue=envelope.queue, task=envelope.id, error=str(exc))
            return Decision(DEAD, error=error_of(exc, with_traceback=False))
        if self._pre_work:
            self._hook("pre_work", functools.partial(worker.pre_work, task), task)
        try:
            with guard:
                value = worker.work(task)
            result = _NONE if value is None else encode(value, Serializer.MSGPACK, Compressor.NONE)
            if len(result) > MAX_RESULT_BYTES:
                raise PayloadTooLarge(f"work() returned {len(result)} bytes of msgpack, over the "
                                      f"{MAX_RESULT_BYTES} byte limit on results; store big data elsewhere "
                                      "and return a reference", op="worker.work", queue=task.queue, task_id=task.id)
        except WorkerTimedout as exc:
            self._post_work(task, exc)
            return self._route("on_timeout", functools.partial(worker.on_timeout, task), task,
                               self._failure(task, TIMED_OUT, exc))
        except TaskCancelled as exc:
            self._post_work(task, exc)
            log(logger, logging.INFO, "task.cancelled", queue=task.queue, task=task.id)
            return Decision(CANCELLED, error=CANCELLED_ERROR)
        except WorkerRetry as exc:
            self._post_work(task, exc)
            return self._retried(task, exc.delay_s)
        except WorkerMaxRetries as exc:
            self._post_work(task, exc)
            return self._exhausted(task)
        except WorkerRequeue as exc:
            self._post_work(task, exc)
            return self._requeued(task, exc.delay_s)
        except (WorkerStop, WorkerRespawn) as exc:
            self._post_work(task, exc)
            self._exit_for(exc, "work")
            return Decision(REQUEUE)
        except Exception as exc:
            self._post_work(task, exc)
            return self._route("on_failure", functools.partial(worker.on_failure, task, exc), task,
                               self._failure(task, FAILED, exc))
        except BaseException as exc:  # SystemExit, KeyboardInterrupt: settle the task, then let the process go
            self._post_work(task, exc)
            self._request_exit(ExitCode.CRASHED, f"{type(exc).__name__} raised in work")
            return self._failure(task, FAILED, exc)
        if self._post_work_success:
            self._hook("post_work", functools.partial(worker.post_work, task, True, None), task)
        if self._on_success:
            self._hook("on_success", functools.partial(worker.on_success, task, value), task)
        return Decision(SUCCEEDED, result=result)

    # --- decisions -------------------------------------------------------------------------

    def _failure(self, task: ReceivedTask, kind: worker_pb2.OutcomeKind, exc: BaseException) -> Decision:
        # The store dead-letters at max_attempts by itself; only a lower max_retries needs saying.
        config = self._worker.config
        exhausted = config.max_retries and attempts_exhausted(config, task.attempt, task.max_attempts)
        return Decision(DEAD if exhausted else kind, error=error_of(exc))

    def _retried(self, task: ReceivedTask, delay_s: float | None) -> Decision:
        self._hook("on_retry", functools.partial(self._worker.on_retry, task), task)
        return retry_after(delay_s, TaskError("WorkerRetry", f"retry requested on attempt {task.attempt + 1}"))

    def _exhausted(self, task: ReceivedTask) -> Decision:
        self._hook("on_max_retries", functools.partial(self._worker.on_max_retries, task), task)
        return Decision(DEAD, error=TaskError("WorkerMaxRetries", f"gave up after {task.attempt + 1} attempts"))

    def _requeued(self, task: ReceivedTask, delay_s: float) -> Decision:
        self._hook("on_requeue", functools.partial(self._worker.on_requeue, task), task)
        return Decision(REQUEUE, delay_s=max(delay_s, 0.0))

    # --- calling user code -----------------------------------------------------------------

    def _route(self, name: str, call: Callable[[], None], task: ReceivedTask, default: Decision) -> Decision:
        """Run a failure handler; a retry or requeue it raises replaces ``default``."""
        try:
            call()
        except WorkerRetry as exc:
            return self._retried(task, exc.delay_s)
        except WorkerMaxRetries:
            return self._exhausted(task)
        except WorkerRequeue as exc:
            return self._requeued(task, exc.delay_s)
        except (WorkerStop, WorkerRespawn) as exc:
            self._exit_for(exc, name)
        except (WorkerInterrupt, Exception) as exc:
            self._handler_failed(name, task, exc)
        return default

    def _hook(self, name: str, call: Callable[[], None], task: ReceivedTask) -> None:
        """Run a hook or a handler whose raising cannot change the task's fate."""
        try:
            call()
        except (WorkerStop, WorkerRespawn) as exc:
            self._exit_for(exc, name)
        except (WorkerInterrupt, Exception) as exc:
            self._handler_failed(name, task, exc)

    def _post_work(self, task: ReceivedTask, exc: BaseException) -> None:
        self._hook("post_work", functools.partial(self._worker.post_work, task, False, exc), task)

    def _exit_for(self, exc: WorkerStop | WorkerRespawn, where: str) -> None:
        code = ExitCode.STOP if isinstance(exc, WorkerStop) else ExitCode.RESPAWN
        self._request_exit(code, f"{type(exc).__name__} raised in {where}")

    @staticmethod
    def _handler_failed(name: str, task: ReceivedTask, exc: BaseException) -> None:
        if isinstance(exc, WorkerInterrupt):  # e.g. retry() inside on_success: nothing left to retry
            log(logger, logging.WARNING, "worker.action_ignored", where=name, action=type(exc).__name__,
                queue=task.queue, task=task.id)
            return
        log(logger, logging.ERROR, "worker.handler_failed", handler=name, queue=task.queue, task=task.id,
            error=f"{type(exc).__name__}: {exc}", exc_info=exc)
