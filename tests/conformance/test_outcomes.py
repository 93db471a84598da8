"""Acks, failures, releases, dead letters, cancellation and events: the same on every backend."""

from __future__ import annotations

import time

import msgpack
import pytest

from sergeant.store.base import Ack, CancelOutcome, Disposition, Failure, Release, Store
from sergeant.task import EventKind, TaskError, TaskEvent, TaskState
from tests.conformance.helpers import index_of, make_task, tasks
from tests.conftest import FakeClock

BOOM = TaskError("ValueError", "boom", "Traceback ...")


def test_ack_stores_the_result_readable_by_id(store: Store) -> None:
    store.push(tasks(2, want_result=True))
    a, b = store.lease("q", 2, 10, owner="w")
    result = msgpack.packb({"sum": 3})
    assert store.ack("q", [Ack(a.id, a.lease_id, result), Ack(b.id, b.lease_id)]) == [Disposition.DONE] * 2
    info = store.get("q", a.id)
    assert info.state == TaskState.SUCCEEDED
    assert info.result is not None and info.result.result == result
    assert store.get("q", b.id).result.result is None  # type: ignore[union-attr]
    assert store.counts("q").leased == 0


def test_a_result_records_the_attempts_that_failed_before_it(store: Store, clock: FakeClock) -> None:
    store.push(tasks(1, want_result=True))
    [t] = store.lease("q", 1, 10, owner="w")
    store.fail("q", [Failure(t.id, t.lease_id, BOOM, delay_s=5)])
    clock.advance(6)
    [again] = store.lease("q", 1, 10, owner="w")
    assert again.attempt == 1
    store.ack("q", [Ack(again.id, again.lease_id, msgpack.packb(1))])
    result = store.get("q", t.id).result
    assert result is not None and (result.state, result.attempt) == (TaskState.SUCCEEDED, 1)


def test_ack_is_idempotent_per_lease(store: Store) -> None:
    store.push(tasks(1, want_result=True))
    [t] = store.lease("q", 1, 10, owner="w")
    assert store.ack("q", [Ack(t.id, t.lease_id, b"\x01")]) == [Disposition.DONE]
    assert store.ack("q", [Ack(t.id, t.lease_id, b"\x02")]) == [Disposition.LEASE_LOST]
    assert store.get("q", t.id).result.result == b"\x01"  # type: ignore[union-attr]


def test_an_ack_repeated_within_one_batch_settles_once(store: Store) -> None:
    store.push(tasks(2, want_result=True))
    a, b = store.lease("q", 2, 10, owner="w")
    acks = [Ack(a.id, a.lease_id, b"\x01"), Ack(a.id, a.lease_id, b"\x02"), Ack(b.id, b.lease_id)]
    assert store.ack("q", acks) == [Disposition.DONE, Disposition.LEASE_LOST, Disposition.DONE]
    assert store.get("q", a.id).result.result == b"\x01"  # type: ignore[union-attr]
    assert store.counts("q").leased == 0


def test_ack_of_a_reclaimed_lease_is_refused(store: Store, clock: FakeClock) -> None:
    store.push(tasks(1, want_result=True))
    [old] = store.lease("q", 1, 10, owner="w1")
    clock.advance(11)
    store.reclaim_expired("q")
    [new] = store.lease("q", 1, 10, owner="w2")
    assert store.ack("q", [Ack(old.id, old.lease_id)]) == [Disposition.LEASE_LOST]
    assert store.get("q", new.id).state == TaskState.ACTIVE
    assert store.ack("q", [Ack(new.id, new.lease_id)]) == [Disposition.DONE]


def test_result_expires_after_its_ttl(make_store) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(time.time())
    store: Store = make_store(clock, result_ttl_s=1)
    store.push(tasks(1, want_result=True))
    [t] = store.lease("q", 1, 10, owner="w")
    store.ack("q", [Ack(t.id, t.lease_id, b"r")])
    assert store.get("q", t.id).state == TaskState.SUCCEEDED
    clock.advance(2.5)
    time.sleep(2.5)  # Redis expires keys on its own clock
    with pytest.raises(Exception) as raised:
        store.get("q", t.id)
    assert type(raised.value).__name__ == "TaskNotFound"


def test_fail_retries_with_backoff_then_dead_letters(store: Store, clock: FakeClock) -> None:
    store.push([make_task(want_result=True, i=1, max_attempts=3)])
    [t] = store.lease("q", 1, 10, owner="w")
    assert store.fail("q", [Failure(t.id, t.lease_id, BOOM)]) == [Disposition.RETRYING]
    assert store.counts("q").delayed == 1
    assert store.lease("q", 1, 10, owner="w") == []  # backing off
    clock.advance(2.01)  # attempt 1 backs off 0.5..1 x base(1 s) x 2^0 <= 1 s
    [t] = store.lease("q", 1, 10, owner="w")
    assert t.attempt == 1
    assert store.fail("q", [Failure(t.id, t.lease_id, BOOM)]) == [Disposition.RETRYING]
    clock.advance(4.01)
    [t] = store.lease("q", 1, 10, owner="w")
    assert t.attempt == 2
    assert store.fail("q", [Failure(t.id, t.lease_id, BOOM)]) == [Disposition.DEAD]
    [dead] = store.dead_letters("q")
    assert (dead.task.id, dead.error) == (t.id, BOOM)
    info = store.get("q", t.id)
    assert info.state == TaskState.DEAD and info.result is not None and info.result.error == BOOM


