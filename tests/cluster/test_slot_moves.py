"""The slots of the shared keys and of a queue move to another master while a store is open: it follows."""

from __future__ import annotations

import gc
import uuid
from typing import Any

import pytest
import redis.cluster

from sergeant.store import open_store
from sergeant.store import redis_keys as keys
from sergeant.store.base import Settlement, StoreSettings
from tests.conformance.helpers import tasks
from tests.servers import redis_cluster


def _move_slot(admin: Any, key: str) -> tuple[int, int]:
    """Migrate the slot of ``key``, keys and all, to another master, as ``redis-cli --cluster reshard`` does."""
    slot = admin.keyslot(key)
    source = admin.get_node_from_key(key)
    target = next(n for n in admin.get_primaries() if n.name != source.name)
    src, dst = source.redis_connection, target.redis_connection
    source_id, target_id = src.execute_command("CLUSTER MYID"), dst.execute_command("CLUSTER MYID")
    dst.execute_command("CLUSTER SETSLOT", slot, "IMPORTING", source_id)
    src.execute_command("CLUSTER SETSLOT", slot, "MIGRATING", target_id)
    while moving := src.execute_command("CLUSTER GETKEYSINSLOT", slot, 100):
        src.execute_command("MIGRATE", target.host, target.port, "", 0, 5000, "KEYS", *moving)
    for node in admin.get_primaries():
        node.redis_connection.execute_command("CLUSTER SETSLOT", slot, "NODE", target_id)
    return source.port, target.port


# redis-py drops the connections of the node objects it replaces when it learns the new slot map (after MOVED),
# without closing them: the garbage collector closes them, with a ResourceWarning.  Collected here, inside the test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")
def test_the_store_follows_its_slots_to_another_master() -> None:
    prefix = f"t{uuid.uuid4().hex[:12]}"
    with redis_cluster() as cluster:
        admin: Any = redis.cluster.RedisCluster(host="127.0.0.1", port=cluster.ports[0])
        store = open_store(cluster.url, StoreSettings(key_prefix=prefix))
        try:
            store.push(tasks(3, queue="a", want_result=True))
            store.set_key("k", b"v")
            assert store.acquire_lock("l", "me", 60)

            source, target = _move_slot(admin, keys.queues_key(keys.shared_prefix(prefix, cluster=True)))
            assert source != target
            assert store.queues() == ["a"]
            assert store.get_key("k") == b"v"
            assert not store.acquire_lock("l", "someone else", 60)
            store.set_key("k2", b"w")
            assert store.get_key("k2") == b"w"

            _move_slot(admin, keys.queue_keys(prefix, "a").counts)
            leased = store.lease("a", 10, 30, owner="w")
            assert len(leased) == 3
            assert store.settle("a", [Settlement(leased[0].lease_id)]) == [True]
            assert store.counts("a").leased == 0
        finally:
            store.close()
            admin.close()
            gc.collect()
