"""Workers that the tests run in real child processes (``tests.worker.workers:ScriptedWorker``).

Each task's kwargs say what work() does (``{"action": "sleep", "s": 2}``); every
hook and handler appends a JSON line to the file named by
``SERGEANT_TEST_EVENTS``, so that a test can check what ran, in which order,
in which process.  ``SERGEANT_TEST_CONFIG`` holds WorkerConfig overrides as JSON.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

from sergeant.worker import OutcomeLogs, ReceivedTask, Starvation, Timeouts, Worker, WorkerConfig, WorkerTimedout


def record(event: str, **fields: Any) -> None:
    path = os.environ.get("SERGEANT_TEST_EVENTS")
    if path:
        line = json.dumps({"event": event, "pid": os.getpid(), "at": time.time(), **fields}) + "\n"
        # One write of one line in append mode: lines from several processes never interleave.
        with open(path, "a") as f:
            f.write(line)


def config_from_env() -> WorkerConfig:
    overrides: dict[str, Any] = json.loads(os.environ.get("SERGEANT_TEST_CONFIG", "{}"))
    if "timeouts" in overrides:
        overrides["timeouts"] = Timeouts(**overrides["timeouts"])
    if "outcome_logs" in overrides:
        overrides["outcome_logs"] = OutcomeLogs(**overrides["outcome_logs"])
    if "starvation" in overrides:
        overrides["starvation"] = Starvation(**overrides["starvation"])
    return WorkerConfig(name=os.environ["SERGEANT_TEST_QUEUE"], **overrides)


class ScriptedWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return config_from_env()

    def initialize(self) -> None:
        record("initialize", worker_id=self.worker_id)

    def finalize(self) -> None:
        record("finalize")

    def pre_work(self, task: ReceivedTask) -> None:
        record("pre_work", task=task.id, attempt=task.attempt)

    def post_work(self, task: ReceivedTask, success: bool, exception: BaseException | None) -> None:
        record("post_work", task=task.id, success=success, exception=type(exception).__name__ if exception else None)

    def work(self, task: ReceivedTask) -> Any:
        record("work", task=task.id, attempt=task.attempt, trace_id=task.trace_id)
        action = task.kwargs.get("action", "ok")
        return getattr(self, f"do_{action}")(task)

    # --- what work() can be asked to do ---------------------------------------------------

    def do_ok(self, task: ReceivedTask) -> Any:
        return {"echo": task.kwargs}

    def do_fail(self, task: ReceivedTask) -> Any:
        raise ValueError(f"asked to fail: {task.kwargs.get('why', '')}")

    def do_fail_then_retry(self, task: ReceivedTask) -> Any:
        raise KeyError("on_failure retries this")

    def do_retry(self, task: ReceivedTask) -> Any:
        self.retry(task, delay_s=task.kwargs.get("delay_s", 0.0))

    def do_requeue(self, task: ReceivedTask) -> Any:
        if task.kwargs.get("once") and self.get_key(f"requeued-{task.id}"):
            return "second run"
        self.set_key(f"requeued-{task.id}", True)
        self.requeue(task)

    def do_sleep(self, task: ReceivedTask) -> Any:
        """Python-level sleeping in short steps: both executors can interrupt it."""
        give_up = time.monotonic() + float(task.kwargs.get("s", 1.0))
        while time.monotonic() < give_up:
            time.sleep(0.02)
        return "slept"

    def do_block(self, task: ReceivedTask) -> Any:
        """One long blocking syscall: a signal interrupts it, an async exception cannot."""
        time.sleep(float(task.kwargs.get("s", 30.0)))
        return "blocked"

    def do_ignore_timeout(self, task: ReceivedTask) -> Any:
        give_up = time.monotonic() + float(task.kwargs.get("s", 30.0))
        while time.monotonic() < give_up:
            try:
                time.sleep(0.02)
            except WorkerTimedout:
                record("swallowed_timeout", task=task.id)
        return "ignored"

    def do_swallow_timeout(self, task: ReceivedTask) -> Any:
        """Catch the timeout and return a value, well before the hard kill."""
        try:
            while True:
                time.sleep(0.02)
        except WorkerTimedout:
            record("swallowed_timeout", task=task.id)
        return "returned anyway"

    def do_regex(self, task: ReceivedTask) -> Any:
        # Catastrophic backtracking: C code that holds the GIL for hours.
        return bool(re.match(r"(a+)+$", "a" * 40 + "b"))

    def do_allocate(self, task: ReceivedTask) -> Any:
        hog = bytearray(int(task.kwargs["mb"]) << 20)
        for i in range(0, len(hog), 4096):  # touch every page so it counts as resident
            hog[i] = 1
        time.sleep(float(task.kwargs.get("s", 30.0)))
        return len(hog)

    def do_progress(self, task: ReceivedTask) -> Any:
        for step in range(1, 4):
            self.report_progress(task, step / 4, f"step {step}", {"step": step})
            time.sleep(0.05)
        return "done"

    def do_stop(self, task: ReceivedTask) -> Any:
        self.stop()

    def do_respawn(self, task: ReceivedTask) -> Any:
        self.respawn()

    def do_exit(self, task: ReceivedTask) -> Any:
        os._exit(int(task.kwargs.get("code", 1)))

    # --- handlers ------------------------------------------------------------------------

    def on_success(self, task: ReceivedTask, returned_value: Any) -> None:
        record("on_success", task=task.id, value=returned_value)

    def on_failure(self, task: ReceivedTask, exception: Exception) -> None:
        record("on_failure", task=task.id, exception=type(exception).__name__)
        if isinstance(exception, KeyError):
            self.retry(task, delay_s=0.0)
        if task.kwargs.get("handler_raises"):
            raise RuntimeError("a broken on_failure handler")

    def on_timeout(self, task: ReceivedTask) -> None:
        record("on_timeout", task=task.id)

    def on_retry(self, task: ReceivedTask) -> None:
        record("on_retry", task=task.id, attempt=task.attempt)

    def on_max_retries(self, task: ReceivedTask) -> None:
        record("on_max_retries", task=task.id, attempt=task.attempt)

    def on_requeue(self, task: ReceivedTask) -> None:
        record("on_requeue", task=task.id)

    def on_starvation(self, time_with_no_tasks: float) -> None:
        record("on_starvation", idle_s=time_with_no_tasks)
        if os.environ.get("SERGEANT_TEST_STOP_WHEN_STARVING"):
            self.stop()

    def on_stop(self) -> None:
        record("on_stop")


class NotAWorker:
    pass


class BrokenConfigWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="bad queue name!")


class NoopWorker(Worker):
    """For the consume benchmark: the cheapest possible task."""

    def generate_config(self) -> WorkerConfig:
        return config_from_env()

    def work(self, task: ReceivedTask) -> Any:
        return None
