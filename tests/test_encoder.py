from __future__ import annotations

import collections
import datetime
import itertools
import threading
from typing import Any

import msgpack  # type: ignore[import-untyped, unused-ignore]
import pytest

from sergeant.encoder import EXT_FROZENSET, EXT_SET, EXT_TUPLE, Encoder, decode, decode_kwargs, encode
from sergeant.errors import EncodingError
from sergeant.task import Compressor, Priority, Serializer, Task

PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))
AWARE = datetime.datetime(2031, 5, 17, 9, 30, 15, 123456, tzinfo=PLUS_TWO)

PAYLOAD: dict[Any, Any] = {
    1: "int key",
    -7: [1, [2, [3, []]]],
    "bytes": b"\x00\xff binary",
    "unicode": "héllo wörld ✓ 日本 🚀",
    "none": None,
    "flags": [True, False],
    "floats": [0.0, -1.5, 3.141592653589793, 1e300],
    "int_edges": [-(2**63), 2**64 - 1, 0, -1],
    "when": AWARE,
    "tuple": (1, "two", (3.0, b"four")),
    "set": {1, 2, 3},
    "nested": {"frozen": frozenset({"a", "b"}), "deep": [{"x": (None,)}]},
}

COMBINATIONS = list(itertools.product(Serializer, Compressor))


def msgpack_round_trip(value: Any) -> Any:
    return decode(encode(value, Serializer.MSGPACK, Compressor.NONE), Serializer.MSGPACK, Compressor.NONE)


@pytest.mark.parametrize(("serializer", "compressor"), COMBINATIONS, ids=lambda v: str(v))
def test_round_trip_every_combination(serializer: Serializer, compressor: Compressor) -> None:
    data = encode(PAYLOAD, serializer, compressor)
    assert isinstance(data, bytes)
    decoded = decode(data, serializer, compressor)
    assert decoded == PAYLOAD
    # Equality is not enough: a set equals a frozenset, so check the types the ext codes carry.
    assert type(decoded["tuple"]) is tuple
    assert type(decoded["set"]) is set
    assert type(decoded["nested"]["frozen"]) is frozenset
    assert type(decoded[-7]) is list
    assert decoded["when"].utcoffset() is not None
    assert Encoder(serializer, compressor).decode(Encoder(serializer, compressor).encode(PAYLOAD)) == PAYLOAD


@pytest.mark.parametrize("compressor", list(Compressor), ids=str)
def test_large_payload_through_each_compressor(compressor: Compressor) -> None:
    payload = {"blob": bytes(range(256)) * 64, "text": "sergeant " * 3641}  # 16 KiB + ~32 KiB
    assert len(payload["blob"]) + len(payload["text"]) >= 32 * 1024
    data = encode(payload, Serializer.MSGPACK, compressor)
    if compressor is not Compressor.NONE:
        assert len(data) < 32 * 1024  # repetitive input: every real compressor must shrink it
    assert decode(data, Serializer.MSGPACK, compressor) == payload


def test_datetime_is_the_standard_msgpack_timestamp() -> None:
    data = encode(AWARE, Serializer.MSGPACK, Compressor.NONE)
    # Read back with no ext hook and no datetime conversion: what a Go/Node/Java client sees.
    raw = msgpack.unpackb(data, timestamp=0)
    assert isinstance(raw, msgpack.Timestamp)
    assert raw.to_datetime() == AWARE
    assert data[0] == 0xD7 and data[1] == 0xFF  # fixext 8, type -1: timestamp64
    decoded = decode(data, Serializer.MSGPACK, Compressor.NONE)
    assert decoded == AWARE and decoded.utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=datetime.UTC),  # before the epoch
        datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    ],
    ids=["pre-epoch", "min", "max"],
)
def test_datetime_edges(moment: datetime.datetime) -> None:
    assert msgpack_round_trip(moment) == moment


def test_datetime_subclass_goes_through_the_hook() -> None:
    class Moment(datetime.datetime):
        pass

    moment = Moment(1969, 12, 31, 23, 59, 59, 500000, tzinfo=datetime.UTC)
    data = encode(moment, Serializer.MSGPACK, Compressor.NONE)
    assert isinstance(msgpack.unpackb(data, timestamp=0), msgpack.Timestamp)
    assert decode(data, Serializer.MSGPACK, Compressor.NONE) == moment


