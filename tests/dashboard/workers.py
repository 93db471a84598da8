"""The worker the dashboard's browser test runs under a real supervisor (``tests.dashboard.workers:SteppedWorker``).

A task ``{"steps": n, ...}`` reports progress ``i / n`` ("step i", data ``{"step": i}``) for i = 1..n, and after each
report waits for the file ``$SERGEANT_TEST_GATES/<task id>.<i>``, which the test creates once the page shows step i:
the page cannot show a step late, from a final read, and pass. It returns ``{"steps": n}``."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig

_GATE_WAIT_S = 120.0


class SteppedWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name=os.environ["SERGEANT_TEST_QUEUE"])

    def work(self, task: ReceivedTask) -> Any:
        steps, gates = int(task.kwargs["steps"]), Path(os.environ["SERGEANT_TEST_GATES"])
        for step in range(1, steps + 1):
            self.report_progress(task, step / steps, f"step {step}", {"step": step})
            gate = gates / f"{task.id}.{step}"
            give_up = time.monotonic() + _GATE_WAIT_S
            while not gate.exists():
                if time.monotonic() > give_up:
                    raise TimeoutError(f"the test never opened {gate}")
                time.sleep(0.02)
        return {"steps": steps}
