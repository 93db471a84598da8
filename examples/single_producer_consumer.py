"""One producer, one consumer (the original library's first example).

    sergeant supervise examples.single_producer_consumer:Consumer --workers 1
    python -m examples.single_producer_consumer     # pushes 10 tasks
"""

from __future__ import annotations

from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class Consumer(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="single_producer_consumer")

    def work(self, task: ReceivedTask) -> Any:
        self.logger.info("working on %s", task.kwargs)
        return task.kwargs["n"] * 2


def produce() -> None:
    producer = Consumer()  # any Worker can push to its own queue (or another one)
    ids = producer.push_tasks([{"n": n} for n in range(10)])
    print(f"pushed {len(ids)} tasks; first id {ids[0]}")
    producer.close()


if __name__ == "__main__":
    produce()
