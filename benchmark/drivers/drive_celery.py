# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""Celery 5 with its Redis transport: ``apply_async`` one by one (it has no bulk publish).

Consume: ``celery worker --pool=solo`` for one process, ``--pool=prefork --concurrency=P``
for P; ``--without-gossip --without-mingle --without-heartbeat``, loglevel WARNING, prefetch
multiplier 100.  Latency: ``echo.apply_async(...).get()`` on the Redis result backend.
"""

from __future__ import annotations

import sys
from typing import Any

import celery

from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import PACKAGE, ROUND_TRIP_TIMEOUT_S, Driver, payload
from benchmark.drivers.celery_app import PREFETCH_MULTIPLIER, QUEUE, echo, noop


class CeleryDriver(Driver):
    name = "celery"
    version = celery.__version__
    ready_key = QUEUE

    def settings(self, scenario: str) -> dict[str, Any]:
        pool = "prefork" if scenario == "consume" and self.args.processes > 1 else "solo"
        return {"broker": "redis (kombu)", "result_backend": "redis (latency only; noop ignores results)",
                "pool": pool, "concurrency": self.args.processes if pool == "prefork" else 1,
                "prefetch_multiplier": PREFETCH_MULTIPLIER, "flags": "--without-gossip --without-mingle "
                "--without-heartbeat", "loglevel": "WARNING", "serializer": "json (default)"}

    def push_one(self, i: int) -> None:
        noop.apply_async(kwargs=payload(i))

    def worker_commands(self, processes: int) -> list[list[str]]:
        pool = ["--pool=prefork", f"--concurrency={processes}"] if processes > 1 else ["--pool=solo"]
        return [[sys.executable, "-m", "celery", "-A", f"{PACKAGE}.celery_app", "worker", "-Q", QUEUE, *pool,
                 "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]]

    def round_trip(self, i: int) -> None:
        echo.apply_async(kwargs=payload(i)).get(timeout=ROUND_TRIP_TIMEOUT_S)


if __name__ == "__main__":
    bench_common.main(CeleryDriver)
