"""Item 7 (every number validated, every string capped, errors quote a short prefix) and item 8 (the stock
health and reflection services answer corrupt bytes with INVALID_ARGUMENT, as ours do)."""

from __future__ import annotations

from typing import Any

import grpc
import msgpack
import pytest

from sergeant.store.base import Store
from sergeant.v1 import producer_pb2, task_pb2, worker_pb2
from tests.gateway.harness import ScriptedWorker
from tests.security.helpers import Stubs

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
C = grpc.StatusCode
NAN, INF = float("nan"), float("inf")


def task(**fields: Any) -> task_pb2.Task:
    fields.setdefault("queue", "q")
    fields.setdefault("kwargs", msgpack.packb({"a": 1}))
    return task_pb2.Task(**fields)


BAD_TASKS = {
    "nan not_before": task(not_before_unix_s=NAN),
    "infinite not_before": task(not_before_unix_s=INF),
    "nan timeout": task(timeout_s=NAN),
    "infinite timeout": task(timeout_s=INF),
    "long trace id": task(trace_id="t" * 300),
    "long idempotency key": task(idempotency_key="k" * 300),
    "huge trace id": task(trace_id="t" * (2 << 20)),
}


@pytest.fixture
def stubs(address: str) -> Any:
    with grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
        yield Stubs(channel)


@pytest.mark.parametrize("case", sorted(BAD_TASKS))
def test_bad_fields_are_refused(case: str, stubs: Stubs, direct: Store) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        stubs.producer.Push(producer_pb2.PushRequest(tasks=[BAD_TASKS[case]]))
    assert refused.value.code() == C.INVALID_ARGUMENT, refused.value.details()
    assert len(refused.value.details() or "") < 400
    assert direct.counts("q").ready == 0


def test_a_key_at_the_limit_is_accepted(stubs: Stubs) -> None:
    reply = stubs.producer.Push(producer_pb2.PushRequest(tasks=[task(trace_id="t" * 256, idempotency_key="k" * 256)]))
    assert reply.tasks[0].created


@pytest.mark.parametrize("method,request_", [
    ("Push", producer_pb2.PushRequest(tasks=[task(queue="q" * (1 << 20))])),
    ("GetTask", producer_pb2.GetTaskRequest(queue="q" * (1 << 20), task_id="x")),
    ("GetTask", producer_pb2.GetTaskRequest(queue="q", task_id="x" * (1 << 20))),
    ("Cancel", producer_pb2.CancelRequest(queue="q", task_id="x" * (1 << 20))),
])
def test_errors_quote_a_short_prefix_of_bad_input(method: str, request_: Any, stubs: Stubs) -> None:
    """A 1 MB queue name once came back whole inside the status, and clients then saw a metadata-size transport
    error instead of INVALID_ARGUMENT."""
    with pytest.raises(grpc.RpcError) as refused:
        getattr(stubs.producer, method)(request_)
    assert refused.value.code() == C.INVALID_ARGUMENT, refused.value.details()
    assert len(refused.value.details() or "") < 400


@pytest.mark.parametrize("outcome", [
    worker_pb2.Outcome(task_id="t", lease_id="w/1/v/1", kind=worker_pb2.OUTCOME_KIND_RETRY, delay_s=NAN),
    worker_pb2.Outcome(task_id="t", lease_id="w/1/v/1", kind=worker_pb2.OUTCOME_KIND_REQUEUE, delay_s=INF),
])
def test_session_numbers_are_validated(outcome: worker_pb2.Outcome, address: str) -> None:
    worker = ScriptedWorker(address, "q", "w/1/v")
    worker.receive("welcome")
    worker.send(worker_pb2.WorkerMessage(outcomes=worker_pb2.OutcomeBatch(sequence=1, queue="q", outcomes=[outcome])))
    with pytest.raises(grpc.RpcError) as ended:
        worker.receive("outcome_ack")
    assert ended.value.code() == C.INVALID_ARGUMENT
    assert "delay_s" in (ended.value.details() or "")


def test_progress_numbers_are_validated(address: str) -> None:
    worker = ScriptedWorker(address, "q", "w/1/p")
    worker.receive("welcome")
    worker.send(worker_pb2.WorkerMessage(progress=worker_pb2.ProgressBatch(queue="q", updates=[
        worker_pb2.ProgressUpdate(task_id="t", progress=NAN)])))
    with pytest.raises(grpc.RpcError) as ended:
        worker.receive("outcome_ack")
    assert ended.value.code() == C.INVALID_ARGUMENT


@pytest.mark.parametrize("method,kind", [
    ("/grpc.health.v1.Health/Check", "unary"),
    ("/grpc.health.v1.Health/Watch", "stream"),
    ("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "bidi"),
])
def test_stock_services_refuse_corrupt_bytes(method: str, kind: str, address: str) -> None:
    garbage = b"\xff\xff\xff\xff not a protobuf"
    with grpc.insecure_channel(address) as channel:
        with pytest.raises(grpc.RpcError) as refused:
            if kind == "unary":
                channel.unary_unary(method, None, None)(garbage, timeout=5)
            elif kind == "stream":
                list(channel.unary_stream(method, None, None)(garbage, timeout=5))
            else:
                list(channel.stream_stream(method, None, None)(iter([garbage]), timeout=5))
        assert refused.value.code() == C.INVALID_ARGUMENT, (refused.value.code(), refused.value.details())
        health = Stubs(channel).health_check()
    assert health[0] == 1
