"""Bearer tokens with roles and queues, TLS, and two gateways over one store."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import msgpack
import pytest

from sergeant.client import Client, ClientError
from sergeant.service.config import GatewaySettings, load_tokens
from sergeant.store.base import Store, StoreSettings
from sergeant.v1 import operations_pb2, operations_pb2_grpc, worker_pb2, worker_pb2_grpc
from tests.gateway.harness import ScriptedWorker, gateway

TOKENS = {
    "producer-token": {"name": "billing-api", "roles": ["produce"], "queues": ["invoices"]},
    "worker-token": {"name": "billing-workers", "roles": ["consume"], "queues": ["invoices"]},
    "admin-token": {"name": "ops", "roles": ["admin", "produce"], "queues": ["*"]},
}


@pytest.fixture
def secured(url: str, settings: StoreSettings, tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(TOKENS))
    with gateway(GatewaySettings(store_url=url, key_prefix=settings.key_prefix, tokens=load_tokens(str(path)))) as a:
        yield a


@pytest.mark.parametrize("token,code", [(None, "UNAUTHENTICATED"), ("wrong", "UNAUTHENTICATED"),
                                        ("worker-token", "PERMISSION_DENIED")])
def test_push_needs_a_token_with_the_produce_role(secured: str, token: str | None, code: str, direct: Store) -> None:
    with Client(secured, token=token) as client, pytest.raises(ClientError) as raised:
        client.push("invoices", {"n": 1})
    assert raised.value.code.name == code
    assert direct.counts("invoices").ready == 0


def test_a_token_is_limited_to_its_queues(secured: str, direct: Store) -> None:
    with Client(secured, token="producer-token") as client:
        client.push("invoices", {"n": 1})
        with pytest.raises(ClientError) as raised:
            client.push("payroll", {"n": 1})
    assert raised.value.code.name == "PERMISSION_DENIED"
    assert "billing-api" in raised.value.details and "payroll" in raised.value.details
    assert (direct.counts("invoices").ready, direct.counts("payroll").ready) == (1, 0)


def test_operations_need_the_admin_role(secured: str) -> None:
    with grpc.insecure_channel(secured) as channel:
        ops = operations_pb2_grpc.OperationsStub(channel)
        with pytest.raises(grpc.RpcError) as raised:
            ops.PurgeQueue(operations_pb2.PurgeQueueRequest(queue="invoices"),
                           metadata=(("authorization", "Bearer producer-token"),))
        assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
        reply = ops.ListQueues(operations_pb2.ListQueuesRequest(), metadata=(("authorization", "Bearer admin-token"),))
        assert isinstance(list(reply.queues), list)


def test_worker_sessions_need_the_consume_role(secured: str) -> None:
    with grpc.insecure_channel(secured) as channel:
        stub = worker_pb2_grpc.WorkersStub(channel)
        hello = worker_pb2.WorkerMessage(hello=worker_pb2.Hello(queue="invoices", worker_id="h/1/x"))
        with pytest.raises(grpc.RpcError) as raised:
            list(stub.Session(iter([hello]), metadata=(("authorization", "Bearer producer-token"),), timeout=5))
        assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
    worker = ScriptedWorker(secured, "invoices", "h/1/y", token="worker-token")
    assert worker.receive("welcome").session_id == "h/1/y"
    worker.goodbye()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_tls(url: str, settings: StoreSettings, certificate: tuple[Path, Path], direct: Store) -> None:
    cert, key = certificate
    with gateway(GatewaySettings(store_url=url, key_prefix=settings.key_prefix, tls_cert=str(cert),
                                 tls_key=str(key))) as address:
        with Client(address, tls=cert.read_bytes()) as client:
            task_id = client.push("secure", {"n": 1})
        assert direct.get("secure", task_id).state.value == "pending"
        with Client(address, timeout_s=2) as plaintext, pytest.raises(ClientError) as raised:
            plaintext.push("secure", {"n": 2})
        assert raised.value.code.name == "UNAVAILABLE"
        from sergeant.cli import main

        assert main(["health", "--address", address, "--tls-ca", str(cert)]) == 0
        assert main(["health", "--address", address]) == 1


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_two_gateways_over_one_store_serve_any_task(url: str, settings: StoreSettings, direct: Store) -> None:
    base = GatewaySettings(store_url=url, key_prefix=settings.key_prefix)
    with gateway(base) as first, gateway(base) as second:
        worker = ScriptedWorker(second, "shared", "w/9/z")
        worker.receive("welcome")
        with Client(first) as client:
            submission = client.submit("shared", {"n": 5})
            [task] = direct.lease("shared", 1, 30, owner="w/9/z", wait_s=10)
            worker.outcomes("shared", worker_pb2.Outcome(task_id=task.id, lease_id=task.lease_id,
                                                         kind=worker_pb2.OUTCOME_KIND_SUCCEEDED,
                                                         result=msgpack.packb(25)))
            assert submission.result(timeout=10) == 25
        with Client(second) as other:
            assert other.get("shared", task.id).result == 25
        worker.goodbye()
        time.sleep(0.1)
