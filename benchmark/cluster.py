"""30 queues on a Redis Cluster of 3 masters against one Redis, in the same run.

Starts a local cluster (3 masters, 3 replicas) and a single redis-server on loopback, then for each: pushes
``--tasks`` tasks to each of ``--queues`` queues in batches, leases and settles them all, from ``--threads``
threads.  Reports the queues, keys and commands (INFO commandstats deltas) per master, and the throughput on
the cluster against the single node.  On a small machine the absolute figures mean little: the spread and the
ratio are the point (docs/scaling.md).

    python benchmark/cluster.py [--queues 30] [--tasks 2000] [--batch 100] [--threads 6]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import msgpack
import redis
import redis.cluster

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmark` and `tests` are packages of the repo

from sergeant.store import open_store
from sergeant.store.base import Settlement, Store, StoreSettings
from sergeant.store.redis_keys import queue_keys
from sergeant.task import Task, new_task_id
from tests.servers import redis_cluster, redis_server


def _commands(port: int) -> int:
    stats: dict[str, Any] = redis.Redis(port=port).info("commandstats")
    return sum(int(v["calls"]) for k, v in stats.items() if k != "cmdstat_info")


def _one_queue(store: Store, queue: str, tasks: int, batch: int) -> None:
    payload = msgpack.packb({"n": 1})
    for start in range(0, tasks, batch):
        store.push([Task(queue=queue, id=new_task_id(), kwargs=payload) for _ in range(min(batch, tasks - start))])
    left = tasks
    while left > 0:
        leased = store.lease(queue, batch, 60, owner="bench")
        if not leased:
            raise RuntimeError(f"queue {queue}: {left} tasks pushed but none leased")
        store.settle(queue, [Settlement(leased[0].lease_id)])
        left -= len(leased)


def run(url: str, queues: list[str], prefix: str, args: argparse.Namespace) -> float:
    """Push, lease and settle every task of every queue; the tasks per second (each pushed and settled once)."""
    store = open_store(url, StoreSettings(key_prefix=prefix))
    try:
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
            for done in [pool.submit(_one_queue, store, q, args.tasks, args.batch) for q in queues]:
                done.result()
        return float(len(queues) * args.tasks / (time.perf_counter() - started))
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queues", type=int, default=30)
    parser.add_argument("--tasks", type=int, default=2000, help="tasks per queue")
    parser.add_argument("--batch", type=int, default=100, help="tasks per push and per lease")
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    queues = [f"bench-{n:02d}" for n in range(args.queues)]
    prefix = f"b{uuid.uuid4().hex[:8]}"
    with redis_cluster() as cluster, redis_server() as single:
        masters = cluster.masters()
        seed: Any = redis.cluster.RedisCluster(host="127.0.0.1", port=masters[0])
        owner = {q: seed.get_node_from_key(queue_keys(prefix, q).counts).port for q in queues}
        seed.close()
        before = {p: _commands(p) for p in masters}
        on_cluster = run(cluster.url, queues, prefix, args)
        commands = {p: _commands(p) - before[p] for p in masters}
        keys_on = {p: int(redis.Redis(port=p).dbsize()) for p in masters}
        on_single = run(single, queues, prefix, args)

    total = sum(commands.values()) or 1
    print(f"{args.queues} queues x {args.tasks} tasks, batches of {args.batch}, {args.threads} threads")
    print(f"{'master':>8} {'queues':>7} {'keys':>7} {'commands':>10} {'share':>6}")
    for port in masters:
        print(f"{port:>8} {sum(o == port for o in owner.values()):>7} {keys_on[port]:>7} {commands[port]:>10} "
              f"{commands[port] / total:>6.0%}")
    print(f"throughput: cluster {on_cluster:,.0f} tasks/s, one redis {on_single:,.0f} tasks/s, "
          f"ratio {on_cluster / on_single:.2f}")


if __name__ == "__main__":
    main()
