"""The no-op Sergeant worker the benchmark supervises (``sergeant_workers:NoopWorker``).

Its settings come from the environment the driver sets: the queue, the store, the gateway
(SERGEANT_STORE / SERGEANT_GATEWAY, read by WorkerConfig itself), the lease batch
(BENCH_BATCH) and the executor (BENCH_EXECUTOR).
"""

from __future__ import annotations

import os
from typing import Any

from sergeant.worker import ReceivedTask, Worker, WorkerConfig

QUEUE = "bench"


def bench_config() -> WorkerConfig:
    return WorkerConfig(
        name=QUEUE,
        tasks_per_transaction=int(os.environ.get("BENCH_BATCH", "1000")),
        executor=os.environ.get("BENCH_EXECUTOR", "process"),
        log_level="WARNING",
    )


class NoopWorker(Worker):
    def generate_config(self) -> WorkerConfig:
        return bench_config()

    def work(self, task: ReceivedTask) -> Any:
        return None
