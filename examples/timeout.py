"""Timeouts: a soft WorkerTimedout inside work(), and a hard kill for a task that ignores it.

    sergeant supervise examples.timeout:SlowWorker --workers 1
    python -m examples.timeout

The first task sleeps past its 1 s timeout: ``WorkerTimedout`` interrupts the
sleep, ``on_timeout`` runs, and the task is retried (TIMED_OUT follows the
retry policy) until its 2 attempts are used.  The second swallows the timeout;
2 s later (the grace period) the killer process SIGKILLs the worker, records
the task TIMED_OUT, and the supervisor starts a fresh process.
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.worker import ReceivedTask, Timeouts, Worker, WorkerConfig, WorkerTimedout


class SlowWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="timeout", timeouts=Timeouts(timeout_s=1.0, grace_period_s=2.0))

    def work(self, task: ReceivedTask) -> Any:
        if task.kwargs["ignore_timeout"]:
            while True:
                try:
                    time.sleep(10)
                except WorkerTimedout:
                    self.logger.warning("ignoring the timeout: the killer will not")
        time.sleep(10)

    def on_timeout(self, task: ReceivedTask) -> None:
        self.logger.warning("task %s timed out on attempt %d", task.id, task.attempt)


def produce() -> None:
    producer = SlowWorker()
    producer.push_task({"ignore_timeout": False}, max_attempts=2)
    producer.push_task({"ignore_timeout": True}, max_attempts=1)
    producer.close()


if __name__ == "__main__":
    produce()
