"""A worker written as a Sergeant 0.27 user wrote one, run unchanged under 1.x (tests/worker/test_migrating.py).

Its queue and SQLite file come from the test's environment; everything else is 0.27 spelling.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import sergeant
from tests.worker.workers import record


class Worker(sergeant.worker.Worker):
    def generate_config(self) -> Any:
        return sergeant.config.WorkerConfig(
            name=os.environ["SERGEANT_TEST_QUEUE"],
            connector=sergeant.config.Connector(
                type="local", params={"file_path": os.environ["SERGEANT_STORE"].removeprefix("sqlite:///")}),
            max_tasks_per_run=0,
            max_retries=2,
            tasks_per_transaction=1,
            number_of_threads=1,
            encoder=sergeant.config.Encoder(compressor="zlib", serializer="msgpack"),
            timeouts=sergeant.config.Timeouts(timeout=0.5, grace_period=5.0),
            logging=sergeant.config.Logging(level=logging.INFO, log_to_stdout=True,
                                            events=sergeant.config.LoggingEvents(on_success=True, on_retry=False)),
            starvation=sergeant.config.Starvation(time_with_no_tasks=30),
        )

    def initialize(self) -> None:
        record("initialize")

    def finalize(self) -> None:
        record("finalize")

    def pre_work(self, task: Any) -> None:
        record("pre_work", task=task.kwargs["n"], run_count=task.run_count)

    def post_work(self, task: Any, success: bool, exception: BaseException | None) -> None:
        record("post_work", task=task.kwargs["n"], success=success)

    def work(self, task: Any) -> Any:
        action = task.kwargs["action"]
        self.logger.info("working on %s", action)
        if action == "retry":
            self.retry(task)
        if action == "fail":
            raise ValueError("asked to")
        if action == "sleep":
            import time

            time.sleep(5)
        if action == "stop":
            self.stop()
        return task.kwargs["n"]

    def on_success(self, task: Any, returned_value: Any) -> None:
        record("on_success", task=task.kwargs["n"], value=returned_value)

    def on_failure(self, task: Any, exception: Exception) -> None:
        record("on_failure", task=task.kwargs["n"], exception=type(exception).__name__)

    def on_timeout(self, task: Any) -> None:
        record("on_timeout", task=task.kwargs["n"])

    def on_retry(self, task: Any) -> None:
        record("on_retry", task=task.kwargs["n"])

    def on_max_retries(self, task: Any) -> None:
        record("on_max_retries", task=task.kwargs["n"])

    def on_requeue(self, task: Any) -> None:
        record("on_requeue", task=task.kwargs["n"])

    def on_starvation(self, time_with_no_tasks: float) -> None:
        record("on_starvation")

    def on_stop(self) -> None:
        record("on_stop")
