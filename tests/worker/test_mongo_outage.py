"""A MongoDB-protocol outage fails fast: calls answer StoreUnavailable (gRPC UNAVAILABLE) well inside a client's
deadline, instead of waiting for server selection until the client gives up (DEADLINE_EXCEEDED)."""

from __future__ import annotations

import contextlib
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from sergeant.client.common import push_request
from sergeant.errors import StoreUnavailable
from sergeant.store import open_store
from sergeant.task import Task, new_task_id
from sergeant.v1 import producer_pb2_grpc
from tests.servers import mongo_server
from tests.worker.harness import gateway_thread, wait_for

FAIL_FAST_S = 2.5  # serverSelectionTimeoutMS is 1 s; the rest absorbs a loaded machine
DEADLINE_S = 3.0  # a client's deadline on a push


def test_a_push_during_an_outage_fails_fast_and_ping_notices() -> None:
    with mongo_server() as url:
        store = open_store(url)
        store.ping()
    try:  # the server is gone now
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.push([Task(id=new_task_id(), queue="outage", kwargs=b"\x80", created_at=time.time())])
        assert time.monotonic() - started < FAIL_FAST_S
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.ping()  # what health reports NOT_SERVING from
        assert time.monotonic() - started < FAIL_FAST_S
    finally:
        store.close()


def test_a_url_keeps_its_own_timeouts() -> None:
    with mongo_server() as url:
        store = open_store(f"{url}&serverSelectionTimeoutMS=4000")
        try:
            options = store._client.options  # type: ignore[attr-defined]
            assert options.server_selection_timeout == 4.0
            assert options.pool_options.connect_timeout == 1.0
        finally:
            store.close()


def test_through_the_gateway_an_outage_is_unavailable_and_health_says_so() -> None:
    """One Push attempt answers UNAVAILABLE well inside a 3 s deadline.  (Through the clients, whose retries stay
    inside the deadline: tests/client/test_outage.py and each client's own outage tests.)"""
    server = contextlib.ExitStack()  # its own stack: the server stops while the gateway runs
    url = server.enter_context(mongo_server())
    try:
        with gateway_thread(url) as address, grpc.insecure_channel(address) as channel:
            producer = producer_pb2_grpc.ProducerStub(channel)
            health = health_pb2_grpc.HealthStub(channel)

            def push() -> None:
                producer.Push(push_request("outage", [{"n": 1}], {}), timeout=DEADLINE_S)

            def serving_status() -> int:
                return int(health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5).status)

            push()
            wait_for(lambda: serving_status() == health_pb2.HealthCheckResponse.SERVING, 10, "SERVING")
            server.close()
            started = time.monotonic()
            with pytest.raises(grpc.RpcError) as failed:
                push()
            assert failed.value.code() is grpc.StatusCode.UNAVAILABLE, failed.value  # not DEADLINE_EXCEEDED
            assert time.monotonic() - started < FAIL_FAST_S
            wait_for(lambda: serving_status() == health_pb2.HealthCheckResponse.NOT_SERVING, 10, "NOT_SERVING")
            assert time.monotonic() - started < 4.0  # the probe runs each second; selection gives up in 1
    finally:
        server.close()
