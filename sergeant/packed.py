"""The packed batch, format v1 (docs/protocol.md, "The packed batch"): what clients build and the gateway checks.

A batch is one msgpack array of task records; a record is an array

    [id, kwargs, priority, not_before_unix_s, max_attempts, timeout_s, idempotency_key, trace_id, serializer,
     compressor]

id and kwargs come first; the rest may be left off from the end, and nil or 0 means the default. priority,
serializer and compressor are the numbers of the proto enums. kwargs is the msgpack map itself when the serializer is
msgpack and there is no compression (so that one unpack of a batch checks every task, and a worker decodes a whole
lease in one call); otherwise it is bin, encoded as serializer and compressor say.

The gateway keeps a checked batch as bytes (``PackedBatch``): no Task object per task, unless a store has no layout
of its own for batches (``tasks_from_packed``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgpack  # type: ignore[import-untyped, unused-ignore]

from sergeant.encoder import decode_kwargs, encode, new_packer, new_unpacker
from sergeant.errors import EncodingError, InvalidArgument
from sergeant.store.base import PackedBatch, PackedRoute, PushResult
from sergeant.task import TASK_ID_PATTERN, Compressor, Priority, Serializer, Task

__all__ = ["FIELDS", "MAX_TEXT", "VERSION", "Offload", "PackedTask", "check_batch", "pack_batch", "pack_record",
           "push_as_tasks", "tasks_from_packed"]

VERSION = 1
FIELDS = 10  # fields of a v1 record
MAX_TEXT = 256  # characters of an idempotency_key or trace_id
MAX_ATTEMPTS = (1 << 32) - 1  # max_attempts is a uint32 in the proto
_QUOTE = 64  # characters of bad input an error quotes

# Proto enum numbers; 0 (unspecified) and nil mean the default.
PRIORITY = {None: Priority.NORMAL, 0: Priority.NORMAL, 1: Priority.NORMAL, 2: Priority.HIGH}
SERIALIZER = {None: Serializer.MSGPACK, 0: Serializer.MSGPACK, 1: Serializer.MSGPACK, 2: Serializer.PICKLE}
COMPRESSOR = {None: Compressor.NONE, 0: Compressor.NONE, 1: Compressor.NONE, 2: Compressor.ZLIB,
              3: Compressor.GZIP, 4: Compressor.BZIP2, 5: Compressor.LZMA, 6: Compressor.ZSTD, 7: Compressor.LZ4}
SERIALIZER_NUMBER = {Serializer.MSGPACK: 1, Serializer.PICKLE: 2}
COMPRESSOR_NUMBER = {c: n for n, c in COMPRESSOR.items() if n}
_OP = "Producer.Push"


# --- client side ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class PackedTask:
    """A producer's options for one record; the defaults are left off the wire."""

    priority: Priority = Priority.NORMAL
    not_before: float = 0.0  # unix s; 0: now
    max_attempts: int = 0  # 0: the gateway's default
    timeout_s: float = 0.0
    idempotency_key: str = ""
    trace_id: str = ""
    serializer: Serializer = Serializer.MSGPACK
    compressor: Compressor = Compressor.NONE

    def records(self, ids: Sequence[str], many: Sequence[Mapping[Any, Any]]) -> list[list[Any]]:
        """The records of tasks with these options, one per id and kwargs."""
        embed = self.serializer is Serializer.MSGPACK and self.compressor is Compressor.NONE
        tail: list[Any] = [int(self.priority) if self.priority is Priority.HIGH else 0, self.not_before,
                           self.max_attempts, self.timeout_s, self.idempotency_key or None, self.trace_id or None,
                           0 if embed else SERIALIZER_NUMBER[self.serializer],
                           0 if self.compressor is Compressor.NONE else COMPRESSOR_NUMBER[self.compressor]]
        while tail and not tail[-1]:
            tail.pop()
        if embed:
            return [[task_id, kwargs if type(kwargs) is dict else dict(kwargs), *tail]
                    for task_id, kwargs in zip(ids, many, strict=True)]
        return [[task_id, encode(dict(kwargs), self.serializer, self.compressor), *tail]
                for task_id, kwargs in zip(ids, many, strict=True)]

    def record(self, task_id: str, kwargs: Mapping[Any, Any]) -> list[Any]:
        return self.records([task_id], [kwargs])[0]


