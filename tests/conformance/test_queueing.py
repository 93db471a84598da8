"""Push, priorities, delays, leases and their expiry: the same on every backend."""

from __future__ import annotations

import threading
import time

import pytest

from sergeant.errors import InvalidArgument, PayloadTooLarge, QueueFull, StoreUnavailable, TaskNotFound
from sergeant.store.base import Failure, Settlement, Store
from sergeant.task import Priority, TaskError, TaskState
from tests.conformance.helpers import index_of, make_task, tasks
from tests.conftest import FakeClock


@pytest.mark.timeout(300)  # SecantusDB updates ~1,000 documents/s; real MongoDB and the others take seconds
def test_ten_thousand_tasks_pushed_in_batches_lease_back_in_order(store: Store) -> None:
    for start in range(0, 10_000, 1_000):
        results = store.push(tasks(1_000, start=start))
        assert all(r.created for r in results)
    assert store.counts("q").ready == 10_000
    seen: list[int] = []
    while batch := store.lease("q", 700, 60, owner="w1"):
        seen.extend(index_of(t) for t in batch)
    assert seen == list(range(10_000))
    counts = store.counts("q")
    assert (counts.ready, counts.leased) == (0, 10_000)


def test_push_returns_ids_in_order(store: Store) -> None:
    batch = tasks(5)
    assert [r.task_id for r in store.push(batch)] == [t.id for t in batch]


def test_high_priority_overtakes_normal_and_stays_fifo(store: Store) -> None:
    store.push(tasks(50))
    store.push(tasks(3, start=100, priority=Priority.HIGH))
    store.push(tasks(2, start=200, priority=Priority.HIGH))
    leased = [index_of(t) for t in store.lease("q", 7, 60, owner="w")]
    assert leased == [100, 101, 102, 200, 201, 0, 1]


def test_delayed_task_is_invisible_until_its_time(store: Store, clock: FakeClock) -> None:
    store.push([make_task(i=1, not_before=clock.now + 30)])
    store.push([make_task(i=2)])
    assert [index_of(t) for t in store.lease("q", 10, 60, owner="w")] == [2]
    counts = store.counts("q")
    assert (counts.ready, counts.delayed) == (0, 1)
    clock.advance(29)
    assert store.lease("q", 10, 60, owner="w") == []
    clock.advance(2)
    assert [index_of(t) for t in store.lease("q", 10, 60, owner="w")] == [1]


def test_delayed_tasks_respect_priority_once_due(store: Store, clock: FakeClock) -> None:
    store.push([make_task(i=1, not_before=clock.now + 5)])
    store.push([make_task(i=2, not_before=clock.now + 5, priority=Priority.HIGH)])
    store.push([make_task(i=3)])
    clock.advance(6)
    assert [index_of(t) for t in store.lease("q", 10, 60, owner="w")] == [2, 3, 1]


@pytest.mark.timeout(300)
def test_two_concurrent_consumers_never_share_a_task(make_store) -> None:  # type: ignore[no-untyped-def]
    producer: Store = make_store()
    producer.push(tasks(3_000))
    got: dict[str, list[str]] = {"a": [], "b": []}

    def consume(name: str) -> None:
        mine = make_store()
        while batch := mine.lease("q", 37, 60, owner=name):
            got[name].extend(t.id for t in batch)

    threads = [threading.Thread(target=consume, args=(n,)) for n in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads), "a consumer is still leasing"
    assert not set(got["a"]) & set(got["b"])
    assert len(got["a"]) + len(got["b"]) == 3_000
    assert got["a"] and got["b"], "both consumers should have had work"


def test_expired_lease_is_redelivered_then_dead_lettered(store: Store, clock: FakeClock) -> None:
    store.push([make_task(i=7, max_attempts=2)])
    first = store.lease("q", 1, 10, owner="w")
    assert [t.attempt for t in first] == [0]
    clock.advance(11)
    assert store.reclaim_expired("q") == 1
    second = store.lease("q", 1, 10, owner="w")
    assert [(t.id, t.attempt) for t in second] == [(first[0].id, 1)]
    assert second[0].lease_id != first[0].lease_id
    clock.advance(11)
    assert store.reclaim_expired("q") == 1
    assert store.lease("q", 1, 10, owner="w") == []
    counts = store.counts("q")
    assert (counts.ready, counts.leased, counts.dead) == (0, 0, 1)
    [dead] = store.dead_letters("q")
    assert dead.task.id == first[0].id
    assert dead.error is not None and "lease" in dead.error.message
    assert store.get("q", first[0].id).state == TaskState.DEAD


