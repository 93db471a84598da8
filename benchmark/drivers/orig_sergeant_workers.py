"""The no-op worker of the original Sergeant 0.27.0 (PyPI), run in its own venv by its own supervisor.

Two changes to a plain subclass, both in ``get_next_tasks`` and both for fairness:

* its loop sleeps a hard-coded 1 s whenever a pop comes back empty; here an empty pop is
  retried every 1 ms instead (polling lowered, as for every peer);
* completions are counted once per batch: when the worker asks for its next batch, the
  previous one is done, so the count of that batch is INCRBY'ed then (a per-task INCR would
  cost more than the no-op task itself).
"""

from __future__ import annotations

import importlib
import logging
import os
import time
import urllib.parse
from typing import Any

import redis

config = importlib.import_module("sergeant.config")
worker = importlib.import_module("sergeant.worker")

_Worker: Any = worker.Worker  # the original's base class (mypy sees only this repository's `sergeant`)
QUEUE = "bench"
COUNTER_KEY = "bench:done"
EMPTY_POLL_S = 0.001


def redis_node(url: str) -> dict[str, Any]:
    parsed = urllib.parse.urlparse(url)
    return {"host": parsed.hostname or "127.0.0.1", "port": parsed.port or 6379, "password": parsed.password,
            "database": int((parsed.path or "/0").lstrip("/") or 0)}


def bench_config() -> Any:
    return config.WorkerConfig(
        name=QUEUE,
        connector=config.Connector(type="redis", params={"nodes": [redis_node(os.environ["BENCH_REDIS_URL"])]}),
        tasks_per_transaction=int(os.environ.get("BENCH_BATCH", "1000")),
        encoder=config.Encoder(serializer="msgpack"),
        logging=config.Logging(level=logging.ERROR),
    )


class NoopWorker(_Worker):  # type: ignore[misc]
    _in_hand = 0  # tasks of the batch being worked on
    _connection: redis.Redis | None = None

    def generate_config(self) -> Any:
        return bench_config()

    def _redis(self) -> redis.Redis:
        if self._connection is None:
            self._connection = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
        return self._connection

    def get_next_tasks(self, number_of_tasks: int, task_name: str | None = None) -> list[Any]:
        if self._in_hand:
            self._redis().incrby(COUNTER_KEY, self._in_hand)
            self._in_hand = 0
        while True:
            tasks: list[Any] = super().get_next_tasks(number_of_tasks, task_name)
            if tasks:
                self._in_hand = len(tasks)
                return tasks
            time.sleep(EMPTY_POLL_S)

    def work(self, task: Any) -> None:
        reply = task.kwargs.get("reply")
        if reply:  # a latency round trip: the original has no results, so the task answers on a list
            self._redis().rpush(reply, b"1")
