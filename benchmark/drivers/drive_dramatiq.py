# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""Dramatiq with its Redis broker: ``actor.send`` one by one (it has no bulk enqueue).

Consume: ``dramatiq dramatiq_app --processes P --threads 8`` (its default threads) with
``dramatiq_queue_prefetch=1000`` and ``dramatiq_worker_timeout=1`` (ms: the idle fetch backoff
is capped at 1 ms), ``--skip-logging``, ``--worker-shutdown-timeout 5000``.
Latency: ``echo.send(...).get_result(block=True)`` on the Redis results backend.
"""

from __future__ import annotations

import sys
from typing import Any

import dramatiq

from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import PACKAGE, ROUND_TRIP_TIMEOUT_S, Driver, payload
from benchmark.drivers.dramatiq_app import QUEUE, echo, noop

THREADS = 8
PREFETCH = 1000
WORKER_TIMEOUT_MS = 1


class DramatiqDriver(Driver):
    name = "dramatiq"
    version = dramatiq.__version__
    ready_key = f"dramatiq:{QUEUE}"

    def settings(self, scenario: str) -> dict[str, Any]:
        return {"broker": "RedisBroker", "middleware": "defaults + Results(RedisBackend) for latency",
                "processes": self.args.processes if scenario == "consume" else 1, "threads": THREADS,
                "queue_prefetch": PREFETCH, "worker_timeout_ms": WORKER_TIMEOUT_MS, "logging": "--skip-logging",
                "max_retries": 0}

    def push_one(self, i: int) -> None:
        noop.send(**payload(i))

    def worker_env(self) -> dict[str, str]:
        return {**super().worker_env(), "dramatiq_queue_prefetch": str(PREFETCH),
                "dramatiq_worker_timeout": str(WORKER_TIMEOUT_MS)}

    def worker_commands(self, processes: int) -> list[list[str]]:
        return [[sys.executable, "-m", "dramatiq", f"{PACKAGE}.dramatiq_app", "--processes", str(processes), "--threads",
                 str(THREADS), "--queues", QUEUE, "--skip-logging", "--worker-shutdown-timeout", "5000"]]

    def round_trip(self, i: int) -> None:
        echo.send(**payload(i)).get_result(block=True, timeout=int(ROUND_TRIP_TIMEOUT_S * 1000))


if __name__ == "__main__":
    bench_common.main(DramatiqDriver)
