"""How a pushed batch becomes pieces for the Redis store's ``push.lua``.

Records rest in runs: consecutive records bound for the same list (HIGH or
NORMAL) with the same result wish form one piece of at most ``MAX_PIECE_RECORDS``
records and about ``MAX_PIECE_BYTES``; a delayed record is a piece of its own in
its delayed zset.  A packed batch that routes nothing is cut straight from its
bytes, without an object per task.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Collection, Sequence

from sergeant.store import pieces
from sergeant.store.base import PackedBatch
from sergeant.task import Priority

MAX_PIECE_RECORDS = 256  # a split copies the rest of its piece: keep pieces small enough for small leases
MAX_PIECE_BYTES = 64 << 10


_ENTRY = struct.Struct(">Id")  # an index entry: state (1 byte), default max_attempts, created_at, then the record


def index_entry(state: bytes, default_max_attempts: int, created_at: float, record: bytes) -> bytes:
    """The index's value for a task that wants a result: Lua reads and rewrites only the state byte."""
    return state + _ENTRY.pack(default_max_attempts, created_at) + record


def read_entry(entry: bytes) -> tuple[bytes, pieces.Header, bytes]:
    """The state byte, a header for the record (its attempt unknown: 0), and the record."""
    default_max, created_at = _ENTRY.unpack_from(entry, 1)
    return entry[:1], pieces.Header(1, 0, created_at, True, default_max), entry[1 + _ENTRY.size:]


@dataclasses.dataclass(frozen=True, slots=True)
class Route:
    priority: Priority
    not_before: float
    idempotency_key: str
    want_result: bool


_PLAIN = Route(Priority.NORMAL, 0.0, "", False)


@dataclasses.dataclass
class PushPlan:
    queue: str
    count: int
    pieces: list[tuple[int, float, int, bytes]]  # destination (KEYS index 1-4), not-before, records, piece
    wants: list[tuple[int, str, bytes]]  # batch index, id, index entry (state "p"/"s" + record) of a wanting record
    idempotency: list[tuple[int, str, str]]  # batch index, id, idempotency key
    duplicates: dict[int, str]  # batch index -> id pushed first, found within the batch itself
    rebuild: tuple[Sequence[bytes], Sequence[str], Sequence[Route], float, Sequence[float], int] | None = None
    skipped: frozenset[int] = frozenset()  # batch indexes left out (duplicates of live tasks found so far)

    @classmethod
    def of_records(cls, queue: str, records: Sequence[bytes], ids: Sequence[str], routes: Sequence[Route],
                   now: float, created_at: Sequence[float], default_max_attempts: int,
                   skip: Collection[int] = ()) -> PushPlan:
        plan = cls(queue, 0, [], [], [], {}, (records, ids, routes, now, created_at, default_max_attempts),
                   frozenset(skip))
        first_with_id: dict[str, int] = {}
        first_with_key: dict[str, str] = {}
        run: list[int] = []
        run_key: tuple[int, bool] | None = None
        run_bytes = 0
        for n, record in enumerate(records):
            if n in skip:
                continue
            route = routes[n]
            if route.idempotency_key:
                earlier = first_with_key.get(route.idempotency_key)
                if earlier is not None:
                    plan.duplicates[n] = earlier
                    continue
                first_with_key[route.idempotency_key] = ids[n]
                plan.idempotency.append((n, ids[n], route.idempotency_key))
            if route.want_result:
                if ids[n] in first_with_id:
                    plan.duplicates[n] = ids[n]
                    continue
                first_with_id[ids[n]] = n
            plan.count += 1
            delayed = route.not_before > now
            high = route.priority is Priority.HIGH
            if route.want_result:
                plan.wants.append((n, ids[n], index_entry(b"s" if delayed else b"p", default_max_attempts,
                                                          created_at[n], record)))
            if delayed:
                plan._add([n], 3 if high else 4, route.not_before)
                continue
            key = (1 if high else 2, route.want_result)  # a piece keeps its first task's created_at
            if run and (key != run_key or len(run) >= MAX_PIECE_RECORDS or run_bytes >= MAX_PIECE_BYTES):
                plan._add(run, run_key[0] if run_key else 2, 0.0)
                run, run_bytes = [], 0
            run.append(n)
            run_key = key
            run_bytes += len(record)
        if run:
            plan._add(run, run_key[0] if run_key else 2, 0.0)
        return plan

    def _add(self, numbers: list[int], destination: int, not_before: float) -> None:
        assert self.rebuild is not None
        records, _, routes, _, created_at, default_max = self.rebuild
        chosen = [records[n] for n in numbers]
        header = pieces.Header(len(chosen), 0, created_at[numbers[0]], routes[numbers[0]].want_result, default_max)
        self.pieces.append((destination, not_before, len(chosen),
                            pieces.build(header, [len(r) for r in chosen], b"".join(chosen))))

    @classmethod
    def of_packed(cls, batch: PackedBatch, now: float) -> PushPlan:
        ends = batch.ends
        if batch.routes or batch.want_results:
            starts = (0, *ends[:-1])
            records = [batch.records[a:b] for a, b in zip(starts, ends, strict=True)]
            routes = [dataclasses.replace(_PLAIN, want_result=batch.want_results)] * len(records)
            for r in batch.routes:
                routes[r.index] = Route(r.priority, r.not_before, r.idempotency_key, batch.want_results)
            return cls.of_records(batch.queue, records, batch.ids, routes, now, [batch.created_at] * len(records),
                                  batch.default_max_attempts)
        # Nothing routed: pieces cut straight from the batch's bytes.
        plan = cls(batch.queue, len(ends), [], [], [], {})
        start = 0
        for first in range(0, len(ends), MAX_PIECE_RECORDS):
            last = min(first + MAX_PIECE_RECORDS, len(ends))
            lengths = [b - a for a, b in zip((start, *ends[first:last - 1]), ends[first:last], strict=True)]
            header = pieces.Header(last - first, 0, batch.created_at, False, batch.default_max_attempts)
            plan.pieces.append((2, 0.0, last - first, pieces.build(header, lengths, batch.records[start:ends[last - 1]])))
            start = ends[last - 1]
        return plan

    @property
    def ids(self) -> Sequence[str]:
        assert self.rebuild is not None
        return self.rebuild[1]

    def without(self, positions: Collection[int]) -> PushPlan:
        """The same batch with these records left out (they duplicated live tasks), and those left out before: a
        concurrent push may make other records duplicates on the next try, which must not bring back the first."""
        assert self.rebuild is not None
        records, ids, routes, now, created_at, default_max = self.rebuild
        plan = PushPlan.of_records(self.queue, records, ids, routes, now, created_at, default_max,
                                   skip={*positions, *self.skipped, *self.duplicates})
        plan.duplicates.update(self.duplicates)
        return plan
