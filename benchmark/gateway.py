"""Gateway benchmark on loopback against one Redis, in one run:

* ingest through the gateway in batches of 1,000 next to the same tasks RPUSHed straight to Redis with redis-py
  (the machine is shared and noisy: compare ratios to redis-py of one run, not rates across runs):
  - prepared requests, so the figure is the gateway's, not the client's encoding: the repeated form, and the packed
    form with 1, 2 and 4 pushes in flight;
  - the Python client's push_many (packed, its own encoding included) with 1, 2 and 4 in flight;
* single-task pushes per second: raw unary Pushes with 1 and 64 concurrent callers (grpc.aio; 64 also over 8
  connections, which ``--processes`` spreads over its processes), and the clients'
  push from 64 coroutines (asyncio) and from 64 threads (blocking), with their coalescing on (linger 1 ms) and off;
* submit-to-result latency (p50, p99, max) through one no-op worker process.

    python -m benchmark.gateway [--n 100000] [--singles 5000] [--latency 2000] [--processes 1]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import msgpack
import redis

from benchmark.redis_server import free_port, redis_server
from sergeant.client import AsyncClient, Client
from sergeant.packed import pack_batch
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
    raw = redis.Redis.from_url(url)
    values = [[kwargs_bytes(i) for i in range(b, b + 1000)] for b in range(0, n, 1000)]
    started = time.perf_counter()
    for batch in values:
        raw.rpush("raw-ingest", *batch)
    direct = n / (time.perf_counter() - started)
    repeated = [producer_pb2.PushRequest(tasks=[task_pb2.Task(id=new_task_id(), queue="ingest", kwargs=kwargs_bytes(i))
                                                for i in range(b, b + 1000)]) for b in range(0, n, 1000)]
    figures: dict[str, float] = {"redis_py_rpush_per_s": round(direct)}
    with grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
        push = producer_pb2_grpc.ProducerStub(channel).Push
        push(repeated[0])  # warm the connection and the server's code paths
        figures["repeated_per_s"] = round(_rate(push, repeated, 1))
        for in_flight in (1, 2, 4):
            packed = [producer_pb2.PushRequest(packed=producer_pb2.PackedTasks(version=1, queue="ingest", tasks=pack_batch(
                [[new_task_id(), {"i": i, "s": "x" * 32}] for i in range(b, b + 1000)]))) for b in range(0, n, 1000)]
            figures[f"packed_{in_flight}_in_flight_per_s"] = round(_rate(push, packed, in_flight))
    many = [{"i": i, "s": "x" * 32} for i in range(n)]
    for in_flight in (1, 2, 4):
        with Client(address, in_flight=in_flight) as client:
            client.push_many("ingest", many[:1000])
            started = time.perf_counter()
            client.push_many("ingest", many)
            figures[f"client_push_many_{in_flight}_in_flight_per_s"] = round(n / (time.perf_counter() - started))
    for key in [k for k in figures if k != "redis_py_rpush_per_s"]:
        figures[key.replace("_per_s", "_vs_redis_py")] = round(figures[key] / direct, 3)
    return figures


def _rate(push: Any, requests: list[producer_pb2.PushRequest], in_flight: int) -> float:
    """Tasks per second pushing prepared requests with up to ``in_flight`` of them in flight."""
    pending: collections.deque[Any] = collections.deque()
    started = time.perf_counter()
    for request in requests:
        if len(pending) >= in_flight:
            pending.popleft().result()
        pending.append(push.future(request))
    while pending:
        pending.popleft().result()
    return len(requests) * 1000 / (time.perf_counter() - started)


async def singles(address: str, n: int, concurrency: int, connections: int = 1) -> float:
    """Raw unary Pushes of one task from ``concurrency`` callers over ``connections`` connections of their own (with
    ``serve --processes N`` the kernel spreads connections, not calls, over the processes)."""
    channels = [grpc.aio.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(connections)]
    try:
        pushes = [producer_pb2_grpc.ProducerStub(channel).Push for channel in channels]
        for push in pushes:
            await push(producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="singles", kwargs=kwargs_bytes(0))]))
        per_caller = n // concurrency

        async def caller(push: Any) -> None:
            for i in range(per_caller):
                await push(producer_pb2.PushRequest(tasks=[task_pb2.Task(id=new_task_id(), queue="singles",
                                                                         kwargs=kwargs_bytes(i))]))

        started = time.perf_counter()
        await asyncio.gather(*(caller(pushes[c % connections]) for c in range(concurrency)))
        return per_caller * concurrency / (time.perf_counter() - started)
    finally:
        for channel in channels:
            await channel.close(None)


async def client_singles(address: str, n: int, concurrency: int, linger_s: float) -> float:
    """The asyncio client's push from ``concurrency`` coroutines: coalesced into shared Pushes unless linger is 0."""
    async with AsyncClient(address, linger_s=linger_s) as client:
        await client.push("singles", {"i": -1})
        per_caller = n // concurrency

        async def caller() -> None:
            for i in range(per_caller):
                await client.push("singles", {"i": i, "s": "x" * 32})

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        return per_caller * concurrency / (time.perf_counter() - started)


def thread_singles(address: str, n: int, concurrency: int, linger_s: float) -> float:
    """The blocking client's push from ``concurrency`` threads: coalesced into shared Pushes unless linger is 0."""
    with Client(address, linger_s=linger_s) as client:
        client.push("singles", {"i": -1})
        per_caller = n // concurrency

        def caller() -> None:
            for i in range(per_caller):
                client.push("singles", {"i": i, "s": "x" * 32})

        threads = [threading.Thread(target=caller) for _ in range(concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
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
    parser.add_argument("--processes", type=int, default=1, help="gateway processes (sergeant serve --processes)")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    with redis_server() as url:
        address = f"127.0.0.1:{free_port()}"
        env = {**os.environ, "SERGEANT_STORE": url, "SERGEANT_GATEWAY": address}
        with process(["sergeant", "--log-level", "WARNING", "serve", "--listen", address, "--max-batch", "10000",
                      "--processes", str(args.processes)],
                     env):
            wait_healthy(address)
            figures: dict[str, object] = {"ingest": ingest(address, url, args.n)}
            figures["single_push_per_s"] = {
                "1_caller": round(asyncio.run(singles(address, args.singles, 1))),
                "64_callers": round(asyncio.run(singles(address, args.singles, 64))),
                "64_callers_8_connections": round(asyncio.run(singles(address, args.singles, 64, 8))),
                "client_64_coroutines_coalescing_off": round(asyncio.run(client_singles(address, args.singles, 64, 0))),
                "client_64_coroutines_coalescing_on": round(asyncio.run(client_singles(address, args.singles, 64,
                                                                                        0.001))),
                "client_64_threads_coalescing_off": round(thread_singles(address, args.singles, 64, 0)),
                "client_64_threads_coalescing_on": round(thread_singles(address, args.singles, 64, 0.001)),
            }
            figures["submit_to_result"] = latency(address, env, args.latency)
    print(json.dumps(figures, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
