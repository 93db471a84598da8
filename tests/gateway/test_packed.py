"""The packed form of Push and PushStream: what it stores and answers, and every kind of bad input in every field.

Each bad batch must get its status, leave nothing of itself stored, and leave the gateway serving with every task
acknowledged before it intact. The cases run through one gateway per backend (a gateway per case would cost minutes).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.encoder import encode
from sergeant.packed import DEFAULT, PackedTask, pack_batch
from sergeant.service.config import GatewaySettings, load_tokens
from sergeant.store.base import Store, StoreSettings
from sergeant.task import Compressor, Priority, Serializer, TaskState
from sergeant.v1 import producer_pb2, producer_pb2_grpc, task_pb2
from tests.gateway.harness import gateway
from tests.gateway.test_bad_input import assert_alive_and_intact, baseline, stubs  # noqa: F401  (fixtures)

C = grpc.StatusCode


def packed(data: bytes, *, queue: str = "q", version: int = 1, want_results: bool = False) -> producer_pb2.PushRequest:
    return producer_pb2.PushRequest(packed=producer_pb2.PackedTasks(version=version, queue=queue, tasks=data,
                                                                    want_results=want_results))


def records(*recs: Any) -> bytes:
    """Records packed raw, as a hostile or buggy client would, bypassing PackedTask's checks."""
    packed_bytes: bytes = msgpack.packb(list(recs), use_bin_type=True)
    return packed_bytes


def good(i: int = 0) -> list[Any]:
    return [f"good-{i}", {"i": i}]


def with_field(position: int, value: Any) -> bytes:
    """One record whose field at ``position`` holds ``value``; the fields before it hold their defaults."""
    fields: list[Any] = ["t-1", {"a": 1}, 0, 0, 0, 0, None, None, 0, 0][:position]
    return records([*fields, value])


def over_limit_batch() -> bytes:
    return pack_batch([DEFAULT.record(f"t-{i}", {}) for i in range(1001)])


_GOOD = records(good(0), good(1))
LONG = "x" * 10_000

