"""retry() until max_retries, then on_max_retries and the dead letters.

    sergeant supervise examples.max_retries:FlakyWorker --workers 1
    python -m examples.max_retries

The task runs 4 times (the first run and 3 retries, 0.5 s apart); the fourth
retry() raises WorkerMaxRetries instead, ``on_max_retries`` runs, and the task
lands in the dead letters (``Operations.ListDeadLetters``), replayable.
"""

from __future__ import annotations

from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class FlakyWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="max_retries", max_retries=3)

    def work(self, task: ReceivedTask) -> Any:
        self.logger.info("attempt %d", task.attempt)
        self.retry(task, delay_s=0.5)

    def on_retry(self, task: ReceivedTask) -> None:
        self.logger.info("retrying after attempt %d", task.attempt)

    def on_max_retries(self, task: ReceivedTask) -> None:
        self.logger.error("giving up on %s after %d attempts", task.id, task.attempt + 1)


def produce() -> None:
    producer = FlakyWorker()
    producer.push_task({"url": "https://example.invalid/"}, max_attempts=10)
    producer.close()


if __name__ == "__main__":
    produce()