def test_fail_without_retry_dead_letters_at_once(store: Store) -> None:
    store.push(tasks(1))
    [t] = store.lease("q", 1, 10, owner="w")
    assert store.fail("q", [Failure(t.id, t.lease_id, BOOM, retry=False)]) == [Disposition.DEAD]
    assert store.counts("q").dead == 1


def test_fail_with_explicit_delay(store: Store, clock: FakeClock) -> None:
    store.push(tasks(1))
    [t] = store.lease("q", 1, 10, owner="w")
    store.fail("q", [Failure(t.id, t.lease_id, BOOM, delay_s=30)])
    clock.advance(29)
    assert store.lease("q", 1, 10, owner="w") == []
    clock.advance(2)
    assert len(store.lease("q", 1, 10, owner="w")) == 1


def test_release_returns_tasks_to_the_head_in_order_without_an_attempt(store: Store) -> None:
    store.push(tasks(6))
    leased = store.lease("q", 4, 10, owner="w")
    releases = [Release(t.id, t.lease_id) for t in leased[1:]]
    assert store.release("q", releases) == [Disposition.REQUEUED] * 3
    again = store.lease("q", 10, 10, owner="w")
    assert [index_of(t) for t in again] == [1, 2, 3, 4, 5]
    assert {t.attempt for t in again} == {0}
    assert {t.trace_id for t in again} == {leased[1].trace_id}


def test_release_keeps_trace_id_and_can_delay(store: Store, clock: FakeClock) -> None:
    store.push([make_task(trace_id="trace-1")])
    [t] = store.lease("q", 1, 10, owner="w")
    store.release("q", [Release(t.id, t.lease_id, delay_s=5)])
    assert store.lease("q", 1, 10, owner="w") == []
    clock.advance(6)
    [again] = store.lease("q", 1, 10, owner="w")
    assert (again.trace_id, again.attempt) == ("trace-1", 0)


def test_release_owner_gives_back_every_lease_of_a_dead_worker(store: Store) -> None:
    store.push(tasks(10))
    store.push(tasks(3, queue="other"))
    dead_worker = store.lease("q", 6, 600, owner="host-1/123") + store.lease("other", 3, 600, owner="host-1/123")
    alive = store.lease("q", 2, 600, owner="host-1/456")
    assert store.release_owner("host-1/123") == 9
    again = store.lease("q", 100, 600, owner="x")
    assert sorted(index_of(t) for t in again) == [0, 1, 2, 3, 4, 5, 8, 9]
    assert {t.attempt for t in again if t.id in {d.id for d in dead_worker}} == {1}
    assert store.counts("q").leased == len(alive) + len(again)
    assert len(store.lease("other", 10, 600, owner="x")) == 3


def test_replay_and_purge_dead_letters(store: Store) -> None:
    store.push(tasks(3, want_result=True))
    leased = store.lease("q", 3, 10, owner="w")
    store.fail("q", [Failure(t.id, t.lease_id, BOOM, retry=False) for t in leased])
    assert store.counts("q").dead == 3
    assert [d.task.id for d in store.dead_letters("q", limit=2)] == [leased[0].id, leased[1].id]
    assert [d.task.id for d in store.dead_letters("q", limit=2, offset=2)] == [leased[2].id]
    assert store.replay_dead("q", [leased[0].id]) == 1
    [replayed] = store.lease("q", 5, 10, owner="w")
    assert (replayed.id, replayed.attempt) == (leased[0].id, 0)
    assert store.get("q", replayed.id).state == TaskState.ACTIVE
    assert store.purge_dead("q", [leased[1].id]) == 1
    assert store.replay_dead("q") == 1
    assert store.purge_dead("q") == 0
    assert store.counts("q").dead == 0


def test_cancel_a_queued_task_means_it_never_runs(store: Store, clock: FakeClock) -> None:
    a, b = make_task(want_result=True, i=1), make_task(want_result=True, i=2)
    c = make_task(want_result=True, i=3, not_before=clock.now + 5)
    store.push([a, b, c])
    assert store.cancel("q", a.id) == CancelOutcome.CANCELLED
    assert store.cancel("q", c.id) == CancelOutcome.CANCELLED
    clock.advance(10)
    assert [t.id for t in store.lease("q", 10, 10, owner="w")] == [b.id]
    assert store.get("q", a.id).state == TaskState.CANCELLED
    assert store.cancel("q", a.id) == CancelOutcome.FINISHED


