"""Items 2 and 3: watches share one store subscription, are limited per caller and in all, and a watcher neither
misses a terminal event when the subscription is renewed nor buffers without bound."""

from __future__ import annotations

import dataclasses
import threading
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest
import redis

from sergeant.service.config import GatewaySettings
from sergeant.store import open_store
from sergeant.store.base import Ack, Store, StoreSettings
from sergeant.task import EventKind, Task, TaskEvent, new_task_id
from sergeant.v1 import producer_pb2, task_pb2
from tests.gateway.harness import gateway
from tests.security.helpers import SERVING, Stubs, bearer, cancel, tokens

C = grpc.StatusCode


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def settings(own_redis: str, prefix: str) -> GatewaySettings:
    return GatewaySettings(store_url=own_redis, key_prefix=prefix, heartbeat_timeout_s=1.0, reclaim_interval_s=0.5)


@pytest.fixture
def store(own_redis: str, prefix: str) -> Iterator[Store]:
    opened = open_store(own_redis, StoreSettings(key_prefix=prefix))
    yield opened
    opened.close()


def _open_watches(stubs: Stubs, queues: list[str], token: str | None = None) -> list[Any]:
    """Start a Watch per queue and wait until each is being served (the gateway sends headers once subscribed)."""
    md = bearer(token) if token else None
    calls = [stubs.producer.Watch(producer_pb2.WatchRequest(queue=q), timeout=60, metadata=md) for q in queues]
    for call in calls:
        call.initial_metadata()
    return calls


