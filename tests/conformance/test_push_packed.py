"""Store.push_packed: a checked packed batch is stored as push stores Tasks, on every backend."""

from __future__ import annotations

import dataclasses
from typing import Any

import msgpack
import pytest

from sergeant.errors import InvalidArgument, QueueFull
from sergeant.packed import DEFAULT, PackedTask, check_batch, pack_batch
from sergeant.store.base import PackedBatch, Store
from sergeant.task import Priority, TaskState, new_task_id
from tests.conformance.helpers import index_of
from tests.conftest import FakeClock


def batch(*recs: list[Any], queue: str = "q", now: float = 0.0, want_results: bool = False) -> PackedBatch:
    """A batch as the gateway hands it to a store: packed by the client's code, checked by the gateway's."""
    return check_batch(queue, pack_batch(list(recs)), want_results=want_results, max_batch=10_000,
                       max_payload_bytes=1 << 20, default_max_attempts=5, now=now)


def plain(n: int, start: int = 0, options: PackedTask = DEFAULT) -> list[list[Any]]:
    return [options.record(new_task_id(), {"i": i}) for i in range(start, start + n)]


def test_a_packed_batch_leases_back_in_order_with_its_fields(store: Store, clock: FakeClock) -> None:
    recs = plain(300)
    pushed = batch(*recs, now=clock.now, want_results=True)
    assert pushed.routes == []
    assert store.push_packed(pushed) == []
    leased = store.lease("q", 1000, 60, owner="w")
    assert [t.id for t in leased] == [r[0] for r in recs]
    assert [index_of(t) for t in leased] == list(range(300))
    assert all(t.max_attempts == 5 and t.created_at == clock.now for t in leased)


def test_high_records_overtake_and_delayed_ones_wait(store: Store, clock: FakeClock) -> None:
    high, later = PackedTask(priority=Priority.HIGH), PackedTask(not_before=clock.now + 30)
    pushed = batch(*plain(2), high.record("h-1", {"i": 100}), later.record("d-1", {"i": 200}),
                   *plain(1, start=2), high.record("h-2", {"i": 101}), now=clock.now, want_results=True)
    assert [(r.index, r.priority) for r in pushed.routes] == [(2, Priority.HIGH), (3, Priority.NORMAL), (5, Priority.HIGH)]
    assert store.push_packed(pushed) == []
    assert [index_of(t) for t in store.lease("q", 10, 60, owner="w")] == [100, 101, 0, 1, 2]
    assert store.get("q", "d-1").state == TaskState.SCHEDULED
    clock.advance(31)
    assert [t.id for t in store.lease("q", 10, 60, owner="w")] == ["d-1"]


def test_duplicates_answer_the_index_and_the_first_id(store: Store, clock: FakeClock) -> None:
    keyed = PackedTask(idempotency_key="order-7")
    first = batch(keyed.record("k-1", {"i": 0}), *plain(1, start=1), keyed.record("k-2", {"i": 2}), now=clock.now,
                  want_results=True)
    assert store.push_packed(first) == [(2, "k-1")]
    # The same key again, and the id of a live task that wants a result
    again = batch(keyed.record("k-3", {"i": 3}), ["k-1", {"i": 4}], *plain(1, start=5), now=clock.now,
                  want_results=True)
    assert store.push_packed(again) == [(0, "k-1"), (1, "k-1")]
    assert [index_of(t) for t in store.lease("q", 10, 60, owner="w")] == [0, 1, 5]


def test_a_retried_batch_of_tasks_that_want_results_stores_nothing_twice(store: Store, clock: FakeClock) -> None:
    recs = plain(20)
    assert store.push_packed(batch(*recs, now=clock.now, want_results=True)) == []
    assert store.push_packed(batch(*recs, now=clock.now, want_results=True)) == [(i, r[0]) for i, r in enumerate(recs)]
    assert store.counts("q").ready == 20


def test_max_depth_refuses_the_whole_batch(store: Store, clock: FakeClock) -> None:
    store.push_packed(batch(*plain(4), now=clock.now), max_depth=5)
    with pytest.raises(QueueFull):
        store.push_packed(batch(*plain(2, start=4), now=clock.now), max_depth=5)
    assert store.counts("q").ready == 4
    assert store.push_packed(batch(*plain(1, start=6), now=clock.now), max_depth=5) == []


def test_a_bad_record_refuses_the_whole_batch(store: Store, clock: FakeClock) -> None:
    good = batch(*plain(3), now=clock.now)
    bad_record: bytes = msgpack.packb(["not an id", {"i": 9}])
    forged = dataclasses.replace(good, records=good.records + bad_record, ends=[*good.ends, len(good.records) +
                                 len(bad_record)], ids=[*good.ids, "not an id"])
    with pytest.raises(InvalidArgument):
        store.push_packed(forged)
    assert store.counts("q").ready == 0