def test_extending_a_lease_keeps_it(store: Store, clock: FakeClock) -> None:
    store.push([make_task()])
    [t] = store.lease("q", 1, 10, owner="w")
    clock.advance(8)
    assert store.extend("q", [t.id], t.lease_id, 10) == [t.id]
    clock.advance(8)
    assert store.reclaim_expired("q") == 0
    assert store.extend("q", [t.id], "someone-else/1", 10) == []
    clock.advance(3)
    assert store.reclaim_expired("q") == 1


def test_unexpired_leases_are_not_reclaimed(store: Store, clock: FakeClock) -> None:
    store.push(tasks(3))
    store.lease("q", 3, 10, owner="w")
    clock.advance(9)
    assert store.reclaim_expired("q") == 0
    assert store.counts("q").leased == 3


def test_blocking_lease_wakes_when_a_task_arrives(make_store) -> None:  # type: ignore[no-untyped-def]
    consumer: Store = make_store()
    producer: Store = make_store()
    consumer.lease("q", 1, 10, owner="warm", wait_s=0)  # connect before timing
    pushed = make_task(i=5)
    timer = threading.Timer(0.3, lambda: producer.push([pushed]))
    timer.start()
    started = time.monotonic()
    got = consumer.lease("q", 10, 10, owner="w", wait_s=5)
    waited = time.monotonic() - started
    timer.join()
    assert [t.id for t in got] == [pushed.id]
    assert 0.25 <= waited < 4, f"woke after {waited:.3f}s"


def test_blocking_lease_times_out_empty(store: Store) -> None:
    started = time.monotonic()
    assert store.lease("q", 10, 10, owner="w", wait_s=0.4) == []
    assert time.monotonic() - started >= 0.35


def test_paused_queue_leases_nothing_until_resumed(store: Store) -> None:
    store.push(tasks(2))
    store.pause("q")
    assert store.lease("q", 5, 10, owner="w") == []
    assert store.counts("q").paused
    store.resume("q")
    assert len(store.lease("q", 5, 10, owner="w")) == 2


def test_idempotency_key_dedupes_a_second_push(store: Store) -> None:
    first = make_task(i=1, idempotency_key="order-42")
    second = make_task(i=2, idempotency_key="order-42")
    [r1] = store.push([first])
    [r2, r3] = store.push([second, make_task(i=3)])
    assert (r1.task_id, r1.created) == (first.id, True)
    assert (r2.task_id, r2.created) == (first.id, False)
    assert r3.created
    assert [index_of(t) for t in store.lease("q", 10, 10, owner="w")] == [1, 3]


def test_idempotency_key_within_one_batch(store: Store) -> None:
    a = make_task(i=1, idempotency_key="k")
    b = make_task(i=2, idempotency_key="k")
    results = store.push([a, b])
    assert [(r.task_id, r.created) for r in results] == [(a.id, True), (a.id, False)]
    assert store.counts("q").ready == 1


def test_max_depth_refuses_the_whole_batch(store: Store) -> None:
    store.push(tasks(8), max_depth=10)
    with pytest.raises(QueueFull):
        store.push(tasks(3), max_depth=10)
    assert store.counts("q").ready == 8
    store.push(tasks(2), max_depth=10)
    assert store.counts("q").ready == 10


@pytest.mark.parametrize("name", ["", "a" * 129, "bad{tag}", "has space", "x:y", "-lead", "é"])
def test_bad_queue_names_are_refused_and_nothing_is_written(store: Store, name: str) -> None:
    with pytest.raises(InvalidArgument):
        store.push([make_task("ok"), make_task(name)])
    with pytest.raises(InvalidArgument):
        store.lease(name, 1, 10, owner="w")
    assert store.counts("ok").ready == 0