BAD_PACKED: dict[str, tuple[Callable[[], producer_pb2.PushRequest], grpc.StatusCode, str]] = {
    # the envelope
    "tasks and packed": (lambda: producer_pb2.PushRequest(
        tasks=[task_pb2.Task(queue="q", kwargs=b"\x80")], packed=packed(_GOOD).packed), C.INVALID_ARGUMENT, "not both"),
    "empty packed message": (lambda: producer_pb2.PushRequest(packed=producer_pb2.PackedTasks()), C.INVALID_ARGUMENT,
                             "version 0"),
    "version 2": (lambda: packed(_GOOD, version=2), C.INVALID_ARGUMENT, "version 2 is unknown"),
    "empty queue": (lambda: packed(_GOOD, queue=""), C.INVALID_ARGUMENT, "queue name"),
    "key escape in queue": (lambda: packed(_GOOD, queue="a}{b"), C.INVALID_ARGUMENT, "queue name"),
    # the batch
    "empty tasks bytes": (lambda: packed(b""), C.INVALID_ARGUMENT, "at least one task"),
    "empty array": (lambda: packed(b"\x90"), C.INVALID_ARGUMENT, "at least one task"),
    "not an array": (lambda: packed(msgpack.packb({"a": 1})), C.INVALID_ARGUMENT, "not a msgpack array"),
    "garbage": (lambda: packed(b"\xc1\xff\x00garbage"), C.INVALID_ARGUMENT, "not a msgpack array"),
    "truncated": (lambda: packed(_GOOD[:-3]), C.INVALID_ARGUMENT, "truncated"),
    "header promises more": (lambda: packed(b"\x93" + _GOOD[1:]), C.INVALID_ARGUMENT, "truncated"),
    "trailing bytes": (lambda: packed(_GOOD + b"\x00"), C.INVALID_ARGUMENT, "follow"),
    "a second array after": (lambda: packed(_GOOD + _GOOD), C.INVALID_ARGUMENT, "follow"),
    "batch over limit": (lambda: packed(over_limit_batch()), C.INVALID_ARGUMENT, "split the batch"),
    "message over limit": (lambda: packed(records(["t-1", {"b": b"x" * (5 << 20)}])), C.RESOURCE_EXHAUSTED, ""),
    "record over payload limit": (lambda: packed(records(good(), ["big", {"b": b"x" * (70 << 10)}])),
                                  C.INVALID_ARGUMENT, "over the limit"),
    "deep nesting": (lambda: packed(b"\x91\x92\xa1a" + b"\x91" * 5000 + b"\x80"), C.INVALID_ARGUMENT,
                     "does not decode"),
    # the record
    "record not an array": (lambda: packed(records(good(), 5)), C.INVALID_ARGUMENT, "record 1 must be an array"),
    "record of one field": (lambda: packed(records(["t-1"])), C.INVALID_ARGUMENT, "2 to 10 fields"),
    "record of eleven fields": (lambda: packed(records(["t-1", {}, 0, 0, 0, 0, None, None, 0, 0, 0])),
                                C.INVALID_ARGUMENT, "2 to 10 fields"),
    "one bad record spoils the batch": (lambda: packed(records(good(0), good(1), ["t 2", {}])), C.INVALID_ARGUMENT,
                                        "record 2"),
    # id
    "id nil": (lambda: packed(records([None, {}])), C.INVALID_ARGUMENT, "task id"),
    "id empty": (lambda: packed(records(["", {}])), C.INVALID_ARGUMENT, "clients make ids"),
    "id an int": (lambda: packed(records([7, {}])), C.INVALID_ARGUMENT, "task id"),
    "id bin": (lambda: packed(records([b"t-1", {}])), C.INVALID_ARGUMENT, "task id"),
    "id with a space": (lambda: packed(records(["a b", {}])), C.INVALID_ARGUMENT, "task id"),
    "id of 129 characters": (lambda: packed(records(["i" * 129, {}])), C.INVALID_ARGUMENT, "task id"),
    # kwargs
    "kwargs an array": (lambda: packed(records(["t-1", [1, 2]])), C.INVALID_ARGUMENT, "msgpack map"),
    "kwargs nil": (lambda: packed(records(["t-1", None])), C.INVALID_ARGUMENT, "msgpack map"),
    "kwargs a string": (lambda: packed(records(["t-1", "{}"])), C.INVALID_ARGUMENT, "msgpack map"),
    "kwargs bin where the map belongs": (lambda: packed(records(["t-1", b"\x80"])), C.INVALID_ARGUMENT, "not bin"),
    "kwargs map for pickle": (lambda: packed(with_field(8, 2)), C.INVALID_ARGUMENT,
                              "must be bin"),
    "kwargs map with zlib": (lambda: packed(with_field(9, 2)), C.INVALID_ARGUMENT, "must be bin"),
    "kwargs zlib garbage": (lambda: packed(records(["t-1", b"not zlib", 0, 0, 0, 0, None, None, 1, 2])),
                            C.INVALID_ARGUMENT, "do not decode"),
    "kwargs zlib of an array": (lambda: packed(records(["t-1", encode([1], Serializer.MSGPACK, Compressor.ZLIB),
                                                        0, 0, 0, 0, None, None, 1, 2])),
                                C.INVALID_ARGUMENT, "map"),
    "kwargs empty pickle": (lambda: packed(records(["t-1", b"", 0, 0, 0, 0, None, None, 2])), C.INVALID_ARGUMENT,
                            "empty"),
    "kwargs with an unknown ext type": (lambda: packed(b"\x91\x92\xa3t-1\x81\xa1a\xd4\x09\x00"), C.INVALID_ARGUMENT,
                                        "extension type 9"),
    "kwargs with a set of lists": (lambda: packed(b"\x91\x92\xa3t-1\x81\xa1a\xd5\x02\x91\x90"),
                                   C.INVALID_ARGUMENT, "does not decode"),
    # priority
    "priority 9": (lambda: packed(with_field(2, 9)), C.INVALID_ARGUMENT, "priority"),
    "priority -1": (lambda: packed(with_field(2, -1)), C.INVALID_ARGUMENT, "priority"),
    "priority a string": (lambda: packed(with_field(2, "high")), C.INVALID_ARGUMENT, "priority"),
    "priority true": (lambda: packed(with_field(2, True)), C.INVALID_ARGUMENT, "priority"),
    "priority 1.5": (lambda: packed(with_field(2, 1.5)), C.INVALID_ARGUMENT, "priority"),
    # not_before_unix_s
    "not_before negative": (lambda: packed(with_field(3, -5)), C.INVALID_ARGUMENT, "not_before"),
    "not_before NaN": (lambda: packed(with_field(3, math.nan)), C.INVALID_ARGUMENT, "finite"),
    "not_before infinite": (lambda: packed(with_field(3, math.inf)), C.INVALID_ARGUMENT, "finite"),
    "not_before a string": (lambda: packed(with_field(3, "soon")), C.INVALID_ARGUMENT, "not_before"),
    # max_attempts
    "max_attempts negative": (lambda: packed(with_field(4, -1)), C.INVALID_ARGUMENT, "max_attempts"),
    "max_attempts a float": (lambda: packed(with_field(4, 1.5)), C.INVALID_ARGUMENT, "max_attempts"),
    "max_attempts over uint32": (lambda: packed(with_field(4, 1 << 32)), C.INVALID_ARGUMENT, "max_attempts"),
    "max_attempts a string": (lambda: packed(with_field(4, "3")), C.INVALID_ARGUMENT, "max_attempts"),
    # timeout_s
    "timeout negative": (lambda: packed(with_field(5, -0.5)), C.INVALID_ARGUMENT, "timeout_s"),
    "timeout NaN": (lambda: packed(with_field(5, math.nan)), C.INVALID_ARGUMENT, "timeout_s"),
    "timeout infinite": (lambda: packed(with_field(5, -math.inf)), C.INVALID_ARGUMENT, "timeout_s"),
    # idempotency_key and trace_id
    "idempotency key of 257 characters": (lambda: packed(with_field(6, "k" * 257)), C.INVALID_ARGUMENT,
                                          "idempotency_key"),
    "idempotency key an int": (lambda: packed(with_field(6, 5)), C.INVALID_ARGUMENT, "idempotency_key"),
    "trace id of 257 characters": (lambda: packed(with_field(7, "t" * 257)), C.INVALID_ARGUMENT, "trace_id"),
    "trace id bin": (lambda: packed(with_field(7, b"trace")), C.INVALID_ARGUMENT, "trace_id"),
    # serializer and compressor
    "serializer 3": (lambda: packed(with_field(8, 3)), C.INVALID_ARGUMENT, "serializer"),
    "serializer -1": (lambda: packed(with_field(8, -1)), C.INVALID_ARGUMENT, "serializer"),
    "compressor 8": (lambda: packed(with_field(9, 8)), C.INVALID_ARGUMENT, "compressor"),
    "compressor a string": (lambda: packed(with_field(9, "zstd")), C.INVALID_ARGUMENT, "compressor"),
    # errors quote a short prefix of bad input, never all of it
    "long bad id": (lambda: packed(records([LONG + " ", {}])), C.INVALID_ARGUMENT, "xxx..."),
    "long bad trace id": (lambda: packed(with_field(7, LONG)), C.INVALID_ARGUMENT, "xxx..."),
}