@pytest.mark.parametrize(
    ("value", "code"),
    [((1, 2), EXT_TUPLE), ({1, 2}, EXT_SET), (frozenset({1, 2}), EXT_FROZENSET)],
    ids=["tuple", "set", "frozenset"],
)
def test_containers_use_documented_ext_codes(value: Any, code: int) -> None:
    raw = msgpack.unpackb(encode(value, Serializer.MSGPACK, Compressor.NONE))
    assert isinstance(raw, msgpack.ExtType)
    assert raw.code == code
    assert sorted(msgpack.unpackb(raw.data)) == [1, 2]


def test_lists_and_bytes_stay_native() -> None:
    data = encode({"l": [1, 2], "b": b"xy"}, Serializer.MSGPACK, Compressor.NONE)
    assert msgpack.unpackb(data) == {"l": [1, 2], "b": b"xy"}  # plain msgpack reader, no hooks


def test_subclasses_encode_as_their_base_type() -> None:
    point = collections.namedtuple("point", "x y")
    value = {
        "priority": Priority.HIGH,
        "serializer": Serializer.PICKLE,
        "ordered": collections.OrderedDict(a=1),
        "point": point(1, 2),
        "buffer": bytearray(b"q"),
    }
    decoded = msgpack_round_trip(value)
    assert decoded == {
        "priority": 2, "serializer": "pickle", "ordered": {"a": 1}, "point": (1, 2), "buffer": b"q"
    }
    assert type(decoded["priority"]) is int and type(decoded["serializer"]) is str


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(EncodingError, match=r"naive datetime.*attach a timezone"):
        encode({"at": datetime.datetime(2031, 1, 1)}, Serializer.MSGPACK, Compressor.NONE)


@pytest.mark.parametrize("value", [Exception("boom"), object(), datetime.date(2031, 1, 1)], ids=repr)
def test_unsupported_type_names_the_type(value: Any) -> None:
    with pytest.raises(EncodingError, match=f"cannot encode {type(value).__qualname__}"):
        encode({"nested": [value]}, Serializer.MSGPACK, Compressor.NONE)


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, "\udc80"], ids=["too-big", "too-small", "surrogate"])
def test_unencodable_values_raise_encoding_error(value: Any) -> None:
    with pytest.raises(EncodingError):
        encode(value, Serializer.MSGPACK, Compressor.NONE)


def test_packer_is_reusable_after_a_failure() -> None:
    with pytest.raises(EncodingError):
        encode([1, 2, object()], Serializer.MSGPACK, Compressor.NONE)
    assert encode([3], Serializer.MSGPACK, Compressor.NONE) == b"\x91\x03"


def test_pickle_refuses_what_it_cannot_pickle() -> None:
    with pytest.raises(EncodingError, match="cannot encode"):
        encode(lambda: None, Serializer.PICKLE, Compressor.NONE)


@pytest.mark.parametrize(("serializer", "compressor"), COMBINATIONS, ids=lambda v: str(v))
def test_garbage_bytes_raise_encoding_error(serializer: Serializer, compressor: Compressor) -> None:
    with pytest.raises(EncodingError, match="could not"):
        decode(b"\xc1 this is not a payload \xc1", serializer, compressor)


