# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""The Huey instance the benchmark runs (``huey_consumer huey_app.huey``), in Huey's own venv.

RedisHuey on the run's Redis (BENCH_REDIS_URL): blocking dequeue (BRPOP, its default) and
``notify_result=True`` so that a blocking ``result.get()`` waits on a notification instead
of polling.  Both tasks INCR bench:done; only ``echo`` returns a value (a stored result).
"""

from __future__ import annotations

import os

import redis
from huey import RedisHuey

QUEUE = "bench"
COUNTER_KEY = "bench:done"
URL = os.environ["BENCH_REDIS_URL"]

huey = RedisHuey(QUEUE, url=URL, notify_result=True)
_connection: list[redis.Redis] = []


def _count() -> None:
    if not _connection:
        _connection.append(redis.Redis.from_url(URL))
    _connection[0].incr(COUNTER_KEY)


@huey.task()
def noop(i: int, s: str) -> None:
    _count()


@huey.task()
def echo(i: int, s: str) -> int:
    _count()
    return i