DEFAULT = PackedTask()


def pack_batch(records: Sequence[list[Any]]) -> bytes:
    """One batch (``PackedTasks.tasks``) of records made by ``PackedTask.record``, in one pack."""
    try:
        packed: bytes = new_packer().pack(records if isinstance(records, list) else list(records))
    except EncodingError as exc:
        for index, fields in enumerate(records):  # say which task: rare, so finding it may cost a second pass
            try:
                new_packer().pack(fields)
            except EncodingError:
                raise EncodingError(f"task {index} (id {fields[0]!r}): {exc.message}", op=exc.op) from exc
        raise
    return packed


def pack_record(fields: list[Any]) -> bytes:
    """One record alone, for a batch assembled from records packed one by one (``array_header`` + records)."""
    packed: bytes = new_packer().pack(fields)
    return packed


def array_header(n: int) -> bytes:
    header: bytes = msgpack.Packer().pack_array_header(n)
    return header


# --- gateway side --------------------------------------------------------------------------------------------


def _quote(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _QUOTE else text[:_QUOTE] + "..."


def _number(value: Any, what: str, index: int, queue: str) -> float:
    if value is None:
        return 0.0
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise InvalidArgument(f"record {index}: {what} must be a finite number >= 0, got {_quote(value)}", op=_OP,
                              queue=queue)
    return float(value)


def _text(value: Any, what: str, index: int, queue: str) -> str:
    if value is None:
        return ""
    if type(value) is not str or len(value) > MAX_TEXT:
        raise InvalidArgument(f"record {index}: {what} must be a string of at most {MAX_TEXT} characters, got "
                              f"{_quote(value)}", op=_OP, queue=queue)
    return value


def _enum(table: Mapping[Any, Any], value: Any, what: str, index: int, queue: str) -> Any:
    if type(value) is bool or value not in table:  # True == 1: a bool is no enum number
        raise InvalidArgument(f"record {index}: unknown {what} {_quote(value)}", op=_OP, queue=queue)
    return table[value]


@dataclasses.dataclass(frozen=True, slots=True)
class Record:
    """One record, read whole (``tasks_from_packed`` and the checks of a record with options)."""

    id: str
    kwargs: Any
    priority: Priority
    not_before: float
    max_attempts: int
    timeout_s: float
    idempotency_key: str
    trace_id: str
    serializer: Serializer
    compressor: Compressor


def read_record(fields: Any, index: int, queue: str, *, inline: bool = False) -> Record:
    """Check one decoded record; raise InvalidArgument naming the record and the field."""
    if type(fields) is not list or not 2 <= len(fields) <= FIELDS:
        raise InvalidArgument(f"record {index} must be an array of 2 to {FIELDS} fields [id, kwargs, ...], got "
                              f"{_quote(fields)}", op=_OP, queue=queue)
    task_id, kwargs = fields[0], fields[1]
    if type(task_id) is not str or TASK_ID_PATTERN.fullmatch(task_id) is None:
        raise InvalidArgument(f"record {index}: invalid task id {_quote(task_id)}: use 1-128 of [A-Za-z0-9._:-] "
                              "(clients make ids)", op=_OP, queue=queue)
    rest = fields[2:] + [None] * (FIELDS - len(fields))
    priority = _enum(PRIORITY, rest[0], "priority", index, queue)
    not_before = _number(rest[1], "not_before_unix_s", index, queue)
    max_attempts = rest[2]
    if max_attempts is None:
        max_attempts = 0
    elif type(max_attempts) is not int or not 0 <= max_attempts <= MAX_ATTEMPTS:
        raise InvalidArgument(f"record {index}: max_attempts must be an integer 0..{MAX_ATTEMPTS}, got "
                              f"{_quote(max_attempts)}", op=_OP, queue=queue, task_id=task_id)
    timeout_s = _number(rest[3], "timeout_s", index, queue)
    key = _text(rest[4], "idempotency_key", index, queue)
    trace_id = _text(rest[5], "trace_id", index, queue)
    serializer = _enum(SERIALIZER, rest[6], "serializer", index, queue)
    compressor = _enum(COMPRESSOR, rest[7], "compressor", index, queue)
    _check_kwargs(kwargs, serializer, compressor, index, queue, task_id, inline)
    return Record(task_id, kwargs, priority, not_before, max_attempts, timeout_s, key, trace_id, serializer,
                  compressor)


class Offload(Exception):
    """Raised by ``check_batch(..., inline=True)`` at a record that needs decompressing: check the batch again off
    the event loop."""


def _check_kwargs(kwargs: Any, serializer: Serializer, compressor: Compressor, index: int, queue: str, task_id: str,
                  inline: bool = False) -> None:
    embedded = serializer is Serializer.MSGPACK and compressor is Compressor.NONE
    if type(kwargs) is dict:
        if embedded:
            return
        raise InvalidArgument(f"record {index}: kwargs encoded with {serializer}/{compressor} must be bin, not a map",
                              op=_OP, queue=queue, task_id=task_id)
    if type(kwargs) is not bytes:
        raise InvalidArgument(f"record {index}: kwargs must be a msgpack map, got {_quote(kwargs)}", op=_OP,
                              queue=queue, task_id=task_id)
    if embedded:
        raise InvalidArgument(f"record {index}: msgpack kwargs without compression must be the map itself, not bin",
                              op=_OP, queue=queue, task_id=task_id)
    if not kwargs:
        raise InvalidArgument(f"record {index}: kwargs are empty", op=_OP, queue=queue, task_id=task_id)
    if serializer is Serializer.MSGPACK:  # compressed msgpack: decompress and check the map; pickle is never decoded
        if inline:
            raise Offload
        try:
            decode_kwargs(kwargs, serializer, compressor)
        except EncodingError as exc:
            raise InvalidArgument(f"record {index}: kwargs do not decode: {exc.message}", op=_OP, queue=queue,
                                  task_id=task_id) from None


def check_batch(queue: str, data: bytes, *, want_results: bool, max_batch: int, max_payload_bytes: int,
                default_max_attempts: int, now: float, inline: bool = False) -> PackedBatch:
    """Check every record of a received batch and split it into records, without building a Task per task.

    Refuses (InvalidArgument) the whole batch for one bad record, an empty batch, more than ``max_batch`` records,
    a record larger than ``max_payload_bytes`` and anything after the array. ``inline``: the caller is an event
    loop, which must never decompress (a few bytes can expand to gigabytes): raise ``Offload`` instead.

    The batch's routes name every record that is HIGH, has a not_before (the store compares it with its own clock)
    or an idempotency key; the others simply join the tail of the queue.
    """
    if not data:
        raise InvalidArgument("a push needs at least one task: the packed batch is empty", op=_OP, queue=queue)
    unpacker = new_unpacker(len(data))
    unpacker.feed(data)
    try:
        count = unpacker.read_array_header()
    except Exception as exc:  # OutOfData, or not an array header (StackError, UnexpectedTypeError...)
        raise InvalidArgument(f"the packed batch is not a msgpack array ({_reason(exc)}); it starts "
                              f"{_quote(data[:16])}", op=_OP, queue=queue) from None
    if count == 0:
        raise InvalidArgument("a push needs at least one task: the packed batch is an empty array", op=_OP,
                              queue=queue)
    if count > max_batch:
        raise InvalidArgument(f"{count} tasks in one push; the limit is {max_batch}: split the batch", op=_OP,
                              queue=queue)
    start = unpacker.tell()
    # Per-record size checks only when the whole batch could hold a record over the limit.
    size_limit = max_payload_bytes if len(data) - start > max_payload_bytes else 0
    ends: list[int] = []
    ids: list[str] = []
    routes: list[PackedRoute] = []
    previous = start
    valid_id = TASK_ID_PATTERN.fullmatch
    for index in range(count):
        try:
            fields = unpacker.unpack()
        except msgpack.OutOfData:
            raise InvalidArgument(f"the packed batch ends inside record {index} of {count}: it is truncated", op=_OP,
                                  queue=queue) from None
        except Exception as exc:  # FormatError, StackError, an unknown ext type, an unhashable set element...
            raise InvalidArgument(f"record {index} does not decode: {_reason(exc)}", op=_OP, queue=queue) from None
        end = unpacker.tell()
        if size_limit and end - previous > size_limit:
            raise InvalidArgument(f"record {index} is {end - previous} bytes, over the limit of {size_limit}",
                                  op=_OP, queue=queue)
        # The common record, [id, map], is checked inline; anything else goes through read_record.
        if type(fields) is list and len(fields) == 2 and type(fields[1]) is dict and type(fields[0]) is str \
                and valid_id(fields[0]) is not None:
            ids.append(fields[0])
        else:
            record = read_record(fields, index, queue, inline=inline)
            ids.append(record.id)
            if record.priority is Priority.HIGH or record.not_before or record.idempotency_key:
                routes.append(PackedRoute(index, record.priority, record.not_before, record.idempotency_key))
        ends.append(end - start)
        previous = end
    if unpacker.tell() != len(data):
        raise InvalidArgument(f"{len(data) - unpacker.tell()} bytes follow the {count} records of the packed batch",
                              op=_OP, queue=queue)
    return PackedBatch(queue, data[start:], ends, ids, now, default_max_attempts, want_results, routes)


def _reason(exc: BaseException) -> str:
    return _quote(str(exc) or type(exc).__name__)


_MAP_HEADERS = frozenset([*range(0x80, 0x90), 0xDE, 0xDF])
_FIXSTR, _STR8 = range(0xA0, 0xC0), 0xD9


def tasks_from_packed(batch: PackedBatch) -> list[Task]:
    """The batch's tasks as Task objects, for a store without a layout of its own for packed batches. Map kwargs
    keep their bytes as they are in the batch: msgpack kwargs are never decoded here."""
    data, queue, created_at, want = batch.records, batch.queue, batch.created_at, batch.want_results
    default_attempts = batch.default_max_attempts
    # Enum members looked up once: three lookups per task cost more than the rest of the loop (Python 3.11).
    msgpack_, none, normal = Serializer.MSGPACK, Compressor.NONE, Priority.NORMAL
    tasks: list[Task] = []
    start = 0
    for index, end in enumerate(batch.ends):
        # The common record, [id, map], read in place: a 2-array header, a str header (ids are ASCII, at most 128
        # characters: fixstr or str 8), the id, then the map's bytes up to the record's end.
        header = data[start + 1] if data[start] == 0x92 else -1
        at = start + 2 if header in _FIXSTR else start + 3 if header == _STR8 else -1
        size = header - 0xA0 if header in _FIXSTR else data[start + 2] if at > 0 else 0
        if at > 0 and data[at + size] in _MAP_HEADERS:
            # Field order of sergeant.task.Task, positional as in service/convert.py; the store checks the id.
            tasks.append(Task(data[at:at + size].decode(), queue, data[at + size:end], msgpack_, none, normal, 0.0, 0,
                              default_attempts, 0.0, "", "", created_at, "", 0.0, want))
        else:
            tasks.append(_task(data[start:end], index, batch))
        start = end
    return tasks


def _task(record: bytes, index: int, batch: PackedBatch) -> Task:
    """Any record as a Task, its map kwargs kept as bytes."""
    unpacker = new_unpacker(len(record))
    unpacker.feed(record)
    count = unpacker.read_array_header()
    task_id = unpacker.unpack()
    at = unpacker.tell()
    if record[at] in _MAP_HEADERS:
        unpacker.skip()
        kwargs: Any = record[at:unpacker.tell()]
        shown: Any = {}  # what read_record checks in place of the map's bytes
    else:
        kwargs = shown = unpacker.unpack()
    r = read_record([task_id, shown, *(unpacker.unpack() for _ in range(count - 2))], index, batch.queue)
    return Task(r.id, batch.queue, kwargs, r.serializer, r.compressor, r.priority, r.not_before, 0,
                r.max_attempts or batch.default_max_attempts, r.timeout_s, r.idempotency_key, r.trace_id,
                batch.created_at, "", 0.0, batch.want_results)


def push_as_tasks(push: Callable[..., Sequence[PushResult]], batch: PackedBatch, max_depth: int) -> list[tuple[int, str]]:
    """``Store.push_packed`` for a store without a layout of its own for batches: push the batch as Tasks, and
    answer (index, id pushed first) for each record that duplicated an earlier push."""
    results = push(tasks_from_packed(batch), max_depth=max_depth)
    return [(index, r.task_id) for index, r in enumerate(results) if not r.created]