def test_every_bad_packed_push_is_refused_and_harms_nothing(stubs: tuple[Any, Any, Any], direct: Store,  # noqa: F811
                                                            baseline: list[str]) -> None:  # noqa: F811
    for case, (make, code, words) in sorted(BAD_PACKED.items()):
        with pytest.raises(grpc.RpcError) as raised:
            stubs[0].Push(make())
        details = raised.value.details() or ""
        assert raised.value.code() == code, f"{case}: {raised.value.code()} {details}"
        assert words in details, f"{case}: {details}"
        assert len(details) < 400, f"{case}: the error quotes too much of the input ({len(details)} characters)"
        assert direct.counts("q").ready == 0, f"{case}: nothing of a refused batch may be stored"
        assert_alive_and_intact(stubs, direct, baseline)


def test_bad_packed_push_in_a_stream_keeps_what_was_acknowledged(stubs: tuple[Any, Any, Any],  # noqa: F811
                                                                 direct: Store, baseline: list[str]) -> None:  # noqa: F811
    first = packed(records(good(0), good(1)), queue="bulk")
    bad = packed(records(good(2), ["bad id", {}]), queue="bulk")
    later = packed(records(good(3)), queue="bulk")
    with pytest.raises(grpc.RpcError) as raised:
        stubs[0].PushStream(iter([first, bad, later]))
    assert raised.value.code() == C.INVALID_ARGUMENT
    assert "record 1" in (raised.value.details() or "")
    assert direct.counts("bulk").ready == 2, "the batch acknowledged before the bad one stays; nothing after it"
    assert_alive_and_intact(stubs, direct, baseline)


