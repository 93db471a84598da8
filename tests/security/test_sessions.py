"""Item 4: forged outcomes. Rights are checked on every session message, a session settles only leases its own
worker id holds, and a session that never says hello is closed."""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.service.config import GatewaySettings
from sergeant.store.base import Store
from sergeant.task import Task, TaskState, new_task_id
from sergeant.v1 import producer_pb2, worker_pb2
from tests.gateway.harness import ScriptedWorker, gateway
from tests.security.helpers import Stubs, bearer, cancel, tokens

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
K = worker_pb2


def _leased(direct: Store, queue_name: str, owner: str) -> Task:
    direct.push([Task(id=new_task_id(), queue=queue_name, kwargs=msgpack.packb({}), created_at=time.time())])
    [task] = direct.lease(queue_name, 1, 60, owner=owner)
    return task


def _collect(call: Any) -> queue.Queue[Any]:
    seen: queue.Queue[Any] = queue.Queue()

    def read() -> None:
        try:
            for event in call:
                seen.put(event)
        except grpc.RpcError as exc:
            seen.put(exc)

    threading.Thread(target=read, daemon=True).start()
    return seen


def test_a_session_may_not_report_for_a_queue_it_cannot_consume(gateway_settings: GatewaySettings,
                                                                 tmp_path: Path, direct: Store) -> None:
    grants = tokens(tmp_path, {"wa": {"name": "a-workers", "roles": ["consume"], "queues": ["a"]},
                               "pb": {"name": "b-api", "roles": ["produce"], "queues": ["b"]}})
    victim = _leased(direct, "b", "b-host/1/x")
    with gateway(dataclasses.replace(gateway_settings, tokens=grants)) as address, \
            grpc.insecure_channel(address) as channel:
        watch = Stubs(channel).producer.Watch(producer_pb2.WatchRequest(queue="b", task_ids=[victim.id],
                                                                        progress=True),
                                              metadata=bearer("pb"), timeout=30)
        watch.initial_metadata()
        seen = _collect(watch)
        forger = ScriptedWorker(address, "a", "a-host/1/x", token="wa")
        forger.receive("welcome")
        forger.send(K.WorkerMessage(progress=K.ProgressBatch(queue="b", updates=[
            K.ProgressUpdate(task_id=victim.id, progress=0.5, message="forged")])))
        with pytest.raises(grpc.RpcError) as ended:
            forger.receive("outcome_ack")
        assert ended.value.code() == grpc.StatusCode.PERMISSION_DENIED
        forger2 = ScriptedWorker(address, "a", "a-host/1/y", token="wa")
        forger2.receive("welcome")
        forger2.send(K.WorkerMessage(outcomes=K.OutcomeBatch(sequence=1, queue="b", outcomes=[K.Outcome(
            task_id=victim.id, lease_id=victim.lease_id, kind=K.OUTCOME_KIND_SUCCEEDED,
            result=msgpack.packb("forged"))])))
        with pytest.raises(grpc.RpcError) as ended:
            forger2.receive("outcome_ack")
        assert ended.value.code() == grpc.StatusCode.PERMISSION_DENIED
        cancel(watch)
    assert direct.get("b", victim.id).state is TaskState.ACTIVE, "the forged outcome was applied"
    while not seen.empty():
        event = seen.get()
        assert isinstance(event, grpc.RpcError), f"the watcher of b saw a forged event: {event}"


def test_a_session_settles_only_its_own_leases(address: str, direct: Store) -> None:
    theirs = _leased(direct, "q", "other-host/7/z")
    mine = _leased(direct, "q", "my-host/1/a")
    worker = ScriptedWorker(address, "q", "my-host/1/a")
    worker.receive("welcome")
    ack = worker.outcomes("q", *(K.Outcome(task_id=t.id, lease_id=t.lease_id, kind=K.OUTCOME_KIND_SUCCEEDED,
                                           result=msgpack.packb(1)) for t in (theirs, mine)))
    assert list(ack.dispositions) == [K.DISPOSITION_LEASE_LOST, K.DISPOSITION_DONE]
    assert direct.get("q", theirs.id).state is TaskState.ACTIVE
    assert direct.get("q", mine.id).state is TaskState.SUCCEEDED
    worker.goodbye()


def test_a_session_without_hello_is_closed(gateway_settings: GatewaySettings) -> None:
    settings = dataclasses.replace(gateway_settings, hello_timeout_s=1.0)
    with gateway(settings) as address, grpc.insecure_channel(address) as channel:
        silence: queue.Queue[Any] = queue.Queue()
        started = time.monotonic()
        call = Stubs(channel).workers.Session(iter(silence.get, None), timeout=30)
        with pytest.raises(grpc.RpcError) as ended:
            list(call)
        took = time.monotonic() - started
        silence.put(None)
    assert ended.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "hello" in (ended.value.details() or ""), ended.value.details()
    assert took < 10, f"the silent session stayed open {took:.1f} s"
