"""Item 9: code and docs agree on roles. read is for dashboards and on-call; admin implies read (so it can
GetTask) but not produce or consume; GetVersion answers any valid token; listing needs read.
Item 10 (part): ListQueues is paginated."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.service.config import GatewaySettings
from sergeant.v1 import operations_pb2 as ops
from sergeant.v1 import producer_pb2, task_pb2
from tests.gateway.harness import gateway
from tests.security.helpers import Stubs, bearer, cancel, tokens

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
C = grpc.StatusCode
TOKENS = {
    "prod": {"name": "api", "roles": ["produce"], "queues": ["jobs"]},
    "dash": {"name": "dashboard", "roles": ["read"], "queues": ["*"]},
    "ops": {"name": "on-call", "roles": ["admin"], "queues": ["*"]},
}


@pytest.fixture
def stubs(gateway_settings: GatewaySettings, tmp_path: Path) -> Iterator[tuple[Stubs, str]]:
    settings = dataclasses.replace(gateway_settings, tokens=tokens(tmp_path, TOKENS))
    with gateway(settings) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        reply = stubs.producer.Push(producer_pb2.PushRequest(tasks=[
            task_pb2.Task(queue="jobs", kwargs=msgpack.packb({}))]), metadata=bearer("prod"))
        yield stubs, reply.tasks[0].id


def _code(call: Any, request: Any, token: str) -> C:
    try:
        reply = call(request, metadata=bearer(token), timeout=10)
        if hasattr(reply, "__next__"):
            cancel(reply)
        return C.OK
    except grpc.RpcError as exc:
        return exc.code()


def test_the_role_matrix(stubs: tuple[Stubs, str]) -> None:
    s, task_id = stubs
    get = producer_pb2.GetTaskRequest(queue="jobs", task_id=task_id)
    push = producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="jobs", kwargs=msgpack.packb({}))])
    calls = {
        "GetVersion": (s.ops.GetVersion, ops.GetVersionRequest()),
        "ListQueues": (s.ops.ListQueues, ops.ListQueuesRequest()),
        "ListWorkers": (s.ops.ListWorkers, ops.ListWorkersRequest()),
        "ListDeadLetters": (s.ops.ListDeadLetters, ops.ListDeadLettersRequest(queue="jobs")),
        "GetTask": (s.producer.GetTask, get),
        "Push": (s.producer.Push, push),
        "Cancel": (s.producer.Cancel, producer_pb2.CancelRequest(queue="jobs", task_id="nope")),
        "PauseQueue": (s.ops.PauseQueue, ops.PauseQueueRequest(queue="other")),
    }
    expected = {
        #                  prod                 dash                 ops
        "GetVersion": (C.OK, C.OK, C.OK),
        "ListQueues": (C.PERMISSION_DENIED, C.OK, C.OK),
        "ListWorkers": (C.PERMISSION_DENIED, C.OK, C.OK),
        "ListDeadLetters": (C.PERMISSION_DENIED, C.OK, C.OK),
        "GetTask": (C.OK, C.OK, C.OK),
        "Push": (C.OK, C.PERMISSION_DENIED, C.PERMISSION_DENIED),
        "Cancel": (C.NOT_FOUND, C.PERMISSION_DENIED, C.PERMISSION_DENIED),
        "PauseQueue": (C.PERMISSION_DENIED, C.PERMISSION_DENIED, C.OK),
    }
    got = {name: tuple(_code(call, request, token) for token in ("prod", "dash", "ops"))
           for name, (call, request) in calls.items()}
    assert got == expected


def test_a_read_token_can_watch(stubs: tuple[Stubs, str]) -> None:
    s, task_id = stubs
    watch = s.producer.Watch(producer_pb2.WatchRequest(queue="jobs", task_ids=[task_id]), metadata=bearer("dash"),
                             timeout=10)
    watch.initial_metadata()
    cancel(watch)


def test_list_queues_is_paginated(stubs: tuple[Stubs, str]) -> None:
    s, _ = stubs
    for n in range(7):
        s.ops.PauseQueue(ops.PauseQueueRequest(queue=f"q{n}"), metadata=bearer("ops"))
    names: list[str] = []
    token = ""
    pages = 0
    while True:
        page = s.ops.ListQueues(ops.ListQueuesRequest(page_size=3, page_token=token), metadata=bearer("dash"))
        assert len(page.queues) <= 3
        names += [q.name for q in page.queues]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert names == sorted(["jobs", *(f"q{n}" for n in range(7))])
    assert pages == 3
    with pytest.raises(grpc.RpcError) as refused:
        s.ops.ListQueues(ops.ListQueuesRequest(page_size=5000), metadata=bearer("dash"))
    assert refused.value.code() == C.INVALID_ARGUMENT
