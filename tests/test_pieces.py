"""The stored form of batches: pieces, their headers and their records."""

from __future__ import annotations

import msgpack
import pytest

from sergeant.encoder import decode_kwargs
from sergeant.errors import EncodingError
from sergeant.store import pieces
from sergeant.task import Priority, Task


def _piece(records: list[bytes], attempt: int = 0) -> bytes:
    return pieces.build(pieces.Header(len(records), attempt, 12.5, True, 3), [len(r) for r in records],
                        b"".join(records))


def test_records_decode_with_their_defaults_and_positions() -> None:
    short = msgpack.packb(["a", {"x": 1}])
    full = pieces.record_of(Task("b", "q", msgpack.packb({"y": 2}), priority=Priority.HIGH, max_attempts=7,
                                 trace_id="t"))
    tasks = pieces.decode(_piece([short, full], attempt=2), "q", "lease-1", 99.0)
    a, b = tasks
    assert (a.id, a.kwargs, a.attempt, a.max_attempts, a.created_at, a.want_result) == ("a", {"x": 1}, 2, 3, 12.5, True)
    assert (b.id, b.kwargs, b.priority, b.max_attempts, b.trace_id) == ("b", {"y": 2}, Priority.HIGH, 7, "t")
    assert [(t.lease_id, t.lease_deadline, t.lease_position) for t in tasks] == [("lease-1", 99.0, 0),
                                                                               ("lease-1", 99.0, 1)]


def test_a_malformed_record_does_not_poison_its_piece() -> None:
    good = [msgpack.packb([f"t{i}", {"i": i}]) for i in range(3)]
    not_msgpack = b"\xc1"  # a byte msgpack never uses
    not_a_task = msgpack.packb({"id": "x"})
    tasks = pieces.decode(_piece([good[0], not_msgpack, good[1], not_a_task, good[2]]), "q")
    assert [t.id for t in tasks] == ["t0", "undecodable-1", "t1", "undecodable-3", "t2"]
    assert [t.kwargs for t in tasks if t.id.startswith("t")] == [{"i": 0}, {"i": 1}, {"i": 2}]
    for bad in (tasks[1], tasks[3]):
        assert isinstance(bad.kwargs, bytes)
        with pytest.raises(EncodingError):
            decode_kwargs(bad.kwargs, bad.serializer, bad.compressor)


def test_a_split_piece_keeps_only_the_records_not_yet_taken() -> None:
    records = [msgpack.packb([f"t{i}", {"i": i}]) for i in range(4)]
    piece = bytearray(_piece(records))
    # What lease.lua does to the piece it leaves behind: move "first" and "first_byte" on by two records.
    header = pieces.header_of(bytes(piece))
    skipped = len(records[0]) + len(records[1])
    piece[:pieces.HEADER.size] = pieces.HEADER.pack(1, header.count, 0, 12.5, 1, 3, 2, skipped, header.size)
    assert [t.id for t in pieces.decode(bytes(piece), "q")] == ["t2", "t3"]
    assert [r for _, r in pieces.raw_records(bytes(piece))] == records[2:]
