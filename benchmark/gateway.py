"""Gateway benchmark on loopback against one Redis, in one run:

* ingest through the gateway in batches of 1,000 (prepared PushRequests, so the figure is the gateway's, not the
  client's encoding) next to the same tasks RPUSHed straight to Redis with redis-py;
* single-task pushes per second with 1 and with 64 concurrent callers (grpc.aio);
* submit-to-result latency (p50, p99, max) through one no-op worker process.

    python -m benchmark.gateway [--n 100000] [--singles 5000] [--latency 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import msgpack
import redis

from benchmark.redis_server import free_port, redis_server
from sergeant.client import Client
from sergeant.task import new_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc, task_pb2

ROOT = Path(__file__).resolve().parents[1]


def kwargs_bytes(i: int) -> bytes:
    packed: bytes = msgpack.packb({"i": i, "s": "x" * 32})
    return packed


@contextlib.contextmanager
def process(argv: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_healthy(address: str) -> None:
    deadline = time.monotonic() + 30
    while subprocess.run(["sergeant", "health", "--address", address], capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"gateway at {address} never became healthy")
        time.sleep(0.2)


def ingest(address: str, url: str, n: int) -> dict[str, float]:
    requests = [producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="ingest", kwargs=kwargs_bytes(i))
                                                for i in range(b, b + 1000)]) for b in range(0, n, 1000)]
    with grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
        push = producer_pb2_grpc.ProducerStub(channel).Push
        push(requests[0])  # warm the connection and the server's code paths
        started = time.perf_counter()
        for request in requests:
            push(request)
        gateway = n / (time.perf_counter() - started)
    raw = redis.Redis.from_url(url)
    values = [[kwargs_bytes(i) for i in range(b, b + 1000)] for b in range(0, n, 1000)]
    started = time.perf_counter()
    for batch in values:
        raw.rpush("raw-ingest", *batch)
    direct = n / (time.perf_counter() - started)
    return {"gateway_batched_per_s": round(gateway), "redis_py_rpush_per_s": round(direct),
            "ratio": round(gateway / direct, 3)}


async def singles(address: str, n: int, concurrency: int) -> float:
    async with grpc.aio.insecure_channel(address) as channel:
        push = producer_pb2_grpc.ProducerStub(channel).Push
        await push(producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="singles", kwargs=kwargs_bytes(0))]))
        per_caller = n // concurrency

        async def caller() -> None:
            for i in range(per_caller):
                await push(producer_pb2.PushRequest(tasks=[task_pb2.Task(id=new_task_id(), queue="singles",
                                                                         kwargs=kwargs_bytes(i))]))

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        return per_caller * concurrency / (time.perf_counter() - started)


def latency(address: str, env: dict[str, str], n: int) -> dict[str, float]:
    worker_env = {**env, "BENCH_BATCH": "1", "BENCH_EXECUTOR": "threaded", "PYTHONPATH": str(ROOT / "benchmark")}
    with process(["sergeant", "supervise", "drivers.sergeant_workers:NoopWorker", "--workers", "1"], worker_env), \
            Client(address) as client:
        client.submit("bench", {"i": -1}).result(timeout=60)  # the worker is up
        samples = []
        for i in range(n):
            started = time.perf_counter()
            client.submit("bench", {"i": i}).result(timeout=30)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2), "p99_ms": round(samples[int(len(samples) * 0.99)], 2),
            "max_ms": round(samples[-1], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=5_000)
    parser.add_argument("--latency", type=int, default=2_000)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    with redis_server() as url:
        address = f"127.0.0.1:{free_port()}"
        env = {**os.environ, "SERGEANT_STORE": url, "SERGEANT_GATEWAY": address}
        with process(["sergeant", "--log-level", "WARNING", "serve", "--listen", address, "--max-batch", "10000"],
                     env):
            wait_healthy(address)
            figures: dict[str, object] = {"ingest": ingest(address, url, args.n)}
            figures["single_push_per_s"] = {
                "1_caller": round(asyncio.run(singles(address, args.singles, 1))),
                "64_callers": round(asyncio.run(singles(address, args.singles, 64))),
            }
            figures["submit_to_result"] = latency(address, env, args.latency)
    print(json.dumps(figures, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
