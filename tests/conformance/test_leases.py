"""Leases settle as leases: whole, or a cumulative part; an expired lease returns only what was not settled."""

from __future__ import annotations

import msgpack
import pytest

from sergeant.errors import TaskNotFound
from sergeant.store.base import CancelOutcome, Settlement, Store
from sergeant.task import Priority, Task, TaskResult, TaskState
from tests.conformance.helpers import index_of, make_task, tasks
from tests.conftest import FakeClock


def _done(*leased: Task) -> list[tuple[int, str]]:
    return [(t.lease_position, t.id) for t in leased]


def _ok(task: Task, value: object) -> TaskResult:
    return TaskResult(TaskState.SUCCEEDED, msgpack.packb(value), None, 0.0, task.attempt)


def test_a_whole_lease_settles_in_one_call_and_only_once(store: Store) -> None:
    store.push(tasks(5))
    leased = store.lease("q", 5, 10, owner="w")
    assert len({t.lease_id for t in leased}) == 1
    assert [t.lease_position for t in leased] == [0, 1, 2, 3, 4]
    assert store.settle("q", [Settlement(leased[0].lease_id)]) == [True]
    assert store.counts("q").leased == 0
    assert store.settle("q", [Settlement(leased[0].lease_id)]) == [False]  # nothing left to settle
    assert store.lease("q", 5, 10, owner="w") == []


def test_a_task_that_asked_for_no_result_leaves_no_record_once_done(store: Store) -> None:
    plain, kept = make_task(i=1), make_task(i=2, want_result=True)
    store.push([plain, kept])
    a, b = store.lease("q", 2, 10, owner="w")
    assert (a.want_result, b.want_result) == (False, True)
    store.settle("q", [Settlement(a.lease_id, results={b.id: _ok(b, "kept")})])
    with pytest.raises(TaskNotFound):
        store.get("q", plain.id)
    info = store.get("q", kept.id)
    assert info.state == TaskState.SUCCEEDED
    assert info.result is not None and msgpack.unpackb(info.result.result) == "kept"


@pytest.mark.parametrize("high_first", [False, True])
def test_an_expired_lease_returns_only_its_unsettled_tasks_in_order(store: Store, clock: FakeClock,
                                                                    high_first: bool) -> None:
    store.push(tasks(6))
    if high_first:
        store.push([make_task(i=10, priority=Priority.HIGH)])
    leased = store.lease("q", 10, 10, owner="w")
    expected = ([10] if high_first else []) + [0, 1, 2, 3, 4, 5]
    assert [index_of(t) for t in leased] == expected
    normal = [t for t in leased if index_of(t) < 10]
    # Cumulative: the second settlement repeats the first's tasks and adds one.
    assert store.settle("q", [Settlement(leased[0].lease_id, _done(normal[0]))]) == [True]
    assert store.settle("q", [Settlement(leased[0].lease_id, _done(normal[0], normal[2]))]) == [True]
    assert store.counts("q").leased == len(leased) - 2
    clock.advance(11)
    assert store.reclaim_expired("q") == len(leased) - 2
    again = store.lease("q", 10, 10, owner="w2")
    assert [index_of(t) for t in again] == ([10] if high_first else []) + [1, 3, 4, 5]
    assert {t.attempt for t in again} == {1}
    assert store.settle("q", [Settlement(leased[0].lease_id, _done(*normal))]) == [False]  # the old lease is gone


def test_a_partly_settled_lease_keeps_delays_idempotency_and_cancel(store: Store, clock: FakeClock) -> None:
    keyed = make_task(i=1, idempotency_key="once")
    wanted = make_task(i=2, want_result=True)
    later = make_task(i=3, not_before=clock.now + 5)
    store.push([keyed, wanted, later])
    first = store.lease("q", 10, 10, owner="w")
    assert [index_of(t) for t in first] == [1, 2]  # the delayed task is not due
    assert store.cancel("q", wanted.id) == CancelOutcome.RUNNING
    store.settle("q", [Settlement(first[0].lease_id, _done(first[0]))])  # the keyed task is done
    clock.advance(11)
    assert store.reclaim_expired("q") == 1
    assert store.get("q", wanted.id).state == TaskState.PENDING
    assert store.cancel("q", wanted.id) == CancelOutcome.CANCELLED  # queued again: now it never runs
    [again] = store.lease("q", 10, 10, owner="w2")
    assert index_of(again) == 3  # due by now; the cancelled task was dropped
    [duplicate] = store.push([make_task(i=4, idempotency_key="once")])
    assert (duplicate.task_id, duplicate.created) == (keyed.id, False)  # the key outlives its task's lease
    assert store.get("q", wanted.id).state == TaskState.CANCELLED
