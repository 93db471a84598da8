"""Pieces: how a run of queued tasks rests in a store that keeps batches as batches (Redis).

A piece is one list element.  It holds the task records of one push (or one
retry) back to back, in the packed format v1 of ``docs/protocol.md``, behind a
fixed header and a table of record lengths that a Lua script can read with
``struct.unpack`` without decoding a record:

    header  >B I4 I4 d B I4 I4 I4 I4
            version (1), n (records in the piece), attempt (shared by its records),
            created_at (unix s), want_results (0/1), default max_attempts,
            first (records before it were already leased), first_byte (where record
            ``first`` starts in the records), size (bytes of all records)
    lengths n x >I4
    records n msgpack arrays: [id, kwargs, priority, not_before, max_attempts,
            timeout_s, idempotency_key, trace_id, serializer, compressor]

A lease takes pieces whole, or splits the head piece: the part it takes becomes
a piece of its own, and the part left behind only moves ``first`` on.  A lease
record is the leased pieces back to back; ``decode`` turns it into tasks with
one ``msgpack.unpackb`` per piece.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Iterator, Sequence
from typing import Any

import msgpack

from sergeant.encoder import decode as decode_value
from sergeant.encoder import encode as encode_value
from sergeant.errors import EncodingError
from sergeant.task import Compressor, Priority, Serializer, Task

VERSION = 1
HEADER = struct.Struct(">BIIdBIIII")
_LENGTH = struct.Struct(">I")
_packer = msgpack.Packer(use_bin_type=True)

# Proto enum numbers, as the packed records carry them.
SERIALIZERS = {0: Serializer.MSGPACK, 1: Serializer.MSGPACK, 2: Serializer.PICKLE}
COMPRESSORS = {0: Compressor.NONE, 1: Compressor.NONE, 2: Compressor.ZLIB, 3: Compressor.GZIP,
               4: Compressor.BZIP2, 5: Compressor.LZMA, 6: Compressor.ZSTD, 7: Compressor.LZ4}
PRIORITIES = {0: Priority.NORMAL, 1: Priority.NORMAL, 2: Priority.HIGH}
_SERIALIZER_NUMBER = {Serializer.MSGPACK: 1, Serializer.PICKLE: 2}
_COMPRESSOR_NUMBER = {v: k for k, v in COMPRESSORS.items() if k}


@dataclasses.dataclass(frozen=True, slots=True)
class Header:
    count: int
    attempt: int
    created_at: float
    want_results: bool
    default_max_attempts: int
    first: int = 0
    first_byte: int = 0
    size: int = 0


def build(header: Header, lengths: Sequence[int], records: bytes) -> bytes:
    """One piece from its records (``records`` holds exactly the records that ``lengths`` measure)."""
    return b"".join((
        HEADER.pack(VERSION, len(lengths), header.attempt, header.created_at, header.want_results,
                    header.default_max_attempts, 0, 0, len(records)),
        struct.pack(f">{len(lengths)}I", *lengths),
        records,
    ))


def record_of(task: Task) -> bytes:
    """A task's record, trailing defaults left off. msgpack kwargs without compression are embedded as the map
    itself, so that one unpackb decodes a whole lease; other kwargs travel as bin."""
    if not isinstance(task.kwargs, bytes):  # already decoded by a lease
        kwargs = encode_value(task.kwargs, Serializer.MSGPACK, Compressor.NONE)
    elif task.serializer is Serializer.MSGPACK and task.compressor is Compressor.NONE:
        kwargs = task.kwargs
    else:
        kwargs = _packer.pack(task.kwargs)
    # Whole floats travel as ints: msgpack spends 9 bytes on any float, 1 on a small int.
    rest = [int(task.priority), _number(task.not_before), task.max_attempts, _number(task.timeout_s),
            task.idempotency_key, task.trace_id, _SERIALIZER_NUMBER[task.serializer],
            _COMPRESSOR_NUMBER[task.compressor]]
    while rest and rest[-1] in _DEFAULT_TAIL[len(rest) - 1]:
        rest.pop()
    return b"".join((_packer.pack_array_header(2 + len(rest)), _packer.pack(task.id), kwargs,
                     *(_packer.pack(v) for v in rest)))


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


# The values that mean "the default" in each field after kwargs, as a record may leave them off.
_DEFAULT_TAIL: tuple[tuple[object, ...], ...] = ((0, 1), (0,), (0,), (0,), ("",), ("",), (0, 1), (0, 1))
_PADDING = [0, 0, 0, 0, "", "", 0, 0]
_MSGPACK, _NONE, _NORMAL = Serializer.MSGPACK, Compressor.NONE, Priority.NORMAL


def of_tasks(tasks: Sequence[Task], *, attempt: int, want_results: bool, default_max_attempts: int) -> bytes:
    """A piece of tasks that share an attempt count (a retry, a replay, a repeated-form push)."""
    records = [record_of(t) for t in tasks]
    created_at = tasks[0].created_at if tasks else 0.0
    return build(Header(len(records), attempt, created_at, want_results, default_max_attempts),
                 [len(r) for r in records], b"".join(records))


def header_of(piece: bytes | memoryview, at: int = 0) -> Header:
    version, count, attempt, created_at, want, default_max, first, first_byte, size = HEADER.unpack_from(piece, at)
    if version != VERSION:
        raise EncodingError(f"piece format {version} is not known to this version of Sergeant (it knows {VERSION})",
                            op="pieces.decode")
    return Header(count, attempt, created_at, bool(want), default_max, first, first_byte, size)


def split(blob: bytes) -> Iterator[tuple[Header, memoryview, memoryview]]:
    """Each piece of a lease record: its header, its lengths table and its records (whole, from record 0)."""
    view = memoryview(blob)
    at = 0
    while at < len(view):
        header = header_of(view, at)
        lengths_at = at + HEADER.size
        records_at = lengths_at + 4 * header.count
        end = records_at + header.size
        yield header, view[lengths_at:records_at], view[records_at:end]
        at = end


def _unpack(records: bytes | memoryview, count: int) -> list[Any]:
    decoded: list[Any] = decode_value(_packer.pack_array_header(count) + bytes(records), Serializer.MSGPACK,
                                Compressor.NONE)
    return decoded


def decode(blob: bytes, queue: str, lease_id: str = "", deadline: float = 0.0) -> list[Task]:
    """Every task a lease record (or a single piece) holds, from each piece's ``first`` record on."""
    tasks: list[Task] = []
    append = tasks.append
    for header, lengths, records in split(blob):
        attempt, created, want, default_max = header.attempt, header.created_at, header.want_results, \
            header.default_max_attempts
        try:
            rows = _unpack(records[header.first_byte:], header.count - header.first)
        except EncodingError:  # one bad record must not poison the others: decode them one by one
            rows = _one_by_one(lengths, records, header)
        for position, f in enumerate(rows, len(tasks)):
            if len(f) == 2:  # [id, kwargs]: the common record, every option left at its default
                append(Task(f[0], queue, f[1], _MSGPACK, _NONE, _NORMAL, 0.0, attempt, default_max, 0.0, "", "",
                            created, lease_id, deadline, want, position))
                continue
            if len(f) < 10:
                f = f + _PADDING[len(f) - 2:]
            task_id, kwargs, priority, not_before, max_attempts, timeout_s, key, trace, serializer, compressor = f
            append(Task(task_id, queue, kwargs, SERIALIZERS[serializer or 0], COMPRESSORS[compressor or 0],
                        PRIORITIES[priority or 0], not_before or 0.0, attempt, max_attempts or default_max,
                        timeout_s or 0.0, key or "", trace or "", created, lease_id, deadline, want, position))
    return tasks


