"""Python workers: subclass ``Worker``; run them under ``sergeant supervise`` (or ``Supervisor``)."""

from sergeant.worker.config import OutcomeLogs, Starvation, Timeouts, WorkerConfig
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
from sergeant.worker.lock import Lock
from sergeant.worker.received_task import ReceivedTask
from sergeant.worker.supervisor import Supervisor
from sergeant.worker.worker import Worker

__all__ = [
    "ExitCode",
    "Lock",
    "OutcomeLogs",
    "ReceivedTask",
    "Starvation",
    "Supervisor",
    "TaskCancelled",
    "Timeouts",
    "Worker",
    "WorkerConfig",
    "WorkerInterrupt",
    "WorkerMaxRetries",
    "WorkerRequeue",
    "WorkerRespawn",
    "WorkerRetry",
    "WorkerStop",
    "WorkerTimedout",
]
