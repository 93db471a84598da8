"""Outcome logs: one structured line per failure, timeout, retry, requeue and dead letter (and success, if asked).

Each carries what an operator needs to find the task and the process: queue,
task id, attempt, worker id, pid, trace id, and the reason.  ``WorkerConfig.
outcome_logs`` silences each kind, as the original's ``LoggingEvents`` did.
The killer logs its kills (``task.killed``) the same way.

The task context (``task_context``) also reaches the lines a worker logs with
``self.logger`` while it runs a task: they carry the task id, its trace id,
the worker id and the pid, so that they join the outcome line and a trace.
"""

from __future__ import annotations

import contextvars
import logging
import os
from collections.abc import Callable
from typing import Any

from sergeant.logs import log
from sergeant.task import Task
from sergeant.worker.config import WorkerConfig, attempts_exhausted
from sergeant.worker.outcomes import DEAD, FAILED, REQUEUE, RETRY, SUCCEEDED, TIMED_OUT, Decision

logger = logging.getLogger("sergeant.worker.outcomes")

# kind -> (the OutcomeLogs switch, the event, its level)
_KINDS = {
    SUCCEEDED: ("success", "task.succeeded", logging.INFO),
    FAILED: ("failure", "task.failed", logging.WARNING),
    TIMED_OUT: ("timeout", "task.timed_out", logging.WARNING),
    RETRY: ("retry", "task.retrying", logging.WARNING),
    REQUEUE: ("requeue", "task.requeued", logging.INFO),
    DEAD: ("dead", "task.dead", logging.ERROR),
}

# (task, worker id, pid) of the task this thread runs; made into fields only when a line is logged.
task_context: contextvars.ContextVar[tuple[Task, str, int] | None] = contextvars.ContextVar("sergeant_task",
                                                                                          default=None)


def context_of(task: Task, worker_id: str, pid: int) -> dict[str, Any]:
    return {"queue": task.queue, "task": task.id, "attempt": task.attempt, "trace_id": task.trace_id,
            "worker": worker_id, "pid": pid}


class OutcomeLog:
    def __init__(self, config: WorkerConfig, worker_id: str) -> None:
        self._config = config
        self._on = {kind: entry for kind, entry in _KINDS.items() if getattr(config.outcome_logs, entry[0])}
        self._dead_too = config.outcome_logs.dead
        self._worker_id = worker_id
        self.logs_successes = SUCCEEDED in self._on

    def record(self, task: Task, decision: Decision) -> None:
        entry = self._on.get(decision.kind)
        if entry is None:
            return
        _, event, level = entry
        fields = context_of(task, self._worker_id, os.getpid())
        if decision.error is not None:
            fields["reason"] = f"{decision.error.type}: {decision.error.message}"
        if decision.delay_s:
            fields["delay_s"] = decision.delay_s
        log(logger, level, event, **fields)
        if decision.kind in (FAILED, TIMED_OUT) and self._dead_too and attempts_exhausted(
                self._config, task.attempt, task.max_attempts):
            log(logger, logging.ERROR, "task.dead", **fields)  # its last attempt: the store dead-letters it


class TaskContextFilter(logging.Filter):
    """Adds the running task's context to a worker's own log lines (the thread's task, per executor thread)."""

    def __init__(self, worker_id: Callable[[], str]) -> None:
        super().__init__()
        self._worker_id = worker_id  # read at each line: a supervisor renames its workers after they are built

    def filter(self, record: logging.LogRecord) -> bool:
        running = task_context.get()
        context = context_of(*running) if running else {"worker": self._worker_id(), "pid": os.getpid()}
        record.fields = {**context, **getattr(record, "fields", {})}
        return True
