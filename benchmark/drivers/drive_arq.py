# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""arq (asyncio): ``enqueue_job`` one by one; its best batch form is concurrency, not a bulk call:
``asyncio.gather`` of 100 ``enqueue_job`` at a time.

Consume: P processes of ``python -m benchmark.drivers.arq_app`` (run_worker, poll_delay 1 ms, max_jobs 10,
logging WARNING).  Latency: ``enqueue_job`` then ``job.result(poll_delay=0.001)``.
Each call runs to completion on one event loop of the driver (``run_until_complete``).
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import sys
from typing import Any

from arq import create_pool

from benchmark.drivers import bench_common
from benchmark.drivers.arq_app import MAX_JOBS, POLL_DELAY_S, QUEUE, redis_settings
from benchmark.drivers.bench_common import PACKAGE, ROUND_TRIP_TIMEOUT_S, Args, Driver, payload

GATHER = 100


class ArqDriver(Driver):
    name = "arq"
    version = importlib.metadata.version("arq")
    ready_key = QUEUE
    batch_form = f"asyncio.gather of {GATHER} enqueue_job (no bulk call)"

    def __init__(self, args: Args) -> None:
        super().__init__(args)
        self.loop = asyncio.new_event_loop()
        self.pool = self.loop.run_until_complete(create_pool(redis_settings(), default_queue_name=QUEUE))

    def settings(self, scenario: str) -> dict[str, Any]:
        return {"processes": self.args.processes if scenario == "consume" else 1, "poll_delay_s": POLL_DELAY_S,
                "max_jobs": MAX_JOBS, "keep_result": "3600 s (default)", "logging": "WARNING",
                "result_poll_delay_s": 0.001}

    def push_one(self, i: int) -> None:
        self.loop.run_until_complete(self.pool.enqueue_job("noop", **payload(i)))

    def push_batch(self, start: int, count: int) -> None:
        async def push() -> None:
            for first in range(start, start + count, GATHER):
                last = min(first + GATHER, start + count)
                await asyncio.gather(*(self.pool.enqueue_job("noop", **payload(i)) for i in range(first, last)))

        self.loop.run_until_complete(push())

    def worker_commands(self, processes: int) -> list[list[str]]:
        return [[sys.executable, "-m", f"{PACKAGE}.arq_app"]] * processes

    def round_trip(self, i: int) -> None:
        async def trip() -> None:
            job = await self.pool.enqueue_job("echo", **payload(i))
            assert job is not None
            await job.result(timeout=ROUND_TRIP_TIMEOUT_S, poll_delay=0.001)

        self.loop.run_until_complete(trip())

    def close(self) -> None:
        self.loop.run_until_complete(self.pool.aclose())
        self.loop.close()
        super().close()


if __name__ == "__main__":
    bench_common.main(ArqDriver)