@pytest.mark.parametrize(("serializer", "compressor"), COMBINATIONS, ids=lambda v: str(v))
def test_truncated_data_raises_encoding_error(serializer: Serializer, compressor: Compressor) -> None:
    data = encode(PAYLOAD, serializer, compressor)
    with pytest.raises(EncodingError):
        decode(data[: len(data) // 2], serializer, compressor)


def test_truncated_msgpack_names_the_reason() -> None:
    data = encode({"key": "a long enough value"}, Serializer.MSGPACK, Compressor.NONE)
    with pytest.raises(EncodingError, match=r"could not decode msgpack data: .+"):
        decode(data[:-3], Serializer.MSGPACK, Compressor.NONE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (msgpack.packb(msgpack.ExtType(42, b"")), "unknown msgpack extension type 42"),
        (msgpack.packb(msgpack.ExtType(EXT_TUPLE, msgpack.packb(5))), "must hold an array"),
        (b"\x81\x90\x01", "unhashable"),  # {[]: 1}: a list cannot be a key
        (b"\xa2\xff\xfe", "could not decode"),  # str that is not UTF-8
        (b"\x01\x02", "could not decode"),  # trailing data after a complete value
    ],
    ids=["unknown-ext", "bad-ext-payload", "list-key", "bad-utf8", "extra-data"],
)
def test_malformed_msgpack(data: bytes, message: str) -> None:
    with pytest.raises(EncodingError, match=message):
        decode(data, Serializer.MSGPACK, Compressor.NONE)


def test_kwargs_must_be_a_map() -> None:
    data = encode([1, 2, 3], Serializer.MSGPACK, Compressor.NONE)
    with pytest.raises(EncodingError, match="kwargs must decode to a map, got list"):
        decode_kwargs(data, Serializer.MSGPACK, Compressor.NONE)
    kwargs = {1: "a", "b": (2,)}
    data = encode(kwargs, Serializer.PICKLE, Compressor.GZIP)
    assert decode_kwargs(data, Serializer.PICKLE, Compressor.GZIP) == kwargs


def test_unknown_serializer_or_compressor() -> None:
    with pytest.raises(EncodingError, match="unknown serializer 'yaml'"):
        encode(1, "yaml", Compressor.NONE)  # type: ignore[arg-type]
    with pytest.raises(EncodingError, match="unknown serializer 'yaml'"):
        decode(b"\x01", "yaml", Compressor.NONE)  # type: ignore[arg-type]
    with pytest.raises(EncodingError, match="unknown compressor 'brotli'"):
        decode(b"\x01", Serializer.MSGPACK, "brotli")  # type: ignore[arg-type]


def test_decoding_uses_the_recorded_serializer_not_the_consumers() -> None:
    producer = Encoder(Serializer.PICKLE, Compressor.ZSTD)
    kwargs = {"user": 7, "tags": {"a"}}
    task = Task(
        id="t1", queue="q", kwargs=producer.encode(kwargs),
        serializer=producer.serializer, compressor=producer.compressor,
    )
    consumer = Encoder()  # msgpack / none: its own settings cannot read this task
    assert isinstance(task.kwargs, bytes)
    with pytest.raises(EncodingError):
        consumer.decode(task.kwargs)
    assert decode_kwargs(task.kwargs, task.serializer, task.compressor) == kwargs
    # Plain strings (as an envelope from another language might carry) work as well.
    assert decode(task.kwargs, "pickle", "zstd") == kwargs  # type: ignore[arg-type]


def test_encoder_defaults_and_delegation() -> None:
    encoder = Encoder()
    assert (encoder.serializer, encoder.compressor) == (Serializer.MSGPACK, Compressor.NONE)
    assert encoder.encode({"a": 1}) == b"\x81\xa1a\x01"
    assert encoder.decode(b"\x81\xa1a\x01") == {"a": 1}
    with pytest.raises(AttributeError):
        encoder.serializer = Serializer.PICKLE  # type: ignore[misc]


def test_zstd_reads_frames_without_content_size_and_several_frames() -> None:
    zstandard = pytest.importorskip("zstandard")
    data = encode(PAYLOAD, Serializer.MSGPACK, Compressor.NONE)
    streamed = zstandard.ZstdCompressor(write_content_size=False).compress(data)
    assert decode(streamed, Serializer.MSGPACK, Compressor.ZSTD) == PAYLOAD
    half = len(data) // 2
    compressor = zstandard.ZstdCompressor()
    two_frames = compressor.compress(data[:half]) + compressor.compress(data[half:])
    assert decode(two_frames, Serializer.MSGPACK, Compressor.ZSTD) == PAYLOAD


def test_concurrent_encoding_does_not_interleave() -> None:
    # Tuples and sets run the packer's Python hook, where threads can switch mid-pack.
    errors: list[Any] = []

    def work(n: int) -> None:
        for i in range(2000):
            value = {"n": n, "i": i, "t": (n, i), "s": {n}}
            if msgpack_round_trip(value) != value:
                errors.append(value)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
