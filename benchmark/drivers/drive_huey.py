# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""Huey with RedisHuey: calling the task enqueues it, one by one (it has no bulk enqueue).

Consume: ``huey_consumer huey_app.huey -w 1 -k thread`` for one process, ``-w P -k process``
for P; polling after an empty dequeue lowered to ``-d 0.001 -m 0.01`` (defaults 0.1 s and
10 s); ``-q``.  Stopped with SIGINT, its graceful signal.  Latency: ``echo(...).get(blocking=True)``
with result notifications.
"""

from __future__ import annotations

import importlib.metadata
import signal
import sys
from typing import Any

from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import PACKAGE, ROUND_TRIP_TIMEOUT_S, Driver, payload
from benchmark.drivers.huey_app import QUEUE, echo, noop

POLL = ["-d", "0.001", "-m", "0.01"]


class HueyDriver(Driver):
    name = "huey"
    version = importlib.metadata.version("huey")
    ready_key = f"huey.redis.{QUEUE}"
    stop_signal = signal.SIGINT

    def settings(self, scenario: str) -> dict[str, Any]:
        processes = self.args.processes if scenario == "consume" else 1
        return {"storage": "RedisHuey (blocking BRPOP)", "notify_result": True,
                "workers": f"-w {processes} -k {'process' if processes > 1 else 'thread'}",
                "polling": " ".join(POLL) + " (defaults -d 0.1 -m 10)", "logging": "-q"}

    def push_one(self, i: int) -> None:
        noop(**payload(i))

    def worker_commands(self, processes: int) -> list[list[str]]:
        kind = "process" if processes > 1 else "thread"
        return [[sys.executable, "-m", "huey.bin.huey_consumer", f"{PACKAGE}.huey_app.huey", "-w", str(processes), "-k", kind,
                 *POLL, "-q"]]

    def round_trip(self, i: int) -> None:
        echo(**payload(i)).get(blocking=True, timeout=ROUND_TRIP_TIMEOUT_S)


if __name__ == "__main__":
    bench_common.main(HueyDriver)
