"""Ten threads in one process, for I/O-bound tasks.

    sergeant supervise examples.multithreaded_worker:IoWorker --workers 1
    python -m examples.multithreaded_worker

100 tasks of 0.5 s each take about 5 s, not 50.  A thread that overruns its
timeout gets WorkerTimedout raised inside it by the thread killer.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sergeant.worker import ReceivedTask, Timeouts, Worker, WorkerConfig


class IoWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="multithreaded_worker", executor="threaded", number_of_threads=10,
                            tasks_per_transaction=20, timeouts=Timeouts(timeout_s=5.0, grace_period_s=5.0))

    def work(self, task: ReceivedTask) -> Any:
        time.sleep(0.5)  # stands for a network call
        return threading.current_thread().name


def produce() -> None:
    producer = IoWorker()
    producer.push_tasks([{"n": n} for n in range(100)])
    producer.close()


if __name__ == "__main__":
    produce()
