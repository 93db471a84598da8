"""Deadlines of one task, measured from its start, and arming the killer process for them."""

from __future__ import annotations

import dataclasses
import itertools
import math
import time

from sergeant.task import Task
from sergeant.worker.config import WorkerConfig, attempts_exhausted
from sergeant.worker.interrupts import WorkerTimedout
from sergeant.worker.process_killer import KillerClient

HARD_KILL_MARGIN_S = 2.0
"""Threaded executor: the killer process waits this long past the grace period.

Meanwhile the in-process thread killer, if it can still run, reports the
stuck task and disarms the killer; if it cannot (a thread holds the GIL), the
killer kills the process."""


@dataclasses.dataclass(frozen=True, slots=True)
class Deadlines:
    token: int
    soft_at: float  # monotonic: WorkerTimedout is raised in work()
    stuck_at: float  # monotonic: the task is reported TIMED_OUT and the process recycled
    armed: bool  # whether the killer process watches it
    timeout_s: float = 0.0
    grace_s: float = 0.0

    def overran(self) -> WorkerTimedout | None:
        """The timeout to report for a work() that returned past its deadline, whatever it returned.

        However late a signal or the thread killer comes (a loaded machine), a task that
        ran past its timeout never ends SUCCEEDED."""
        late_s = time.monotonic() - self.soft_at
        if late_s < 0:
            return None
        return WorkerTimedout(f"work() returned {late_s:.3f} s after its {self.timeout_s:g} s timeout")


_UNTIMED = Deadlines(0, math.inf, math.inf, False)


class TaskTimer:
    def __init__(self, config: WorkerConfig, killer: KillerClient, *, hard_kill_margin_s: float) -> None:
        self._config = config
        self._killer = killer
        self._margin_s = hard_kill_margin_s
        self._tokens = itertools.count(1)

    def start(self, task: Task) -> Deadlines:
        timeout_s = task.timeout_s or self._config.timeouts.timeout_s
        if timeout_s <= 0:
            return _UNTIMED
        grace_s = self._config.timeouts.grace_period_s
        soft_at = time.monotonic() + timeout_s
        deadlines = Deadlines(next(self._tokens), soft_at, soft_at + grace_s, True, timeout_s, grace_s)
        # The killer settles the task itself after a hard kill, so it must know whether a retry remains.
        retry = not (self._config.max_retries
                     and attempts_exhausted(self._config, task.attempt, task.max_attempts))
        self._killer.arm(deadlines.token, task, hard_at=deadlines.stuck_at + self._margin_s, retry=retry,
                         timeout_s=timeout_s, grace_s=grace_s)
        return deadlines

    def stop(self, deadlines: Deadlines) -> None:
        if deadlines.armed:
            self._killer.disarm(deadlines.token)
