"""Timeouts, as the original's example 4: a 1 s timeout interrupts the tasks that sleep 2 s.

    sergeant supervise examples.timeout:SlowWorker --workers 1
    python -m examples.timeout

The producer pushes 4 tasks; the second and the third sleep past the 1 s
timeout.  ``WorkerTimedout`` interrupts their sleep (a timer in the worker
process, measured from the task's start), ``on_timeout`` logs it, and, with a
single attempt each, they end in the dead letters as TIMED_OUT: "You won't
see this print" is never logged, and a task that ran past its timeout never
ends SUCCEEDED, however loaded the machine.  The first and the fourth succeed.
After 4 tasks (``max_tasks_per_run``) the supervisor starts a fresh process.

A task that swallows ``WorkerTimedout`` is SIGKILLed by the killer process
at timeout plus ``grace_period_s``; its dead letter then says
"killed: timeout 1 s plus grace 2 s".
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.worker import ReceivedTask, Timeouts, Worker, WorkerConfig


class SlowWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="timeout", max_tasks_per_run=4, timeouts=Timeouts(timeout_s=1.0, grace_period_s=2.0))

    def work(self, task: ReceivedTask) -> Any:
        if task.kwargs["timeout"]:
            self.logger.info("Going to timeout")
            time.sleep(2)
            self.logger.info("You won't see this print")
        else:
            self.logger.info("Not going to timeout")

    def on_timeout(self, task: ReceivedTask) -> None:
        self.logger.error("task has timed out")


def produce() -> list[str]:
    producer = SlowWorker()
    ids = [producer.push_task({"timeout": timeout}, max_attempts=1) for timeout in (False, True, True, False)]
    producer.close()
    return ids


if __name__ == "__main__":
    produce()
