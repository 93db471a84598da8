"""A pipeline: a worker that consumes one queue and produces into another (the original's example 3).

    sergeant supervise examples.mixed_producer_consumer:ConsumerA --workers 1 &
    sergeant supervise examples.mixed_producer_consumer:ConsumerB --workers 1 &
    python -m examples.mixed_producer_consumer

The producer pushes one task to ``consumer_a``.  ``ConsumerA`` logs "I am
consumer_a. Got parameter: task from producer" and pushes a task to
``consumer_b``, whose worker logs "I am consumer_b. Got parameter: hello from
consumer a".  ``ConsumerA`` runs one task per process (``max_tasks_per_run=1``),
so its supervisor starts a fresh process after each.
"""

from __future__ import annotations

from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class ConsumerA(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="consumer_a", max_tasks_per_run=1, max_retries=3)

    def work(self, task: ReceivedTask) -> Any:
        self.logger.info("I am consumer_a. Got parameter: %s", task.kwargs["some_parameter"])
        # want_result: the id it returns can be followed to consumer_b's result
        return self.push_task({"some_parameter": "hello from consumer a"}, queue="consumer_b", want_result=True)


class ConsumerB(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="consumer_b", max_tasks_per_run=1, max_retries=3)

    def work(self, task: ReceivedTask) -> Any:
        self.logger.info("I am consumer_b. Got parameter: %s", task.kwargs["some_parameter"])
        return task.kwargs["some_parameter"]


def produce() -> str:
    producer = ConsumerA()
    task_id = producer.push_task({"some_parameter": "task from producer"})
    producer.close()
    return task_id


if __name__ == "__main__":
    produce()
