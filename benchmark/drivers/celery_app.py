# mypy: disable-error-code="import-not-found,untyped-decorator"
# (the peer is installed in its own venv only, so mypy, run in the main env, cannot see its types)
"""The Celery app the benchmark runs (``python -m celery -A celery_app worker``), in Celery's own venv.

Broker and result backend: the run's Redis (BENCH_REDIS_URL).  ``noop`` ignores its result
(consume); ``echo`` keeps it (latency: ``apply_async().get()``).  Both INCR bench:done.
"""

from __future__ import annotations

import os
from typing import Any

import redis
from celery import Celery

QUEUE = "bench"
COUNTER_KEY = "bench:done"
PREFETCH_MULTIPLIER = 100  # Celery's default is 4; its docs advise raising it for many short tasks

URL = os.environ["BENCH_REDIS_URL"]
app = Celery("bench", broker=URL, backend=URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_ignore_result=True,
    worker_prefetch_multiplier=PREFETCH_MULTIPLIER,
    worker_hijack_root_logger=False,
    worker_send_task_events=False,
    broker_connection_retry_on_startup=True,
)
_connection: list[redis.Redis] = []


def _count() -> None:
    if not _connection:
        _connection.append(redis.Redis.from_url(URL))
    _connection[0].incr(COUNTER_KEY)


@app.task(name="bench.noop")
def noop(**kwargs: Any) -> None:
    _count()


@app.task(name="bench.echo", ignore_result=False)
def echo(**kwargs: Any) -> None:
    _count()
