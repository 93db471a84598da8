"""``wait_replicas``: a push or an outcome is answered only once a replica holds it."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest
import redis
import redis.cluster

from sergeant.errors import StoreUnavailable
from sergeant.store import open_store
from sergeant.store import redis_keys as keys
from sergeant.store.base import Ack, Failure, Settlement, StoreSettings
from sergeant.task import TaskError, TaskState
from tests.conformance.helpers import tasks


def _on_replica(cluster_url: str, key: str, field: str) -> bytes | None:
    """A hash field as the replica of the key's master holds it (READONLY: replicas refuse reads otherwise)."""
    host, port = cluster_url.removeprefix("redis+cluster://").split(",")[0].split(":")
    client: Any = redis.cluster.RedisCluster(host=host, port=int(port))  # redis-py's cluster API is untyped
    try:
        master = client.get_node_from_key(key)
        # INFO replication names the master's replica: slave0:ip=...,port=...,state=online,...
        fields = master.redis_connection.info("replication")["slave0"]
        direct: Any = redis.Redis(host=fields["ip"], port=int(fields["port"]), single_connection_client=True)
        try:
            assert direct.execute_command("ROLE")[0] == b"slave"
            direct.execute_command("READONLY")
            return cast(bytes | None, direct.hget(key, field))
        finally:
            direct.close()
    finally:
        client.close()


def test_with_wait_replicas_every_step_is_on_a_replica_when_it_returns(redis_cluster_url: str) -> None:
    prefix = f"t{uuid.uuid4().hex[:12]}"
    store = open_store(f"{redis_cluster_url}?wait_replicas=1&wait_timeout_ms=5000", StoreSettings(key_prefix=prefix))
    try:
        k = keys.queue_keys(prefix, "q")
        pushed = tasks(4, want_result=True)
        assert all(r.created for r in store.push(pushed))
        # No sleep between the answer and the read: WAIT returned only after the replica had the push.
        assert _on_replica(redis_cluster_url, k.counts, "normal") == b"4"
        assert _on_replica(redis_cluster_url, k.index, pushed[0].id) is not None

        first = store.lease("q", 2, 30, owner="w")
        assert store.settle("q", [Settlement(first[0].lease_id)]) == [True]
        assert _on_replica(redis_cluster_url, k.counts, "normal") == b"2"
        assert _on_replica(redis_cluster_url, k.counts, "leased") == b"0"

        second = store.lease("q", 2, 30, owner="w")
        store.ack("q", [Ack(second[0].id, second[0].lease_id, b"r")])
        store.fail("q", [Failure(second[1].id, second[1].lease_id, TaskError("E", "no"), retry=False)])
        assert store.get("q", second[0].id).state is TaskState.SUCCEEDED
        assert store.get("q", second[1].id).state is TaskState.DEAD
        assert _on_replica(redis_cluster_url, k.counts, "leased") == b"0"
    finally:
        store.close()


def test_wait_replicas_without_enough_replicas_is_an_error_that_says_so(redis_url: str) -> None:
    separator = "&" if "?" in redis_url else "?"
    store = open_store(f"{redis_url}{separator}wait_replicas=1&wait_timeout_ms=50",
                       StoreSettings(key_prefix=f"t{uuid.uuid4().hex[:12]}"))
    try:
        with pytest.raises(StoreUnavailable, match="only 0 of 1 replicas confirmed"):
            store.push(tasks(1))
    finally:
        store.close()

