"""A task that may run only 5 seconds after it was pushed.

    sergeant supervise examples.delayed_task:DelayedWorker --workers 1
    python -m examples.delayed_task
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class DelayedWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="delayed_task")

    def work(self, task: ReceivedTask) -> Any:
        waited_s = time.time() - task.kwargs["pushed_at"]
        self.logger.info("ran %.1f s after the push", waited_s)
        return waited_s


def produce() -> None:
    producer = DelayedWorker()
    producer.push_task({"pushed_at": time.time()}, delay_s=5.0)
    print(f"delayed: {producer.number_of_enqueued_tasks(include_delayed=True)}, "
          f"ready now: {producer.number_of_enqueued_tasks()}")
    producer.close()


if __name__ == "__main__":
    produce()
