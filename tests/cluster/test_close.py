"""A closed Redis Cluster store leaves no socket open: redis-py's cluster client closes its node clients, but not the
connection pools they were given, so their sockets were left to the garbage collector (a ResourceWarning each, an
error in this suite, and a file descriptor held until then)."""

from __future__ import annotations

import gc
import uuid
import warnings

from sergeant.store import open_store
from sergeant.store.base import StoreSettings
from sergeant.task import Task, new_task_id


def test_a_closed_cluster_store_leaves_no_socket_open(redis_cluster_url: str) -> None:
    store = open_store(redis_cluster_url, StoreSettings(key_prefix=f"close-{uuid.uuid4().hex[:8]}"))
    queues = [f"q{n}" for n in range(12)]  # spread over every master
    for queue in queues:
        store.push([Task(new_task_id(), queue, {"n": 1})])
        assert store.lease(queue, 1, 30, owner="w")
    store.reclaim_expired(queues[0])
    store.close()
    del store
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        gc.collect()
    unclosed = [str(w.message) for w in seen if issubclass(w.category, ResourceWarning)]
    assert not unclosed, unclosed
