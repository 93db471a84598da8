# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""The arq worker the benchmark runs (``python -m benchmark.drivers.arq_app``, in arq's own venv).

``run_worker(WorkerSettings)`` with logging at WARNING (arq's own CLI logs every job at INFO).
Queue ``arq:bench`` on the run's Redis (BENCH_REDIS_URL); polling lowered to 1 ms (default
0.5 s); both functions INCR bench:done; results kept for arq's default hour.
"""

from __future__ import annotations

import logging
import os
from typing import Any, ClassVar

from arq import run_worker
from arq.connections import RedisSettings

QUEUE = "arq:bench"
COUNTER_KEY = "bench:done"
POLL_DELAY_S = 0.001
MAX_JOBS = 10  # arq's default


async def noop(ctx: dict[str, Any], i: int, s: str) -> None:
    await ctx["redis"].incr(COUNTER_KEY)


async def echo(ctx: dict[str, Any], i: int, s: str) -> int:
    await ctx["redis"].incr(COUNTER_KEY)
    return i


def redis_settings() -> RedisSettings:
    return RedisSettings.from_dsn(os.environ["BENCH_REDIS_URL"])


class WorkerSettings:
    functions: ClassVar = [noop, echo]
    queue_name = QUEUE
    poll_delay = POLL_DELAY_S
    max_jobs = MAX_JOBS
    redis_settings = redis_settings()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    run_worker(WorkerSettings)
