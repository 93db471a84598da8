"""Item 5: compression bombs. Rights are checked before any decoding; the payload limit applies to the
decompressed size, enforced while decompressing; decoding never stalls the event loop (health answers)."""

from __future__ import annotations

import bz2
import dataclasses
import threading
import time
from pathlib import Path

import grpc
import pytest

from sergeant.service.config import GatewaySettings
from sergeant.store.base import Store
from sergeant.v1 import producer_pb2, task_pb2
from tests.gateway.harness import gateway
from tests.security.helpers import SERVING, Stubs, bearer, tokens

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
BOMB = bz2.compress(b"\0" * (256 << 20))  # ~200 bytes that expand to 256 MiB


def _bomb_push(queue: str) -> producer_pb2.PushRequest:
    return producer_pb2.PushRequest(tasks=[task_pb2.Task(queue=queue, kwargs=BOMB,
                                                         compressor=task_pb2.COMPRESSOR_BZIP2)])


def test_rights_are_checked_before_decoding(gateway_settings: GatewaySettings, tmp_path: Path) -> None:
    grants = tokens(tmp_path, {"a": {"name": "a-only", "roles": ["produce"], "queues": ["a"]}})
    with gateway(dataclasses.replace(gateway_settings, tokens=grants)) as address, \
            grpc.insecure_channel(address) as channel:
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as refused:
            Stubs(channel).producer.Push(_bomb_push("b"), metadata=bearer("a"), timeout=30)
        took = time.monotonic() - started
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED, refused.value.details()
    assert took < 1.0, f"refusing took {took:.2f} s: the gateway decoded the bomb first"


def test_the_limit_applies_to_the_decompressed_size(gateway_settings: GatewaySettings, direct: Store) -> None:
    with gateway(gateway_settings) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        slowest = [0.0]
        stop = threading.Event()

        def probe() -> None:
            while not stop.is_set():
                slowest[0] = max(slowest[0], stubs.health_check()[1])
                time.sleep(0.02)

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as refused:
            stubs.producer.Push(producer_pb2.PushRequest(tasks=list(_bomb_push("q").tasks) * 8), timeout=60)
        took = time.monotonic() - started
        stop.set()
        prober.join()
        assert stubs.health_check()[0] == SERVING

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "decompresses to more than" in (refused.value.details() or ""), refused.value.details()
    assert took < 2.0, f"refusing 8 bombs took {took:.2f} s: they were expanded in full"
    assert slowest[0] < 1.0, f"a health check took {slowest[0]:.2f} s while the bombs were refused"
    assert direct.counts("q").ready == 0