def test_cancel_a_running_task_tells_its_worker(store: Store) -> None:
    store.push(tasks(1, want_result=True))
    sub = store.subscribe(["q"])
    try:
        [t] = store.lease("q", 1, 10, owner="w")
        assert store.cancel("q", t.id) == CancelOutcome.RUNNING
        kinds = _collect(sub, t.id, until=EventKind.CANCEL_REQUESTED)
        assert EventKind.CANCEL_REQUESTED in kinds
    finally:
        sub.close()


def test_a_running_task_its_worker_stopped_on_cancel_ends_cancelled(store: Store) -> None:
    store.push(tasks(2, want_result=True))
    sub = store.subscribe(["q"])
    try:
        a, b = store.lease("q", 2, 10, owner="w")
        stopped = TaskError("TaskCancelled", "cancelled while it ran")
        assert store.ack("q", [Ack(a.id, a.lease_id, cancelled=stopped), Ack(b.id, b.lease_id, b"\x01")]) == \
            [Disposition.DONE] * 2
        assert _collect(sub, a.id, until=EventKind.CANCELLED)[-1] == EventKind.CANCELLED
        assert _collect(sub, b.id, until=EventKind.SUCCEEDED)[-1] == EventKind.SUCCEEDED
    finally:
        sub.close()
    info = store.get("q", a.id)
    assert info.state == TaskState.CANCELLED
    assert info.result is not None and info.result.error == stopped and info.result.result is None
    assert store.get("q", b.id).state == TaskState.SUCCEEDED
    counts = store.counts("q")
    assert (counts.leased, counts.dead) == (0, 0)
    assert store.dead_letters("q") == []
    assert store.cancel("q", a.id) == CancelOutcome.FINISHED


def test_events_reach_a_subscriber_without_polling(make_store) -> None:  # type: ignore[no-untyped-def]
    producer: Store = make_store()
    watcher: Store = make_store()
    sub = watcher.subscribe(["q"])
    try:
        producer.push(tasks(2, want_result=True))
        a, b = producer.lease("q", 2, 10, owner="w")
        producer.publish([TaskEvent("q", a.id, EventKind.PROGRESS, time.time(), 0.5, "half", b"\xc0")])
        producer.ack("q", [Ack(a.id, a.lease_id, b"\x01")])
        producer.fail("q", [Failure(b.id, b.lease_id, BOOM, retry=False)])
        assert _collect(sub, a.id, until=EventKind.SUCCEEDED) == [
            EventKind.STARTED, EventKind.PROGRESS, EventKind.SUCCEEDED
        ]
        assert _collect(sub, b.id, until=EventKind.DEAD)[-1] == EventKind.DEAD
    finally:
        sub.close()


_PENDING: dict[int, list[TaskEvent]] = {}


def _collect(sub, task_id: str, until: EventKind, timeout_s: float = 10) -> list[EventKind]:  # type: ignore[no-untyped-def]
    """The kinds of ``task_id``'s events, in order, up to ``until``; other tasks' events are kept for later calls."""
    pending = _PENDING.setdefault(id(sub), [])
    kinds: list[EventKind] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        events, pending[:] = [*pending, *sub.get(0.2)], []
        for event in events:
            if event.task_id != task_id or (kinds and kinds[-1] == until):
                pending.append(event)
                continue
            kinds.append(event.kind)
        if kinds and kinds[-1] == until:
            return kinds
    return kinds


def test_locks_belong_to_their_owner(store: Store) -> None:
    assert store.lock_ttl("job") is None
    assert store.acquire_lock("job", "alice", 30)
    assert not store.acquire_lock("job", "bob", 30)
    assert not store.release_lock("job", "bob")
    assert not store.extend_lock("job", "bob", 60)
    assert store.extend_lock("job", "alice", 60)
    ttl = store.lock_ttl("job")
    assert ttl is not None and 30 < ttl <= 60
    assert store.release_lock("job", "alice")
    assert store.acquire_lock("job", "bob", 30)


def test_lock_expires_after_its_ttl(make_store) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(time.time())
    store: Store = make_store(clock)
    assert store.acquire_lock("job", "alice", 1)
    clock.advance(1.6)
    time.sleep(1.6)
    assert store.lock_ttl("job") is None
    assert store.acquire_lock("job", "bob", 1)


def test_key_value_with_and_without_ttl(make_store) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(time.time())
    store: Store = make_store(clock)
    store.set_key("a", b"1")
    store.set_key("b", b"2", ttl_s=1)
    assert (store.get_key("a"), store.get_key("b")) == (b"1", b"2")
    clock.advance(1.6)
    time.sleep(1.6)
    assert (store.get_key("a"), store.get_key("b")) == (b"1", None)
    assert store.delete_key("a")
    assert not store.delete_key("a")
    assert store.get_key("a") is None


def test_workers_registry(store: Store) -> None:
    from sergeant.store.base import WorkerRecord

    rec = WorkerRecord("h/1", "q", 1, "h", "threaded", 4, 2, 1 << 20, 10, time.time(), ("t1",))
    store.heartbeat_worker(rec, ttl_s=30)
    assert store.workers() == [rec]
    store.remove_worker("h/1")
    assert store.workers() == []
