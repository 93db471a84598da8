"""The original Sergeant 0.27.0 (PyPI), with its Redis connector, msgpack and its own supervisor.

Produce: ``push_task`` (one RPUSH per task) and ``push_tasks`` (one RPUSH of a batch).
Consume: ``python -m sergeant.supervisor --concurrent-workers P`` running
orig_sergeant_workers:NoopWorker with ``tasks_per_transaction`` = ``--batch`` (LPOP count).
Latency: it has no results, so the task RPUSHes to a reply list that the driver BLPOPs.
"""

from __future__ import annotations

import importlib.metadata
import sys
from typing import Any

from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import PACKAGE, QUEUE, ROUND_TRIP_TIMEOUT_S, Driver, payload
from benchmark.drivers.orig_sergeant_workers import EMPTY_POLL_S, NoopWorker

REPLY = "bench:reply"


class OriginalSergeant(Driver):
    name = "sergeant (original)"
    version = importlib.metadata.version("sergeant")
    ready_key = QUEUE
    batch_form = "push_tasks (one RPUSH)"
    completion = "the worker INCRBYs bench:done once per batch, when it asks for the next batch"
    stop_whole_group = True  # its supervisor does not pass SIGTERM on; each worker stops on its own SIGTERM

    def __init__(self, args: bench_common.Args) -> None:
        super().__init__(args)
        self.worker = NoopWorker()
        self.worker.init_broker()

    def settings(self, scenario: str) -> dict[str, Any]:
        config = self.worker.config
        return {"connector": "redis", "serializer": config.encoder.serializer,
                "tasks_per_transaction": config.tasks_per_transaction, "number_of_threads": config.number_of_threads,
                "empty_poll": f"{EMPTY_POLL_S * 1000:g} ms (its built-in 1 s sleep bypassed)",
                "logging": "ERROR", "supervisor": "python -m sergeant.supervisor --concurrent-workers P"}

    def push_one(self, i: int) -> None:
        self.worker.push_task(payload(i))

    def push_batch(self, start: int, count: int) -> None:
        self.worker.push_tasks([payload(i) for i in range(start, start + count)])

    def worker_env(self) -> dict[str, str]:
        return {**super().worker_env(), "BENCH_BATCH": str(self.args.batch)}

    def worker_commands(self, processes: int) -> list[list[str]]:
        return [[sys.executable, "-m", "sergeant.supervisor", "--worker-module", f"{PACKAGE}.orig_sergeant_workers",
                 "--worker-class", "NoopWorker", "--concurrent-workers", str(processes)]]

    def round_trip(self, i: int) -> None:
        self.worker.push_task({**payload(i), "reply": REPLY})
        if self.redis.blpop([REPLY], timeout=ROUND_TRIP_TIMEOUT_S) is None:
            raise TimeoutError(f"no reply within {ROUND_TRIP_TIMEOUT_S} s")


if __name__ == "__main__":
    bench_common.main(OriginalSergeant)
