"""The RQ job functions the benchmark runs (imported by ``rq worker`` from this folder, in RQ's own venv)."""

from __future__ import annotations

import os

import redis

COUNTER_KEY = "bench:done"
_connection: list[redis.Redis] = []


def _count() -> None:
    if not _connection:
        _connection.append(redis.Redis.from_url(os.environ["BENCH_REDIS_URL"]))
    _connection[0].incr(COUNTER_KEY)


def noop(i: int, s: str) -> None:
    _count()


def echo(i: int, s: str) -> int:
    _count()
    return i