def test_oversized_payload_is_refused_and_nothing_is_written(make_store) -> None:  # type: ignore[no-untyped-def]
    store: Store = make_store(max_payload_bytes=100)
    with pytest.raises(PayloadTooLarge):
        store.push([make_task(i=1), make_task(kwargs=b"\x80" * 101)])
    assert store.counts("q").ready == 0


def test_unknown_task_id_is_not_found(store: Store) -> None:
    with pytest.raises(TaskNotFound):
        store.get("q", "nope")
    with pytest.raises(TaskNotFound):
        store.cancel("q", "nope")


def test_queues_counts_and_purge(store: Store, clock: FakeClock) -> None:
    store.push(tasks(4, queue="alpha"))
    store.push([make_task("alpha", not_before=clock.now + 100)])
    store.push(tasks(1, queue="beta"))
    store.lease("alpha", 1, 10, owner="w")
    assert {"alpha", "beta"} <= set(store.queues())
    c = store.counts("alpha")
    assert (c.ready, c.delayed, c.leased, c.dead) == (3, 1, 1, 0)
    assert store.purge("alpha") == 4
    c = store.counts("alpha")
    assert (c.ready, c.delayed, c.leased) == (0, 0, 1)
    assert store.counts("beta").ready == 1


def test_get_reports_each_state(store: Store, clock: FakeClock) -> None:
    ready, later = make_task(want_result=True, i=1), make_task(want_result=True, i=2, not_before=clock.now + 60)
    store.push([ready, later])
    assert store.get("q", ready.id).state == TaskState.PENDING
    info = store.get("q", later.id)
    assert info.state == TaskState.SCHEDULED
    assert info.task is not None and info.task.kwargs == later.kwargs
    store.lease("q", 1, 10, owner="w")
    assert store.get("q", ready.id).state == TaskState.ACTIVE


@pytest.mark.parametrize("task_id", ["", "has space", "x" * 129, "a/b"])
def test_bad_task_ids_are_refused(store: Store, task_id: str) -> None:
    with pytest.raises(InvalidArgument):
        store.get("q", task_id)
    with pytest.raises(InvalidArgument):
        store.cancel("q", task_id)
    with pytest.raises(InvalidArgument):
        store.push([make_task(id=task_id)])
    assert store.counts("q").ready == 0


def test_closing_during_calls_keeps_every_acknowledged_push(make_store) -> None:  # type: ignore[no-untyped-def]
    """The gateway closes its store while store threads may still be mid-call; SQLite used to crash there."""
    store: Store = make_store()
    pushed: list[str] = []
    unexpected: list[BaseException] = []
    started = threading.Barrier(5)

    def hammer() -> None:
        started.wait()
        try:
            while True:
                [result] = store.push([make_task(want_result=True, )])
                pushed.append(result.task_id)
                store.counts("q")
        except StoreUnavailable:
            pass
        except BaseException as exc:  # collected, then asserted empty
            unexpected.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.3)
    store.close()
    for t in threads:
        t.join(timeout=30)
    assert not unexpected
    assert pushed, "nothing was pushed before close"
    assert not any(t.is_alive() for t in threads), "calls went on after close"
    reopened: Store = make_store()
    # A push cut off mid-reply may be stored without being acknowledged, never the other way round.
    assert reopened.counts("q").ready >= len(pushed)
    assert {reopened.get("q", task_id).state for task_id in pushed} == {TaskState.PENDING}


def test_idle_empty_queues_are_forgotten_until_a_push_lists_them_again(store: Store, clock: FakeClock) -> None:
    store.push([make_task("done")])
    [task] = store.lease("done", 1, 10, owner="w")
    store.settle("done", [Settlement(task.lease_id)])
    store.push([make_task("busy")])
    store.push([make_task("buried", max_attempts=1)])
    [doomed] = store.lease("buried", 1, 10, owner="w")
    store.fail("buried", [Failure(doomed.id, doomed.lease_id, TaskError("E", "x"), retry=False)])
    store.pause("paused")
    clock.advance(3600)
    forgotten = store.forget_idle_queues(600)
    listed = store.queues()
    assert "done" not in listed and {"busy", "buried", "paused"} <= set(listed)
    assert set(forgotten) <= {"done"}  # a store that lists queues from their tasks has nothing to forget
    store.push([make_task("done")])
    assert "done" in store.queues()