def _pubsub_clients(url: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return sum(1 for c in client.client_list() if int(c.get("sub", 0)) or int(c.get("psub", 0)))
    finally:
        client.close()


def test_many_watches_share_one_subscription(settings: GatewaySettings, own_redis: str, store: Store,
                                             tmp_path: Path) -> None:
    """150 watches on made-up queues: more than redis-py's 100 connections once took one each, and every other
    call then failed with UNAVAILABLE "Too many connections"."""
    grants = tokens(tmp_path, {f"t{n}": {"name": f"dash-{n}", "roles": ["produce"]} for n in range(3)})
    with gateway(dataclasses.replace(settings, tokens=grants)) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        watches = [call for n in range(3)  # 50 each: within the per-caller limit
                   for call in _open_watches(stubs, [f"made-up-{n}-{i}" for i in range(50)], f"t{n}")]
        md = bearer("t0")
        try:
            assert _pubsub_clients(own_redis) <= 2
            reply = stubs.producer.Push(producer_pb2.PushRequest(tasks=[
                task_pb2.Task(queue="real", kwargs=msgpack.packb({"n": 1}), want_result=True)]), timeout=10, metadata=md)
            assert reply.tasks[0].created
            assert stubs.producer.GetTask(producer_pb2.GetTaskRequest(queue="real", task_id=reply.tasks[0].id),
                                          timeout=10, metadata=md).state == task_pb2.TASK_STATE_PENDING
            deadline = time.monotonic() + 5  # the probe runs every second; give it a few
            while time.monotonic() < deadline:
                assert stubs.health_check()[0] == SERVING
                time.sleep(0.2)
        finally:
            for call in watches:
                cancel(call)


def test_watches_are_limited_per_caller_and_in_all(settings: GatewaySettings) -> None:
    limited = dataclasses.replace(settings, max_watches_per_caller=3, max_watches=5)
    with gateway(limited) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        mine = _open_watches(stubs, ["a", "b", "c"])
        with pytest.raises(grpc.RpcError) as refused:
            next(iter(stubs.producer.Watch(producer_pb2.WatchRequest(queue="d"), timeout=10)))
        assert refused.value.code() == C.RESOURCE_EXHAUSTED
        assert "per caller" in (refused.value.details() or "")
        cancel(mine[0])
        # a closed watch gives its place back
        deadline = time.monotonic() + 10
        while True:
            again: Any = stubs.producer.Watch(producer_pb2.WatchRequest(queue="d"), timeout=30)
            again.initial_metadata()
            if again.is_active():  # served, not refused
                break
            assert time.monotonic() < deadline, "the cancelled watch was never counted out"
            time.sleep(0.1)
        cancel(again)
        for call in mine[1:]:
            cancel(call)


def _leased(store: Store, queue: str) -> Task:
    task = Task(id=new_task_id(), queue=queue, kwargs=msgpack.packb({}), created_at=time.time(), want_result=True)
    store.push([task])
    [held] = store.lease(queue, 1, 60, owner="w/1/x")
    return held


def test_a_terminal_event_lost_with_the_subscriber_is_read_from_the_store(settings: GatewaySettings,
                                                                           own_redis: str, store: Store) -> None:
    """Redis closes a subscriber past its pub/sub output buffer limit. A task acked during that burst must still
    end its Watch, not leave it waiting until its deadline."""
    task = _leased(store, "burst")
    admin = redis.Redis.from_url(own_redis)
    old_limit = admin.config_get("client-output-buffer-limit")["client-output-buffer-limit"]
    with gateway(settings) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        watch = stubs.producer.Watch(producer_pb2.WatchRequest(queue="burst", task_ids=[task.id], progress=True),
                                     timeout=20)
        watch.initial_metadata()
        try:
            admin.config_set("client-output-buffer-limit", "pubsub 256kb 128kb 1")
            big = [TaskEvent("burst", task.id, EventKind.PROGRESS, time.time(), 0.5, "", b"x" * (256 << 10))
                   for _ in range(40)]
            store.publish(big)  # one pipeline: the subscriber cannot keep up, and Redis drops it
            assert store.ack("burst", [Ack(task.id, task.lease_id, msgpack.packb("done"))])
        finally:
            admin.config_set("client-output-buffer-limit", str(old_limit))
            admin.close()
        kinds = []
        for event in watch:
            kinds.append(event.kind)
            if event.kind == task_pb2.EVENT_KIND_SUCCEEDED:
                assert msgpack.unpackb(event.result.result) == "done"
                break
        assert kinds[-1] == task_pb2.EVENT_KIND_SUCCEEDED
        cancel(watch)


def test_a_watcher_that_does_not_read_is_ended(settings: GatewaySettings, store: Store) -> None:
    """It once buffered everything: 100 MB published to a watcher that never read grew the gateway by 99 MB."""
    task, other = _leased(store, "slow"), _leased(store, "slow")
    bounded = dataclasses.replace(settings, watch_buffer_bytes=1 << 20)
    with gateway(bounded) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        stalled = stubs.producer.Watch(producer_pb2.WatchRequest(queue="slow", task_ids=[task.id], progress=True),
                                       timeout=60)
        stalled.initial_metadata()  # served, and not read from here on
        reader = stubs.producer.Watch(producer_pb2.WatchRequest(queue="slow", task_ids=[other.id]), timeout=60)
        reader.initial_metadata()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            event = TaskEvent("slow", task.id, EventKind.PROGRESS, time.time(), 0.5, "", b"x" * (1 << 20))
            for _ in range(100):
                store.publish([event])
            assert store.ack("slow", [Ack(other.id, other.lease_id, msgpack.packb(1))])
            # The feed delivers in order: once the reader has the ack, every big event was dispatched (or dropped
            # with the subscriber, Redis' output buffer limit, after which the reader reads the ack from the store).
            assert next(iter(reader)).kind == task_pb2.EVENT_KIND_SUCCEEDED
            kept = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert kept < 16 << 20, f"the gateway kept {kept >> 20} MiB for one watcher that did not read"
        with pytest.raises(grpc.RpcError) as ended:
            for _ in stalled:
                pass
        assert ended.value.code() == C.RESOURCE_EXHAUSTED, ended.value.details()
        assert "fell behind" in (ended.value.details() or "")
        cancel(reader)


def test_watch_is_served_while_another_reader_stalls(settings: GatewaySettings, store: Store) -> None:
    """One stalled watcher does not hold up the feed: another on the same queue still gets its event."""
    task = _leased(store, "shared")
    with gateway(settings) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        stalled = stubs.producer.Watch(producer_pb2.WatchRequest(queue="shared", progress=True), timeout=30)
        stalled.initial_metadata()
        reader = stubs.producer.Watch(producer_pb2.WatchRequest(queue="shared", task_ids=[task.id]), timeout=30)
        reader.initial_metadata()
        got: list[Any] = []
        thread = threading.Thread(target=lambda: got.extend(reader), daemon=True)
        thread.start()
        store.ack("shared", [Ack(task.id, task.lease_id, msgpack.packb(1))])
        thread.join(20)
        assert [e.kind for e in got][-1:] == [task_pb2.EVENT_KIND_SUCCEEDED]
        cancel(stalled)
