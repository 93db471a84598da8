# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""The Dramatiq actors the benchmark runs (``python -m dramatiq dramatiq_app``), in Dramatiq's own venv.

RedisBroker on the run's Redis (BENCH_REDIS_URL) with its default middleware, plus Results
on a RedisBackend (used by ``echo`` only, for latency).  Both actors INCR bench:done.
"""

from __future__ import annotations

import os

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.results import Results
from dramatiq.results.backends import RedisBackend

QUEUE = "bench"
COUNTER_KEY = "bench:done"
URL = os.environ["BENCH_REDIS_URL"]

broker = RedisBroker(url=URL)
broker.add_middleware(Results(backend=RedisBackend(url=URL)))
dramatiq.set_broker(broker)
_connection: list[redis.Redis] = []


def _count() -> None:
    if not _connection:
        _connection.append(redis.Redis.from_url(URL))
    _connection[0].incr(COUNTER_KEY)


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def noop(i: int, s: str) -> None:
    _count()


@dramatiq.actor(queue_name=QUEUE, max_retries=0, store_results=True)
def echo(i: int, s: str) -> int:
    _count()
    return i