def _one_by_one(lengths: memoryview, records: memoryview, header: Header) -> list[Any]:
    """Each record decoded alone; one that does not decode becomes a task whose kwargs cannot decode either, so
    that its worker settles it DEAD with the reason, under its own id when that much can be read."""
    rows: list[Any] = []
    at = header.first_byte
    for n, (length,) in enumerate(_LENGTH.iter_unpack(lengths[4 * header.first:]), header.first):
        record = bytes(records[at:at + length])
        at += length
        try:
            [row] = _unpack(record, 1)
            if not (isinstance(row, list) and len(row) >= 2 and isinstance(row[0], str)):
                raise EncodingError(f"a task record must be an array [id, kwargs, ...], got {type(row).__name__}",
                                    op="pieces.decode")
            rows.append(row)
        except EncodingError:
            try:
                task_id = record_id(record)
            except Exception:  # not even the id reads: name it by its place
                task_id = f"undecodable-{n}"
            rows.append([task_id, b"\xc1" + record[:63], 0, 0, 0, 0, "", "", 1, 1])  # 0xc1: msgpack never uses it
    return rows


def raw_records(blob: bytes) -> list[tuple[Header, bytes]]:
    """Each task of a lease record as (its piece's header, its record bytes): for rebuilding pieces on a retry."""
    out: list[tuple[Header, bytes]] = []
    for header, lengths, records in split(blob):
        at = header.first_byte
        for (length,) in _LENGTH.iter_unpack(lengths[4 * header.first:]):
            out.append((header, bytes(records[at:at + length])))
            at += length
    return out


def rebuild(records: Sequence[tuple[Header, bytes]], *, attempt_delta: int) -> list[bytes]:
    """Pieces holding these records in order, each run of one original piece keeping its header but its attempt
    (raised by ``attempt_delta``)."""
    pieces: list[bytes] = []
    run: list[bytes] = []
    current: Header | None = None
    for header, record in records:
        if current is not None and header is not current:
            pieces.append(_rebuilt(current, run, attempt_delta))
            run = []
        current = header
        run.append(record)
    if current is not None and run:
        pieces.append(_rebuilt(current, run, attempt_delta))
    return pieces


def _rebuilt(header: Header, records: list[bytes], attempt_delta: int) -> bytes:
    return build(dataclasses.replace(header, attempt=header.attempt + attempt_delta),
                 [len(r) for r in records], b"".join(records))


def record_id(record: bytes) -> str:
    """The id of one record (the rare paths: fail, release, cancel), read without decoding its kwargs."""
    unpacker = msgpack.Unpacker(raw=False)
    unpacker.feed(record)
    unpacker.read_array_header()
    task_id: str = unpacker.unpack()
    return task_id
