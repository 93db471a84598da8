"""One producer, several consumer processes sharing a queue.

    sergeant supervise examples.multiple_consumers:Consumer --workers 4
    python -m examples.multiple_consumers            # pushes 1000 tasks

Each process leases 50 tasks per round trip; every task runs in exactly one of
them (a process that dies hands its unfinished tasks back at once).
"""

from __future__ import annotations

import os
import time
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class Consumer(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="multiple_consumers", tasks_per_transaction=50)

    def work(self, task: ReceivedTask) -> Any:
        # A millisecond of pretend I/O: with no work at all, one process can drain the queue before the others wake.
        time.sleep(0.001)
        return {"n": task.kwargs["n"], "pid": os.getpid()}


def produce() -> None:
    producer = Consumer()
    producer.push_tasks([{"n": n} for n in range(1000)])
    print(f"{producer.number_of_enqueued_tasks()} tasks waiting")
    producer.close()


if __name__ == "__main__":
    produce()
