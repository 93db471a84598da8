"""Store micro-benchmark: push, lease and settle (ack) throughput per backend in batches, next to raw redis-py.

    python -m benchmark.stores [--n 100000] [--batch 1000] [--backends redis,sqlite,mongo] [--repeat 3]

Every figure is the median of ``--repeat`` runs in this one process, so ratios between rows compare like with
like on a noisy machine. MongoDB runs against SecantusDB (its WiredTiger-backed wire-protocol server) when no
``--mongo`` URL is given: its figures say little about a real mongod.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import msgpack
import redis

from benchmark.redis_server import free_port, redis_server
from sergeant.store import open_store
from sergeant.store.base import Settlement, Store, StoreSettings
from sergeant.task import Task, new_task_id


@contextlib.contextmanager
def secantus() -> Iterator[str]:
    port, data = free_port(), tempfile.mkdtemp(prefix="bench-secantus-")
    launcher = shutil.which("secantusd-py") or "secantusd-py"
    proc = subprocess.Popen([launcher, "--host", "127.0.0.1", "--port", str(port), "--storage-path", data,
                             "--log-level", "ERROR"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"mongodb://127.0.0.1:{port}/bench?directConnection=true"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                open_store(url).ping()
                break
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(20)
        shutil.rmtree(data, ignore_errors=True)


def timed(fn: Callable[[], int]) -> float:
    started = time.perf_counter()
    done = fn()
    return done / (time.perf_counter() - started)


def store_round(store: Store, n: int, batch: int) -> dict[str, float]:
    kwargs = msgpack.packb({"i": 1, "s": "x" * 32})
    batches = [[Task(new_task_id(), "bench", kwargs) for _ in range(batch)] for _ in range(n // batch)]
    leased: list[list[Task]] = []

    def push() -> int:
        for b in batches:
            store.push(b)
        return n

    def lease() -> int:
        while got := store.lease("bench", batch, 300, owner="bench/1"):
            leased.append(got)
        return sum(map(len, leased))

    def settle() -> int:  # a worker settles each lease whole once every task of it succeeded
        for got in leased:
            store.settle("bench", [Settlement(got[0].lease_id)])
        return sum(map(len, leased))

    return {"push_per_s": timed(push), "lease_per_s": timed(lease), "ack_per_s": timed(settle)}


def raw_round(url: str, n: int, batch: int) -> dict[str, float]:
    client = redis.Redis.from_url(url)
    client.delete("raw")
    values = [msgpack.packb({"i": i, "s": "x" * 32}) for i in range(batch)]

    def push() -> int:
        for _ in range(n // batch):
            client.rpush("raw", *values)
        return n

    def pop() -> int:
        done = 0
        while got := client.lpop("raw", batch):
            done += len([msgpack.unpackb(v) for v in got])
        return done

    return {"push_per_s": timed(push), "lease_per_s": timed(pop)}


def median_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in rounds)) for key in rounds[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="redis,sqlite,mongo")
    parser.add_argument("--mongo-n", type=int, default=5_000, help="N for MongoDB (SecantusDB updates ~1k docs/s)")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    backends = args.backends.split(",")
    rows: dict[str, dict[str, float]] = {}
    with redis_server() as redis_url, contextlib.ExitStack() as stack:
        mongo_url = stack.enter_context(secantus()) if "mongo" in backends else ""
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        rows["redis-py RPUSH/LPOP"] = median_of([raw_round(redis_url, args.n, args.batch) for _ in range(args.repeat)])
        for backend in backends:
            results = []
            for r in range(args.repeat):
                url = {"redis": redis_url, "sqlite": f"sqlite:///{folder / f'{r}.db'}", "mongo": mongo_url}[backend]
                store = open_store(url, StoreSettings(key_prefix=f"b{r}{new_task_id()}"))
                n = args.mongo_n if backend == "mongo" else args.n
                results.append(store_round(store, n, args.batch))
                store.close()
            rows[f"sergeant {backend}"] = median_of(results)
    ceiling = rows["redis-py RPUSH/LPOP"]
    print(f"{'':24} {'push/s':>10} {'lease/s':>10} {'ack/s':>10}   vs redis-py push / pop")
    for name, row in rows.items():
        ratio = f"{row['push_per_s'] / ceiling['push_per_s']:.2f}x / {row['lease_per_s'] / ceiling['lease_per_s']:.2f}x"
        print(f"{name:24} {row['push_per_s']:>10,} {row['lease_per_s']:>10,} {row.get('ack_per_s', 0):>10,}   {ratio}")
    if args.out:
        Path(args.out).write_text(json.dumps({"n": args.n, "batch": args.batch, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
