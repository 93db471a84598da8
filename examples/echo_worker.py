"""The quick-start worker: consumes queue "echo" and returns ``{"echo": kwargs, "keys": <number of keys>}``.

    sergeant serve --store redis://127.0.0.1:6379/0 &
    SERGEANT_STORE=redis://127.0.0.1:6379/0 sergeant supervise examples.echo_worker:EchoWorker --workers 2

Push to "echo" from any client (Python, Go, Java, Node, grpcurl) and read the
result back.  The cross-language tests steer it through the kwargs:

* ``progress: n``: report n progress steps first (``i / n``, "step i", data ``{"step": i}``);
* ``sleep_s: s``: sleep that long first, in short steps, so that a cancel stops it;
* ``fail: "why"``: raise ValueError (the task is retried, then dead-lettered).
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig


class EchoWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        # store_url, gateway, token and key_prefix come from $SERGEANT_STORE, $SERGEANT_GATEWAY,
        # $SERGEANT_TOKEN and $SERGEANT_KEY_PREFIX.
        return WorkerConfig(name="echo", executor="threaded", number_of_threads=4, tasks_per_transaction=100)

    def work(self, task: ReceivedTask) -> Any:
        kwargs = task.kwargs
        steps = int(kwargs.get("progress", 0))
        for step in range(1, steps + 1):
            self.report_progress(task, step / steps, f"step {step}", {"step": step})
        give_up = time.monotonic() + float(kwargs.get("sleep_s", 0))
        while time.monotonic() < give_up:
            time.sleep(0.02)  # short steps: the thread killer's cancel lands between them
        if "fail" in kwargs:
            raise ValueError(f"asked to fail: {kwargs['fail']}")
        return {"echo": kwargs, "keys": len(kwargs)}
