"""Task events on Redis Cluster go by sharded pub/sub and reach every gateway (docs/scaling.md, "Events").

Scripts SPUBLISH on the queue's channel, which stays on the queue's master; each gateway SSUBSCRIBEs there while the
queue has watchers, on one connection per master, and lets go when the last watch ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import msgpack
import pytest
import redis
import redis.cluster

from sergeant.client import Client
from sergeant.errors import StoreUnavailable
from sergeant.store import open_store
from sergeant.store import redis_keys as keys
from sergeant.store.base import Ack, Following, Store
from sergeant.store.redis_connect import connect
from sergeant.task import EventKind, TaskEvent
from tests.cluster.test_slot_moves import _move_slot
from tests.conformance.helpers import make_task
from tests.servers import redis_cluster, redis_info, wait_cluster_ready
from tests.worker.harness import gateway_thread

PREFIX = "sergeant"  # the gateways' and the direct store's default key prefix


def _channel(queue: str) -> str:
    return keys.queue_keys(PREFIX, queue).channel


def _master_of(url: str, queue: str) -> int:
    client, _ = connect(url)
    try:
        return int(client.nodes_manager.get_node_from_slot(client.keyslot(_channel(queue))).port)
    finally:
        client.close()


def _queues_on_every_master(url: str, per_master: int) -> dict[int, list[str]]:
    """Made-up queue names, ``per_master`` of them on each master (by their channel's slot)."""
    client, _ = connect(url)
    try:
        masters: dict[int, list[str]] = {int(n.port): [] for n in client.get_primaries()}
        for _ in range(10_000):
            if all(len(q) == per_master for q in masters.values()):
                return masters
            queue = f"s-{uuid.uuid4().hex[:8]}"
            port = int(client.nodes_manager.get_node_from_slot(client.keyslot(_channel(queue))).port)
            if len(masters[port]) < per_master:
                masters[port].append(queue)
        raise AssertionError(f"no {per_master} queues found on each master: {masters}")
    finally:
        client.close()


def _node(port: int) -> redis.Redis:
    return redis.Redis(port=port, socket_timeout=10)


def _subscribers(port: int, queue: str) -> int:
    """Connections SSUBSCRIBEd to the queue's channel on the master at ``port``."""
    with _node(port) as node:
        _, count = node.execute_command("PUBSUB", "SHARDNUMSUB", _channel(queue))
        return int(count)


def _wait_until(what: str, condition: Callable[[], bool], timeout_s: float = 30.0,
                also: Callable[[], object] = lambda: "") -> None:
    """Until ``condition``; ``also`` says more when it never holds."""
    give_up = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < give_up, f"not within {timeout_s} s: {what} {also()}"
        time.sleep(0.05)


def _calls(port: int, command: str) -> int:
    stat = redis_info(port, "commandstats").get(f"cmdstat_{command}", "calls=0")
    return int(stat.split(",")[0].removeprefix("calls="))


class Watch(threading.Thread):
    """A Watch stream through one gateway, its events collected."""

    def __init__(self, address: str, queue: str, task_ids: list[str]) -> None:
        super().__init__(daemon=True)
        self.address, self.queue, self.task_ids = address, queue, task_ids
        self.kinds: dict[str, list[str]] = {t: [] for t in task_ids}
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with Client(self.address) as client:
                for event in client.watch(self.queue, self.task_ids, progress=True, timeout_s=120):
                    self.kinds[event.task_id].append(event.kind)
        except BaseException as exc:  # reported by the test
            self.error = exc

    def saw(self, kind: str) -> bool:
        return all(kind in kinds for kinds in self.kinds.values())


def _run_tasks(store: Store, watches: list[Watch]) -> None:
    """Lease (STARTED) and report progress (PROGRESS) as a worker would; once every watch has seen the progress of
    its tasks, ack them (SUCCEEDED).  Acked sooner, a watch's first read of its tasks could find them finished
    and report only that, which is right (docs/protocol.md) but shows nothing of pub/sub."""
    for queue in {w.queue for w in watches}:
        ids = {t for w in watches if w.queue == queue for t in w.task_ids}
        leased = store.lease(queue, len(ids), 30, owner="test/1/a")
        assert {t.id for t in leased} == ids
        store.publish([TaskEvent(queue, t.id, EventKind.PROGRESS, time.time(), 0.5, "half") for t in leased])
        _wait_until(f"every watch of {queue} saw the progress of its tasks",
                    lambda q=queue: all(w.saw("progress") for w in watches if w.queue == q),  # type: ignore[misc]
                    also=lambda: [(w.address, w.kinds, w.error) for w in watches])
        store.ack(queue, [Ack(t.id, t.lease_id, msgpack.packb(t.id)) for t in leased])


@contextlib.contextmanager
def _store(url: str) -> Iterator[Store]:
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


def test_events_of_queues_on_every_master_reach_watchers_on_two_gateways(redis_cluster_url: str) -> None:
    url = redis_cluster_url
    by_master = _queues_on_every_master(url, per_master=2)
    masters = sorted(by_master)
    with gateway_thread(url) as first, gateway_thread(url) as second, _store(url) as store:
        tasks: dict[str, list[str]] = {}
        for queue in (q for queues in by_master.values() for q in queues):
            pushed = [make_task(queue, i, want_result=True) for i in range(2)]
            store.push(pushed)
            tasks[queue] = [t.id for t in pushed]
        watches = [Watch(address, queue, ids) for address in (first, second) for queue, ids in tasks.items()]
        for watch in watches:
            watch.start()
        for port, queues in by_master.items():
            for queue in queues:
                _wait_until(f"both gateways SSUBSCRIBEd to {queue} on its master {port}",
                            lambda p=port, q=queue: _subscribers(p, q) == 2)  # type: ignore[misc]
        for port in masters:  # one connection per gateway carries every queue it follows there
            with _node(port) as node:
                sharded = [c for c in node.client_list() if int(c.get("ssub", 0)) > 0]
                node.config_resetstat()
            assert len(sharded) == 2, f"master {port}: {len(sharded)} connections SSUBSCRIBEd, not one per gateway"

        _run_tasks(store, watches)
        for watch in watches:
            watch.join(60)
            assert not watch.is_alive() and watch.error is None, f"watch of {watch.queue}: {watch.error}"
            for task_id, kinds in watch.kinds.items():
                assert kinds == ["started", "progress", "succeeded"], f"{watch.queue}/{task_id} via {watch.address}"

        for port, queues in by_master.items():  # the events stayed on the queues' masters, as SPUBLISH
            assert _calls(port, "spublish") >= 3 * len(queues), f"master {port} SPUBLISHed too few events"
            assert _calls(port, "publish") == 0, f"master {port} PUBLISHed (broadcast to every node)"
        for port, queues in by_master.items():  # every watch ended: no gateway holds their channels any more
            _wait_until(f"the gateways let go of {queues} on {port}",
                        lambda p=port, qs=queues: all(_subscribers(p, q) == 0 for q in qs))  # type: ignore[misc]


def _retrying(call: Callable[[], Any], timeout_s: float = 60.0) -> Any:
    """A direct store call while the cluster fails over: it answers once the replica took over."""
    give_up = time.monotonic() + timeout_s
    while True:
        try:
            return call()
        except StoreUnavailable:
            assert time.monotonic() < give_up, "the store stayed unavailable after the failover"
            time.sleep(0.2)


def _a_follow_of_a_dead_master_fails(store: Store, queue: str) -> None:
    """Until the replica takes over, following the queue fails (its watcher is told), never waits forever."""
    probe = store.subscribe([])
    assert isinstance(probe, Following)
    try:
        follow = probe.follow(queue)
        with pytest.raises(StoreUnavailable):
            give_up = time.monotonic() + 30
            while time.monotonic() < give_up:
                probe.get(0.5)
        assert follow.done() and isinstance(follow.exception(), StoreUnavailable)
    finally:
        probe.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")
def test_a_watch_gets_its_events_after_its_queues_master_fails_over() -> None:
    with redis_cluster() as cluster:
        queue = f"f-{uuid.uuid4().hex[:8]}"
        victim = _master_of(cluster.url, queue)
        with gateway_thread(cluster.url) as address, _store(cluster.url) as store:
            pushed = [make_task(queue, i, want_result=True) for i in range(2)]
            # On the replica too before the kill: without it the push may be lost with the master (the documented
            # loss window), and the watch rightly ends NOT_FOUND.
            with _store(cluster.url + "?wait_replicas=1&wait_timeout_ms=10000") as durable:
                durable.push(pushed)
            ids = [t.id for t in pushed]
            watch = Watch(address, queue, ids)
            watch.start()
            _wait_until("the gateway SSUBSCRIBEd on the queue's master", lambda: _subscribers(victim, queue) == 1)
            cluster.processes[victim].kill()  # SIGKILL: its replica must take over
            cluster.processes[victim].wait(10)
            _a_follow_of_a_dead_master_fails(store, queue)
            wait_cluster_ready(cluster.live_ports(), masters=3, timeout_s=60)
            promoted = _master_of(cluster.url, queue)
            assert promoted != victim
            # The gateway follows the queue again on the promoted master, by itself.
            _wait_until("the gateway SSUBSCRIBEd on the promoted master", lambda: _subscribers(promoted, queue) == 1,
                        also=lambda: ({p: _subscribers(p, queue) for p in cluster.live_ports()}, watch.error))
            _retrying(lambda: store.counts(queue))  # the direct store learns the new master too
            _run_tasks(store, [watch])
            watch.join(60)
            assert not watch.is_alive() and watch.error is None, f"the watch did not end: {watch.error}"
            for task_id, kinds in watch.kinds.items():  # progress comes by pub/sub only: the new subscription works
                assert kinds == ["started", "progress", "succeeded"], task_id
        gc.collect()  # redis-py leaves the connections of the node objects it replaced to the garbage collector


def test_a_queue_followed_again_while_it_is_let_go_stays_followed(redis_cluster_url: str) -> None:
    """Follow, unfollow and follow again, sent at once: the last follow is done only once the master has it."""
    queue = f"s-{uuid.uuid4().hex[:8]}"
    master = _master_of(redis_cluster_url, queue)
    with _store(redis_cluster_url) as store:
        subscription = store.subscribe([])
        assert isinstance(subscription, Following)
        try:
            subscription.follow(queue)
            subscription.unfollow(queue)
            last = subscription.follow(queue)
            give_up = time.monotonic() + 30
            while not last.done():
                assert time.monotonic() < give_up, "the follow was never confirmed"
                subscription.get(0.1)
            last.result()
            assert _subscribers(master, queue) == 1
            store.publish([TaskEvent(queue, "t-1", EventKind.PROGRESS, 1.0, 0.5, "half")])
            got: list[TaskEvent] = []
            while not got:
                assert time.monotonic() < give_up, "the event did not come"
                got = subscription.get(0.5)
            assert [(e.queue, e.task_id, e.kind) for e in got] == [(queue, "t-1", EventKind.PROGRESS)]
            subscription.unfollow(queue)
            while _subscribers(master, queue):  # its last channel: the connection to the master goes
                assert time.monotonic() < give_up, "the channel was not let go"
                subscription.get(0.05)
        finally:
            subscription.close()


# As in test_slot_moves: redis-py leaves the connections of replaced node objects to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")
def test_a_watch_follows_its_queue_to_the_master_its_slot_moves_to() -> None:
    with redis_cluster() as cluster:
        admin: Any = redis.cluster.RedisCluster(host="127.0.0.1", port=cluster.ports[0])
        queue = f"m-{uuid.uuid4().hex[:8]}"
        try:
            with gateway_thread(cluster.url) as address, _store(cluster.url) as store:
                pushed = [make_task(queue, i, want_result=True) for i in range(2)]
                store.push(pushed)
                ids = [t.id for t in pushed]
                watch = Watch(address, queue, ids)
                watch.start()
                first = _master_of(cluster.url, queue)
                _wait_until("the gateway SSUBSCRIBEd on the queue's master", lambda: _subscribers(first, queue) == 1)
                source, target = _move_slot(admin, _channel(queue))  # the server unsubscribes the slot's channels
                assert source == first
                _wait_until("the gateway SSUBSCRIBEd on the slot's new master",
                            lambda: _subscribers(target, queue) == 1)
                _run_tasks(store, [watch])
                watch.join(60)
                assert not watch.is_alive() and watch.error is None, f"the watch did not end: {watch.error}"
                for task_id, kinds in watch.kinds.items():
                    assert kinds == ["started", "progress", "succeeded"], task_id
        finally:
            admin.close()
            gc.collect()
