"""Every RPC with every kind of bad input: a clear status, the gateway still serves, nothing acknowledged is lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.store.base import Store
from sergeant.v1 import operations_pb2 as ops
from sergeant.v1 import operations_pb2_grpc, producer_pb2, producer_pb2_grpc, task_pb2, worker_pb2, worker_pb2_grpc

C = grpc.StatusCode


@pytest.fixture
def stubs(address: str) -> Iterator[tuple[Any, Any, Any]]:
    with grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
        yield (producer_pb2_grpc.ProducerStub(channel), operations_pb2_grpc.OperationsStub(channel),
               worker_pb2_grpc.WorkersStub(channel))


@pytest.fixture
def baseline(stubs: tuple[Any, Any, Any], direct: Store) -> list[str]:
    """Tasks acknowledged before the abuse starts; every test checks they survive it."""
    producer = stubs[0]
    reply = producer.Push(producer_pb2.PushRequest(tasks=[
        task_pb2.Task(queue="safe", kwargs=msgpack.packb({"i": i}), want_result=True) for i in range(10)]))
    return [t.id for t in reply.tasks]


def task(**fields: Any) -> task_pb2.Task:
    fields.setdefault("queue", "q")
    fields.setdefault("kwargs", msgpack.packb({"a": 1}))
    return task_pb2.Task(**fields)


BAD_PUSHES: dict[str, tuple[Callable[[], producer_pb2.PushRequest], grpc.StatusCode, str]] = {
    "no tasks": (lambda: producer_pb2.PushRequest(), C.INVALID_ARGUMENT, "at least one task"),
    "empty kwargs": (lambda: producer_pb2.PushRequest(tasks=[task(kwargs=b"")]), C.INVALID_ARGUMENT, "empty"),
    "garbage kwargs": (lambda: producer_pb2.PushRequest(tasks=[task(kwargs=b"\xc1\xff\x00")]), C.INVALID_ARGUMENT,
                       "do not decode"),
    "truncated msgpack": (lambda: producer_pb2.PushRequest(tasks=[task(kwargs=msgpack.packb({"a": "x" * 40})[:-3])]),
                          C.INVALID_ARGUMENT, "do not decode"),
    "kwargs not a map": (lambda: producer_pb2.PushRequest(tasks=[task(kwargs=msgpack.packb([1, 2]))]),
                         C.INVALID_ARGUMENT, "map"),
    "empty queue": (lambda: producer_pb2.PushRequest(tasks=[task(queue="")]), C.INVALID_ARGUMENT, "queue name"),
    "key escape": (lambda: producer_pb2.PushRequest(tasks=[task(queue="a}{b")]), C.INVALID_ARGUMENT, "queue name"),
    "long queue": (lambda: producer_pb2.PushRequest(tasks=[task(queue="q" * 200)]), C.INVALID_ARGUMENT,
                   "queue name"),
    "bad task id": (lambda: producer_pb2.PushRequest(tasks=[task(id="has space")]), C.INVALID_ARGUMENT, "task id"),
    "unknown enum": (lambda: producer_pb2.PushRequest(tasks=[task(priority=9)]), C.INVALID_ARGUMENT, "priority"),
    "negative delay": (lambda: producer_pb2.PushRequest(tasks=[task(not_before_unix_s=-5)]), C.INVALID_ARGUMENT,
                       "negative"),
    "payload over limit": (lambda: producer_pb2.PushRequest(tasks=[task(kwargs=msgpack.packb({"b": b"x" * (70 << 10)}))]),
                           C.INVALID_ARGUMENT, "limit"),
    "batch over limit": (lambda: producer_pb2.PushRequest(tasks=[task() for _ in range(1001)]), C.INVALID_ARGUMENT,
                         "split the batch"),
    "message over limit": (lambda: producer_pb2.PushRequest(tasks=[task(kwargs=b"\x80", trace_id="t" * (5 << 20))]),
                           C.RESOURCE_EXHAUSTED, ""),
    "one bad task spoils the batch": (lambda: producer_pb2.PushRequest(tasks=[task(), task(kwargs=b"\xc1")]),
                                      C.INVALID_ARGUMENT, "do not decode"),
}


def assert_alive_and_intact(stubs: tuple[Any, Any, Any], direct: Store, baseline: list[str]) -> None:
    producer = stubs[0]
    assert producer.Push(producer_pb2.PushRequest(tasks=[task(queue="after")])).tasks[0].created
    assert direct.counts("safe").ready == len(baseline)
    for task_id in baseline:
        assert direct.get("safe", task_id).state.value == "pending"


@pytest.mark.parametrize("case", sorted(BAD_PUSHES))
def test_bad_push(case: str, stubs: tuple[Any, Any, Any], direct: Store, baseline: list[str]) -> None:
    make, code, words = BAD_PUSHES[case]
    with pytest.raises(grpc.RpcError) as raised:
        stubs[0].Push(make())
    assert raised.value.code() == code, raised.value.details()
    assert words in (raised.value.details() or "")
    assert direct.counts("q").ready == 0, "nothing of a refused batch may be stored"
    assert_alive_and_intact(stubs, direct, baseline)


def test_bad_push_in_a_stream(stubs: tuple[Any, Any, Any], direct: Store, baseline: list[str]) -> None:
    good = producer_pb2.PushRequest(tasks=[task(queue="bulk")])
    bad = producer_pb2.PushRequest(tasks=[task(queue="bulk", kwargs=b"\xc1")])
    with pytest.raises(grpc.RpcError) as raised:
        stubs[0].PushStream(iter([good, bad, good]))
    assert raised.value.code() == C.INVALID_ARGUMENT
    assert direct.counts("bulk").ready == 1, "the batch acknowledged before the bad one stays"
    assert_alive_and_intact(stubs, direct, baseline)


def test_max_depth_is_backpressure(url: str, settings: Any) -> None:
    import dataclasses

    from sergeant.service.config import GatewaySettings
    from tests.gateway.harness import gateway

    with gateway(GatewaySettings(store_url=url, key_prefix=settings.key_prefix, max_depth=5)) as address, \
            grpc.insecure_channel(address) as channel:
        producer = producer_pb2_grpc.ProducerStub(channel)
        producer.Push(producer_pb2.PushRequest(tasks=[task() for _ in range(4)]))
        with pytest.raises(grpc.RpcError) as raised:
            producer.Push(producer_pb2.PushRequest(tasks=[task() for _ in range(2)]))
        assert raised.value.code() == C.RESOURCE_EXHAUSTED
        assert "max depth" in (raised.value.details() or "")
        producer.Push(producer_pb2.PushRequest(tasks=[task()]))
    del dataclasses


BAD_READS = {
    "get unknown id": ("GetTask", producer_pb2.GetTaskRequest(queue="q", task_id="nope"), C.NOT_FOUND),
    "get bad id": ("GetTask", producer_pb2.GetTaskRequest(queue="q", task_id="a b"), C.INVALID_ARGUMENT),
    "get bad queue": ("GetTask", producer_pb2.GetTaskRequest(queue="", task_id="x"), C.INVALID_ARGUMENT),
    "cancel unknown id": ("Cancel", producer_pb2.CancelRequest(queue="q", task_id="nope"), C.NOT_FOUND),
    "cancel bad queue": ("Cancel", producer_pb2.CancelRequest(queue="{x}", task_id="x"), C.INVALID_ARGUMENT),
}


@pytest.mark.parametrize("case", sorted(BAD_READS))
def test_bad_producer_reads(case: str, stubs: tuple[Any, Any, Any], direct: Store, baseline: list[str]) -> None:
    method, request, code = BAD_READS[case]
    with pytest.raises(grpc.RpcError) as raised:
        getattr(stubs[0], method)(request)
    assert raised.value.code() == code
    assert_alive_and_intact(stubs, direct, baseline)


@pytest.mark.parametrize("method,request_", [
    ("Watch", producer_pb2.WatchRequest(queue="")),
    ("Watch", producer_pb2.WatchRequest(queue="q", task_ids=["bad id"])),
    ("Submit", producer_pb2.SubmitRequest(task=task(kwargs=b"\xc1"))),
    ("Submit", producer_pb2.SubmitRequest()),
])
def test_bad_streams(method: str, request_: Any, stubs: tuple[Any, Any, Any], direct: Store,
                     baseline: list[str]) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        list(getattr(stubs[0], method)(request_, timeout=5))
    assert raised.value.code() == C.INVALID_ARGUMENT
    assert_alive_and_intact(stubs, direct, baseline)


@pytest.mark.parametrize("method,request_,code", [
    ("PurgeQueue", ops.PurgeQueueRequest(queue=""), C.INVALID_ARGUMENT),
    ("PauseQueue", ops.PauseQueueRequest(queue="a:b"), C.INVALID_ARGUMENT),
    ("ResumeQueue", ops.ResumeQueueRequest(queue=" "), C.INVALID_ARGUMENT),
    ("ListDeadLetters", ops.ListDeadLettersRequest(queue="a{b}"), C.INVALID_ARGUMENT),
    ("ReplayDeadLetters", ops.ReplayDeadLettersRequest(queue=""), C.INVALID_ARGUMENT),
    ("PurgeDeadLetters", ops.PurgeDeadLettersRequest(queue="é"), C.INVALID_ARGUMENT),
    ("ListWorkers", ops.ListWorkersRequest(queue="x" * 300), C.INVALID_ARGUMENT),
])
def test_bad_operations(method: str, request_: Any, code: grpc.StatusCode, stubs: tuple[Any, Any, Any],
                        direct: Store, baseline: list[str]) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        getattr(stubs[1], method)(request_)
    assert raised.value.code() == code
    assert_alive_and_intact(stubs, direct, baseline)


@pytest.mark.parametrize("first,words", [
    (worker_pb2.WorkerMessage(heartbeat=worker_pb2.Heartbeat()), "must be hello"),
    (worker_pb2.WorkerMessage(hello=worker_pb2.Hello(queue="q")), "worker_id"),
    (worker_pb2.WorkerMessage(hello=worker_pb2.Hello(queue="", worker_id="w")), "queue name"),
])
def test_bad_session_openings(first: worker_pb2.WorkerMessage, words: str, stubs: tuple[Any, Any, Any],
                              direct: Store, baseline: list[str]) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        list(stubs[2].Session(iter([first]), timeout=5))
    assert raised.value.code() == C.INVALID_ARGUMENT
    assert words in (raised.value.details() or "")
    assert_alive_and_intact(stubs, direct, baseline)


def test_bad_outcome_ends_the_session_but_not_the_gateway(stubs: tuple[Any, Any, Any], direct: Store,
                                                          baseline: list[str]) -> None:
    messages = [
        worker_pb2.WorkerMessage(hello=worker_pb2.Hello(queue="q", worker_id="w/1/x")),
        worker_pb2.WorkerMessage(outcomes=worker_pb2.OutcomeBatch(sequence=1, queue="q", outcomes=[
            worker_pb2.Outcome(task_id="t", lease_id="w/1/x/1")])),
    ]
    with pytest.raises(grpc.RpcError) as raised:
        list(stubs[2].Session(iter(messages), timeout=5))
    assert raised.value.code() == C.INVALID_ARGUMENT
    assert "no kind" in (raised.value.details() or "")
    assert_alive_and_intact(stubs, direct, baseline)


def test_garbage_bytes_on_the_wire(address: str, stubs: tuple[Any, Any, Any], direct: Store,
                                   baseline: list[str]) -> None:
    with grpc.insecure_channel(address) as channel:
        raw = channel.unary_unary("/sergeant.v1.Producer/Push", None, None)
        with pytest.raises(grpc.RpcError) as raised:
            raw(b"\xff\xff\xff\xff garbage that is not a protobuf")
    assert raised.value.code() in (C.INTERNAL, C.INVALID_ARGUMENT)
    assert_alive_and_intact(stubs, direct, baseline)
