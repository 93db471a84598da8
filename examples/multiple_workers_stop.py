"""One worker that calls stop() stops every worker of its supervisor (the original's example 8).

    sergeant supervise examples.multiple_workers_stop:StoppingWorker --workers 2
    python -m examples.multiple_workers_stop

The producer pushes three tasks.  The worker that takes "first" calls
``stop()``; the supervisor then drains the other worker, which finishes
"second" (a 3 s sleep) and leases nothing more, and exits with 0.  "third"
never runs.  As in 1.x generally, the task that called ``stop()`` from
``work()`` is unfinished, so it goes back to its queue: start the supervisor
again and it stops again.  To stop after a task is done, call ``stop()`` from
``on_success`` (or ``post_work``) instead; see docs/migrating.md.
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class StoppingWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="multiple_workers_stop")

    def work(self, task: ReceivedTask) -> Any:
        param = task.kwargs["param"]
        if param == "first":
            self.logger.info("param: first, asking for a stop")
            self.stop()
        self.logger.info("param: %s, sleeping", param)
        time.sleep(3)
        return param

    def on_stop(self) -> None:
        self.logger.info("stop signal has been received")


def produce() -> list[str]:
    producer = StoppingWorker()
    ids = [producer.push_task({"param": param}) for param in ("first", "second", "third")]
    producer.close()
    return ids


if __name__ == "__main__":
    produce()
