"""Item 6: a bound on calls in flight, answered with RESOURCE_EXHAUSTED before the request is read; health keeps
answering within a second while pushes saturate the gateway. The memory budget: test_memory_budget.py."""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from pathlib import Path

import grpc
import msgpack
import pytest

from sergeant.service.config import GatewaySettings
from sergeant.store import open_store
from sergeant.store.base import StoreSettings
from sergeant.v1 import producer_pb2, task_pb2
from tests.gateway.harness import gateway
from tests.security.helpers import SERVING, Stubs, bearer, tokens
from tests.security.served import rss_of, served

BATCH = producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="load", kwargs=msgpack.packb({"i": i, "pad": "x" * 100}))
                                        for i in range(10_000)]).SerializeToString()


def test_pushes_past_the_limits_are_refused_and_health_answers(own_redis: str, tmp_path: Path) -> None:
    prefix = f"t{uuid.uuid4().hex[:12]}"
    args = ("--key-prefix", prefix, "--max-batch", "10000", "--max-requests", "2")
    codes: dict[str, int] = {}
    details: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    with served(own_redis, *args, log=tmp_path / "gateway.log") as (address, process):

        def push() -> None:
            with grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 32 << 20)]) as channel:
                call = channel.unary_unary("/sergeant.v1.Producer/Push", None, None)
                while not stop.is_set():
                    try:
                        call(BATCH, timeout=60)
                        code = "OK"
                    except grpc.RpcError as exc:
                        code = exc.code().name
                        with lock:
                            details.add((exc.details() or "")[:40])
                    with lock:
                        codes[code] = codes.get(code, 0) + 1

        pushers = [threading.Thread(target=push, daemon=True) for _ in range(12)]
        for thread in pushers:
            thread.start()
        latencies: list[float] = []
        peak = 0
        with grpc.insecure_channel(address) as channel:
            stubs = Stubs(channel)
            give_up = time.monotonic() + 8
            while time.monotonic() < give_up:
                status, took = stubs.health_check(timeout_s=10)
                assert status == SERVING
                latencies.append(took)
                peak = max(peak, rss_of(process.pid))
                time.sleep(0.1)
        stop.set()
        for thread in pushers:
            thread.join(60)
    assert set(codes) == {"OK", "RESOURCE_EXHAUSTED"}, (codes, details)
    assert all(d.startswith("gateway: the gateway is busy") or "busy" in d for d in details), details
    store = open_store(own_redis, StoreSettings(key_prefix=prefix))
    try:
        assert store.counts("load").ready == codes["OK"] * 10_000, "an acknowledged push is missing tasks"
    finally:
        store.close()
    assert max(latencies) < 1.0, f"a health check took {max(latencies):.2f} s under load"
    assert peak < 600 << 20, f"the gateway grew to {peak >> 20} MiB"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_refused_calls_give_their_place_back(gateway_settings: GatewaySettings, tmp_path: Path) -> None:
    """Calls refused for a bad token or a corrupt request must not keep counting against the limit of calls."""
    grants = tokens(tmp_path, {"good": {"name": "api", "roles": ["produce"]}})
    settings = dataclasses.replace(gateway_settings, tokens=grants, max_requests=2)
    push = producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="q", kwargs=msgpack.packb({}))])
    with gateway(settings) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        for token in ["wrong"] * 10:
            with pytest.raises(grpc.RpcError) as refused:
                stubs.producer.Push(push, metadata=bearer(token), timeout=5)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        for _ in range(10):
            with pytest.raises(grpc.RpcError) as refused:
                channel.unary_unary("/sergeant.v1.Producer/Push", None, None)(b"\xff\xff garbage",
                                                                               metadata=bearer("good"), timeout=5)
            assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert stubs.producer.Push(push, metadata=bearer("good"), timeout=5).tasks[0].created
