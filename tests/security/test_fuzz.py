"""Time-bounded fuzz of every RPC, worker sessions included: random bytes and mutated messages.

It checks that no call answers UNKNOWN or INTERNAL, health stays SERVING, the gateway's RSS stays bounded, and every
task acknowledged before or during the fuzz is still in the store afterwards.  SERGEANT_FUZZ_S sets how long it
runs (default 60 s)."""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest
from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2

from sergeant.store import open_store
from sergeant.store.base import StoreSettings
from sergeant.v1 import operations_pb2, producer_pb2, task_pb2, worker_pb2
from tests.security.helpers import SERVING, Stubs
from tests.security.served import rss_of, served

pytestmark = pytest.mark.slow
FUZZ_S = float(os.environ.get("SERGEANT_FUZZ_S", "60"))
SAFE = "acked"  # the queue whose tasks must survive; no fuzzed call may name it
SERVICES = [producer_pb2.DESCRIPTOR.services_by_name["Producer"], worker_pb2.DESCRIPTOR.services_by_name["Workers"],
            operations_pb2.DESCRIPTOR.services_by_name["Operations"], health_pb2.DESCRIPTOR.services_by_name["Health"],
            reflection_pb2.DESCRIPTOR.services_by_name["ServerReflection"]]
METHODS: list[MethodDescriptor] = [m for s in SERVICES for m in s.methods]
WORDS = ["q", "fuzz", "a.b", "", "{x}", "é", "x" * 300, "w/1/x", "w/1/x/1", "*", "0", "-1", "NaN"]
FLOATS = [0.0, 1.0, -1.0, float("nan"), float("inf"), -float("inf"), 1e308, 5e-324, 2.0e9]
INTS = [0, 1, -1, 2, 7, 2**31 - 1, -(2**31), 2**63 - 1, 10_000, 10_001]


def _value(field: FieldDescriptor, rng: random.Random, depth: int) -> Any:
    t = field.type
    if t == FieldDescriptor.TYPE_MESSAGE:
        assert field.message_type is not None
        return _message(field.message_type, rng, depth + 1)
    if t == FieldDescriptor.TYPE_STRING:
        return rng.choice(WORDS) if rng.random() < 0.8 else "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(8))
    if t == FieldDescriptor.TYPE_BYTES:
        return rng.choice([b"", b"\x80", msgpack.packb({"a": 1}), os.urandom(rng.randrange(64)), b"\xc1"])
    if t in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return rng.choice(FLOATS)
    if t == FieldDescriptor.TYPE_BOOL:
        return rng.random() < 0.5
    if t == FieldDescriptor.TYPE_ENUM:
        assert field.enum_type is not None
        return rng.choice([v.number for v in field.enum_type.values] + [99])
    value = rng.choice(INTS)
    if t in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED32,
             FieldDescriptor.TYPE_FIXED64):
        value = abs(value)
    if t in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SFIXED32,
             FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32):
        value = max(min(value, 2**31 - 1), -(2**31)) if t not in (FieldDescriptor.TYPE_UINT32,
                                                                  FieldDescriptor.TYPE_FIXED32) else value % 2**32
    return value


def _message(descriptor: Descriptor, rng: random.Random, depth: int = 0) -> Any:
    message = message_factory.GetMessageClass(descriptor)()
    if depth > 3:
        return message
    oneofs_done: set[str] = set()
    for field in descriptor.fields:
        if rng.random() < 0.4:
            continue
        if field.containing_oneof is not None:
            if field.containing_oneof.name in oneofs_done:
                continue
            oneofs_done.add(field.containing_oneof.name)
        if field.is_repeated:
            getattr(message, field.name).extend(_value(field, rng, depth) for _ in range(rng.randrange(4)))
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            getattr(message, field.name).CopyFrom(_value(field, rng, depth))
        else:
            setattr(message, field.name, _value(field, rng, depth))
    return message


def _names_safe(data: bytes) -> bool:
    return SAFE.encode() in data


def _mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        choice = rng.randrange(4)
        if choice == 0 and buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif choice == 1:
            buf[rng.randrange(len(buf) + 1):rng.randrange(len(buf) + 1)] = os.urandom(rng.randrange(1, 8))
        elif choice == 2 and buf:
            del buf[rng.randrange(len(buf))]
        elif buf:
            del buf[rng.randrange(len(buf)):]
    return bytes(buf)


