"""Consume rate of one threaded worker process, end to end with acks through a gateway, on Redis.

    python -m tests.worker.bench_consume [--tasks 20000] [--batch 1000] [--threads 4]

Pushes the tasks first, then starts the worker and times from its first lease
to the moment the store holds no ready or leased task of the queue (every
outcome acknowledged).  Worker start-up is not counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import psutil

from sergeant.store import open_store
from tests.servers import redis_server
from tests.worker.harness import REPO, gateway_thread, push


@contextlib.contextmanager
def _redis() -> Iterator[str]:
    url = os.environ.get("SERGEANT_TEST_REDIS_URL")
    if url:
        yield url
    else:
        with redis_server() as started:
            yield started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    with _redis() as url, gateway_thread(url) as address:
        store = open_store(url)
        for start in range(0, args.tasks, 5_000):
            push(store, queue, [{"n": n} for n in range(start, min(start + 5_000, args.tasks))])
        config = {"executor": "threaded", "number_of_threads": args.threads, "tasks_per_transaction": args.batch,
                  "log_level": "WARNING"}
        env = {**os.environ, "SERGEANT_STORE": url, "SERGEANT_GATEWAY": address, "SERGEANT_TEST_QUEUE": queue,
               "SERGEANT_TEST_CONFIG": json.dumps(config)}
        worker = subprocess.Popen([sys.executable, "-m", "sergeant.worker.child", "tests.worker.workers:NoopWorker"],
                                  cwd=REPO, env=env)
        try:
            while store.counts(queue).ready == args.tasks:
                time.sleep(0.002)
            started = time.perf_counter()
            while (counts := store.counts(queue)).ready or counts.leased:
                time.sleep(0.005)
            elapsed = time.perf_counter() - started
            cpu = psutil.Process(worker.pid).cpu_times()
        finally:
            worker.terminate()
            worker.wait(30)
            store.close()
    print(f"{args.tasks} tasks, batch {args.batch}, {args.threads} threads: {elapsed:.2f} s, "
          f"{args.tasks / elapsed:,.0f} tasks/s; the worker process used {cpu.user + cpu.system:.2f} s of CPU "
          "(start-up included)")


if __name__ == "__main__":
    main()