def test_packed_push_stores_every_field_and_answers_duplicates(address: str, direct: Store) -> None:
    full = PackedTask(priority=Priority.HIGH, not_before=4_000_000_000.0, max_attempts=3, timeout_s=2.5,
                      idempotency_key="key-1", trace_id="trace-1")
    zlib = PackedTask(compressor=Compressor.ZLIB)
    batch = pack_batch([DEFAULT.record("plain", {"n": 1}), full.record("full", {"n": 2}),
                        zlib.record("zipped", {"n": 3}), full.record("same-key", {"n": 4}),
                        DEFAULT.record("plain", {"n": 5})])
    with grpc.insecure_channel(address) as channel:
        reply = producer_pb2_grpc.ProducerStub(channel).Push(packed(batch, want_results=True))
    assert reply.count == 5 and not reply.tasks
    assert [(d.index, d.id) for d in reply.duplicates] == [(3, "full"), (4, "plain")]
    plain, stored, zipped = (direct.get("q", i).task for i in ("plain", "full", "zipped"))
    assert plain is not None and stored is not None and zipped is not None
    assert msgpack.unpackb(plain.kwargs) == {"n": 1} and plain.max_attempts == 5
    assert (stored.priority, stored.not_before, stored.max_attempts, stored.timeout_s, stored.idempotency_key,
            stored.trace_id) == (Priority.HIGH, 4_000_000_000.0, 3, 2.5, "key-1", "trace-1")
    assert direct.get("q", "full").state == TaskState.SCHEDULED
    assert zipped.compressor == Compressor.ZLIB
    assert encode({"n": 3}, Serializer.MSGPACK, Compressor.ZLIB) == zipped.kwargs


def test_packed_push_stream_counts_across_messages(address: str, direct: Store) -> None:
    with grpc.insecure_channel(address) as channel:
        reply = producer_pb2_grpc.ProducerStub(channel).PushStream(iter([
            packed(records(good(0), good(1)), want_results=True), packed(records(good(2), good(0)), want_results=True)]))
    assert reply.count == 4
    assert [(d.index, d.id) for d in reply.duplicates] == [(3, "good-0")]
    assert direct.counts("q").ready == 3


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_queue_is_authorized_before_the_batch_is_decoded(url: str, settings: StoreSettings, tmp_path: Path,
                                                             direct: Store) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"t": {"name": "billing", "roles": ["produce"], "queues": ["invoices"]}}))
    with gateway(GatewaySettings(store_url=url, key_prefix=settings.key_prefix, tokens=load_tokens(str(path)))) as a, \
            grpc.insecure_channel(a) as channel:
        push = producer_pb2_grpc.ProducerStub(channel).Push
        with pytest.raises(grpc.RpcError) as raised:
            push(packed(b"\xc1 garbage", queue="payroll"), metadata=(("authorization", "Bearer t"),))
        assert raised.value.code() == C.PERMISSION_DENIED
        assert push(packed(_GOOD, queue="invoices"), metadata=(("authorization", "Bearer t"),)).count == 2
    assert direct.counts("invoices").ready == 2


def test_compressed_kwargs_are_never_decompressed_on_the_event_loop() -> None:
    """A few compressed bytes can expand to gigabytes: the inline check hands such a batch to the thread pool."""
    from sergeant.packed import Offload, check_batch

    small = pack_batch([DEFAULT.record("plain", {}), PackedTask(compressor=Compressor.BZIP2).record("bz", {"a": 1})])
    with pytest.raises(Offload):
        check_batch("q", small, want_results=False, max_batch=10, max_payload_bytes=1 << 20, default_max_attempts=5,
                    now=0.0, inline=True)
    checked = check_batch("q", small, want_results=False, max_batch=10, max_payload_bytes=1 << 20,
                          default_max_attempts=5, now=0.0)
    assert checked.ids == ["plain", "bz"]
