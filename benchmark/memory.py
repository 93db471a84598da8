"""Memory of the fast path: Redis bytes per queued task against its payload, and the gateway's RSS during ingest.

    python -m benchmark.memory [--n 100000] [--batch 1000] [--out benchmark/results/memory.json]

One gateway on a fresh redis-server; the Python client pushes N no-op tasks with push_many (the packed form, a
few pushes in flight). Redis's INFO memory ``used_memory`` before and after gives the bytes each queued task costs,
set against the bytes of its payload (its msgpack kwargs); the gateway's RSS is sampled every 10 ms while it ingests.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import msgpack
import psutil
import redis

from benchmark.drivers.drive_sergeant import wait_serving
from benchmark.redis_server import free_port, redis_server
from sergeant.client import Client

QUEUE = "memory"
PAYLOAD = {"i": 1, "s": "x" * 32}  # the benchmark's usual no-op task


def measure(n: int, batch: int) -> dict[str, float]:
    with redis_server() as url:
        address = f"127.0.0.1:{free_port()}"
        gateway = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "--log-level", "WARNING", "serve",
                                    "--listen", address, "--store", url])
        try:
            wait_serving(address)
            r = redis.Redis.from_url(url)
            process = psutil.Process(gateway.pid)
            peak = process.memory_info().rss
            stop = threading.Event()

            def sample() -> None:
                nonlocal peak
                while not stop.wait(0.01):
                    peak = max(peak, process.memory_info().rss)

            sampler = threading.Thread(target=sample, daemon=True)
            with Client(address) as client:
                client.push_many(QUEUE, [PAYLOAD])  # scripts loaded, queue known: not counted below
                before = int(r.info("memory")["used_memory"])
                idle_rss = process.memory_info().rss
                sampler.start()
                started = time.perf_counter()
                for start in range(0, n, batch * 10):
                    client.push_many(QUEUE, [PAYLOAD] * min(batch * 10, n - start))
                elapsed = time.perf_counter() - started
                stop.set()
                sampler.join()
            after = int(r.info("memory")["used_memory"])
            payload = len(msgpack.packb(PAYLOAD))
            per_task = (after - before) / n
            return {"n": n, "payload_bytes": payload, "redis_bytes_per_task": round(per_task, 1),
                    "overhead_bytes_per_task": round(per_task - payload, 1), "goal_overhead_bytes": 80,
                    "gateway_rss_idle_mb": round(idle_rss / 2**20, 1), "gateway_rss_peak_mb": round(peak / 2**20, 1),
                    "goal_rss_mb": 150, "ingest_per_s": round(n / elapsed)}
        finally:
            gateway.terminate()
            gateway.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    figures = measure(args.n, args.batch)
    print(json.dumps(figures, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
