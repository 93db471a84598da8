"""A task that leaves threads running forever cannot keep its process alive.

    sergeant supervise examples.hanging_threads:LeakyWorker --workers 1
    python -m examples.hanging_threads

Each task starts two non-daemon threads that never end (one even ignores
SystemExit).  With ``max_tasks_per_run=1`` the process exits after each task;
the worker process leaves with ``os._exit``, so such threads die with it, and
the supervisor starts a fresh process for the next task.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


def _forever(name: str) -> None:
    while True:
        try:
            time.sleep(1.0)
        except SystemExit:
            print(f"{name}: ignoring SystemExit")


class LeakyWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="hanging_threads", max_tasks_per_run=1)

    def work(self, task: ReceivedTask) -> Any:
        for name in ("poller", "stubborn"):
            threading.Thread(target=_forever, args=(name,), name=name, daemon=False).start()
        return "left two threads behind"


def produce() -> None:
    producer = LeakyWorker()
    producer.push_tasks([{"n": n} for n in range(3)])
    producer.close()


if __name__ == "__main__":
    produce()
