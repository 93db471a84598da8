"""What a worker is configured with: frozen dataclasses, units in the names, typos rejected.

A worker returns a ``WorkerConfig`` from ``generate_config()``.  Frozen
dataclasses refuse unknown keywords (``WorkerConfig(nmae=...)`` is a TypeError),
and ``__post_init__`` refuses values that cannot work, naming the fix.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
from collections.abc import Callable

from sergeant.encoder import Encoder
from sergeant.errors import InvalidArgument
from sergeant.store import DEFAULT_STORE_URL
from sergeant.task import Serializer, validate_queue_name

EXECUTORS = ("threaded", "process")
DEFAULT_GATEWAY = "127.0.0.1:50051"
MAX_TASKS_PER_TRANSACTION = 4_000  # the most one lease call hands out (bounded by Redis' Lua stack)
DEFAULT_DRAIN_TIMEOUT_S = 30.0  # how long running tasks may finish once a worker is told to stop
ACK_TIMEOUT_S = 10.0  # how long a stopping worker waits for the gateway to acknowledge its outcomes


def _from_env(name: str, default: str) -> Callable[[], str]:
    return lambda: os.environ.get(name) or default


def _invalid(message: str) -> InvalidArgument:
    return InvalidArgument(message, op="WorkerConfig")


@dataclasses.dataclass(frozen=True, slots=True)
class Timeouts:
    timeout_s: float = 0.0  # soft timeout of work(); 0: none (a task's own timeout_s still applies)
    grace_period_s: float = 10.0  # after the soft timeout, how long before the hard kill

    def __post_init__(self) -> None:
        if not (self.timeout_s >= 0 and self.grace_period_s >= 0 and math.isfinite(self.timeout_s)):
            raise _invalid(f"timeouts must be finite and >= 0, got {self}")


@dataclasses.dataclass(frozen=True, slots=True)
class Starvation:
    time_with_no_tasks_s: float  # on_starvation fires after this long with nothing to lease

    def __post_init__(self) -> None:
        if not self.time_with_no_tasks_s > 0:
            raise _invalid(f"time_with_no_tasks_s must be > 0, got {self.time_with_no_tasks_s}")


@dataclasses.dataclass(frozen=True, slots=True)
class OutcomeLogs:
    """Which task outcomes the worker logs, one structured line each (the original's ``LoggingEvents``).

    Each line carries the queue, task id, attempt, worker id, pid, trace id and reason."""

    success: bool = False
    failure: bool = True
    timeout: bool = True
    retry: bool = True
    dead: bool = True  # dead-lettered, whatever the cause (max_retries, attempts spent, undecodable)
    requeue: bool = True
    kill: bool = True  # the killer's hard kill of this worker for a timeout


@dataclasses.dataclass(frozen=True, slots=True)
class WorkerConfig:
    name: str  # the queue this worker consumes
    store_url: str = dataclasses.field(default_factory=_from_env("SERGEANT_STORE", DEFAULT_STORE_URL))
    gateway: str = dataclasses.field(default_factory=_from_env("SERGEANT_GATEWAY", DEFAULT_GATEWAY))  # host:port
    token: str = dataclasses.field(default_factory=_from_env("SERGEANT_TOKEN", ""))  # bearer; "" sends none
    gateway_tls: bool = dataclasses.field(default_factory=lambda: os.environ.get("SERGEANT_GATEWAY_TLS") == "1")
    gateway_ca_file: str = dataclasses.field(default_factory=_from_env("SERGEANT_GATEWAY_CA", ""))  # PEM; implies TLS
    key_prefix: str = dataclasses.field(default_factory=_from_env("SERGEANT_KEY_PREFIX", "sergeant"))  # as the gateway's
    max_tasks_per_run: int = 0  # after this many tasks the process exits to be respawned; 0: unlimited
    max_retries: int = 0  # retries after the first run; 0: each task's own max_attempts decides
    tasks_per_transaction: int = 1  # tasks leased per store round trip
    executor: str = "process"  # "process": one task at a time; "threaded": number_of_threads at once
    number_of_threads: int = 1  # threaded executor only
    timeouts: Timeouts = dataclasses.field(default_factory=Timeouts)
    lease_s: float = 60.0  # lease length; extended every lease_s / 3 while the task is held
    log_level: str | int = "INFO"  # a name, or a number as logging.INFO (kept as its name)
    outcome_logs: OutcomeLogs = dataclasses.field(default_factory=OutcomeLogs)
    starvation: Starvation | None = None
    encoder: Encoder = dataclasses.field(default_factory=Encoder)  # how push_task encodes kwargs (msgpack by default)
    # Serializers this worker decodes; a task in any other ends DEAD unread.  Adding Serializer.PICKLE lets whoever
    # can push to the queue run code in this worker: do it only where every producer is trusted.
    accept_serializers: frozenset[Serializer] = frozenset({Serializer.MSGPACK})
    max_unacked_outcomes: int = 10_000  # outcomes waiting for the gateway before leasing pauses
    # A leased task that waits this long here unstarted, behind busy executors, goes back to the head of its
    # queue for an idle worker (no attempt counted); 0 keeps leased tasks until they run.
    prefetch_hold_s: float = 30.0

    def __post_init__(self) -> None:
        validate_queue_name(self.name, op="WorkerConfig")
        if self.executor not in EXECUTORS:
            raise _invalid(f"executor must be one of {EXECUTORS}, got {self.executor!r}")
        if self.number_of_threads < 1:
            raise _invalid(f"number_of_threads must be >= 1, got {self.number_of_threads}")
        if self.executor == "process" and self.number_of_threads != 1:
            raise _invalid("number_of_threads > 1 needs executor='threaded' (the process executor runs "
                           "one task at a time)")
        if not 1 <= self.tasks_per_transaction <= MAX_TASKS_PER_TRANSACTION:
            raise _invalid(f"tasks_per_transaction must be 1..{MAX_TASKS_PER_TRANSACTION}, "
                           f"got {self.tasks_per_transaction}")
        if self.max_tasks_per_run < 0 or self.max_retries < 0:
            raise _invalid("max_tasks_per_run and max_retries must be >= 0 (0: unlimited / per task)")
        if not (self.prefetch_hold_s >= 0 and math.isfinite(self.prefetch_hold_s)):
            raise _invalid(f"prefetch_hold_s must be >= 0 (0: keep leased tasks), got {self.prefetch_hold_s}")
        if not (self.lease_s >= 1.0 and math.isfinite(self.lease_s)):
            raise _invalid(f"lease_s must be at least 1 second, got {self.lease_s}")
        if self.max_unacked_outcomes < self.tasks_per_transaction + self.number_of_threads:
            # A batch is leased only when its outcomes, and those of the tasks still running, fit.
            raise _invalid(f"max_unacked_outcomes ({self.max_unacked_outcomes}) must be at least "
                           f"tasks_per_transaction + number_of_threads "
                           f"({self.tasks_per_transaction + self.number_of_threads})")
        object.__setattr__(self, "log_level", _level_name(self.log_level))
        if not isinstance(self.timeouts, Timeouts) or not isinstance(self.outcome_logs, OutcomeLogs) or not (
                self.starvation is None or isinstance(self.starvation, Starvation)):
            raise _invalid("timeouts must be a Timeouts, outcome_logs an OutcomeLogs and starvation a Starvation "
                           "(or None)")


def _level_name(level: str | int) -> str:
    """'info', 'INFO' or logging.INFO -> 'INFO'."""
    name = logging.getLevelName(level) if isinstance(level, int) else str(level).upper()
    if not isinstance(name, str) or not isinstance(logging.getLevelName(name), int):
        raise _invalid(f"unknown log_level {level!r}: use DEBUG, INFO, WARNING or ERROR (or logging.INFO ...)")
    return name


def attempts_exhausted(config: WorkerConfig, attempt: int, max_attempts: int) -> bool:
    """Whether one more failed attempt dead-letters a task (``attempt`` counts those already failed).

    ``max_retries`` can only lower a task's own ``max_attempts``: the store
    dead-letters at ``max_attempts`` whatever the worker says."""
    limit = max_attempts
    if config.max_retries:
        limit = min(limit, config.max_retries + 1)
    return attempt + 1 >= limit
