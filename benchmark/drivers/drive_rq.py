# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""RQ with SimpleWorker (no fork per job): ``Queue.enqueue`` one by one, ``Queue.enqueue_many`` batched.

Consume: P processes of ``rq worker bench -w rq.worker.SimpleWorker --logging_level WARNING``
(RQ's defaults otherwise: results kept 500 s).  Latency: ``enqueue`` then
``job.latest_result(timeout=...)`` (a blocking stream read).
"""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path
from typing import Any

from rq import Queue

from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import ROUND_TRIP_TIMEOUT_S, Args, Driver, payload
from benchmark.drivers.rq_jobs import echo, noop

QUEUE = "bench"
WORKER_CLASS = "rq.worker.SimpleWorker"


class RQDriver(Driver):
    name = "rq"
    version = importlib.metadata.version("rq")
    ready_key = f"rq:queue:{QUEUE}"
    batch_form = "Queue.enqueue_many (one pipeline)"

    def __init__(self, args: Args) -> None:
        super().__init__(args)
        self.queue = Queue(QUEUE, connection=self.redis)

    def settings(self, scenario: str) -> dict[str, Any]:
        return {"worker_class": WORKER_CLASS, "processes": self.args.processes if scenario == "consume" else 1,
                "logging_level": "WARNING", "result_ttl": "500 s (default)", "serializer": "pickle (default)"}

    def push_one(self, i: int) -> None:
        self.queue.enqueue(noop, kwargs=payload(i))

    def push_batch(self, start: int, count: int) -> None:
        self.queue.enqueue_many([Queue.prepare_data(noop, kwargs=payload(i)) for i in range(start, start + count)])

    def worker_commands(self, processes: int) -> list[list[str]]:
        rq = str(Path(sys.executable).parent / "rq")
        argv = [rq, "worker", QUEUE, "-w", WORKER_CLASS, "--url", self.args.redis_url, "--logging_level", "WARNING"]
        return [argv] * processes

    def round_trip(self, i: int) -> None:
        job = self.queue.enqueue(echo, kwargs=payload(i))
        if job.latest_result(timeout=int(ROUND_TRIP_TIMEOUT_S)) is None:
            raise TimeoutError(f"no result within {ROUND_TRIP_TIMEOUT_S} s")


if __name__ == "__main__":
    bench_common.main(RQDriver)