def _request(method: MethodDescriptor, rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return os.urandom(rng.randrange(0, 200))
    data = _message(method.input_type, rng).SerializeToString()
    return _mutate(data, rng) if roll < 0.55 else data


def _hello(rng: random.Random) -> bytes:
    return worker_pb2.WorkerMessage(hello=worker_pb2.Hello(worker_id=f"fuzz/{rng.randrange(99)}/x",
                                                           queue=rng.choice(["q", "fuzz"]))).SerializeToString()


class Outcomes:
    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.bad: list[str] = []
        self.lock = threading.Lock()

    def record(self, method: str, code: grpc.StatusCode, details: str) -> None:
        with self.lock:
            self.codes[code.name] = self.codes.get(code.name, 0) + 1
            if code in (grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL) and len(self.bad) < 20:
                self.bad.append(f"{method}: {code.name} {details[:200]}")


def _fuzz(address: str, seed: int, until: float, outcomes: Outcomes) -> None:
    rng = random.Random(seed)
    with grpc.insecure_channel(address) as channel:
        while time.monotonic() < until:
            method = rng.choice(METHODS)
            path = f"/{method.containing_service.full_name}/{method.name}"
            requests = [_request(method, rng) for _ in range(rng.randrange(1, 5) if method.client_streaming else 1)]
            if method.name == "Session" and rng.random() < 0.6:
                requests[0] = _hello(rng)
            if any(_names_safe(r) for r in requests):
                continue
            try:
                if method.client_streaming and method.server_streaming:
                    for _ in channel.stream_stream(path, None, None)(iter(requests), timeout=2):
                        pass
                elif method.client_streaming:
                    channel.stream_unary(path, None, None)(iter(requests), timeout=2)
                elif method.server_streaming:
                    for _ in channel.unary_stream(path, None, None)(requests[0], timeout=1):
                        pass
                else:
                    channel.unary_unary(path, None, None)(requests[0], timeout=5)
                outcomes.record(path, grpc.StatusCode.OK, "")
            except grpc.RpcError as exc:
                outcomes.record(path, exc.code(), exc.details() or "")


def test_fuzz_every_rpc(own_redis: str, tmp_path: Path) -> None:
    prefix = f"t{uuid.uuid4().hex[:12]}"
    with served(own_redis, "--key-prefix", prefix, log=tmp_path / "gateway.log") as (address, process), \
            grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        acked = [t.id for t in stubs.producer.Push(producer_pb2.PushRequest(tasks=[
            task_pb2.Task(queue=SAFE, kwargs=msgpack.packb({"i": i}), want_result=True) for i in range(200)])).tasks]
        outcomes = Outcomes()
        until = time.monotonic() + FUZZ_S
        fuzzers = [threading.Thread(target=_fuzz, args=(address, seed, until, outcomes), daemon=True)
                   for seed in range(4)]
        for thread in fuzzers:
            thread.start()
        peak = 0
        statuses = set()
        while any(t.is_alive() for t in fuzzers):
            statuses.add(stubs.health_check(timeout_s=5)[0])
            peak = max(peak, rss_of(process.pid))
            time.sleep(0.5)
        for thread in fuzzers:
            thread.join(30)
        statuses.add(stubs.health_check()[0])
        assert process.poll() is None, "the gateway died"
    assert not outcomes.bad, "\n".join(outcomes.bad)
    assert statuses == {SERVING}, statuses
    assert sum(outcomes.codes.values()) > 100, outcomes.codes
    assert peak < 600 << 20, f"the gateway's RSS reached {peak >> 20} MiB"
    store = open_store(own_redis, StoreSettings(key_prefix=prefix))
    try:
        assert store.counts(SAFE).ready == len(acked)
        assert all(store.get(SAFE, task_id).state.value == "pending" for task_id in acked)
    finally:
        store.close()
    print(f"fuzz {FUZZ_S:.0f} s: {sum(outcomes.codes.values())} calls {outcomes.codes}; peak RSS {peak >> 20} MiB")

