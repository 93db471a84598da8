"""A Redis push that finds duplicates of live tasks pushes again without them; a concurrent push can make more of
its records duplicates on that next try, and the records left out on the first try must stay out.

Before the fix each try put back what the one before had left out: two rounds of duplicates made the push loop
forever between them (seen as a gateway stuck in EVALSHA under 80 concurrent pushes on a cluster)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import msgpack
import pytest

from sergeant.store.base import PushResult, Store
from sergeant.store.redis_push import PushPlan, Route
from sergeant.task import Priority, Task
from tests.conftest import FakeClock


def _task(task_id: str) -> Task:
    return Task(task_id, "q", msgpack.packb({"id": task_id}), want_result=True)


class PushingClock(FakeClock):
    """A clock that, on one call (the try after the first, as the Redis store reads the time for each try), runs a
    concurrent push first."""

    def __init__(self, on_call: int, then: Callable[[], object]) -> None:
        super().__init__()
        self.calls, self.on_call, self.then = 0, on_call, then

    def __call__(self) -> float:
        self.calls += 1
        if self.calls == self.on_call:
            self.then()
        return super().__call__()


@pytest.mark.parametrize("backend", ["redis", "redis-cluster"])
def test_records_left_out_stay_out_when_a_later_try_finds_more_duplicates(make_store: Callable[..., Store]) -> None:
    other = make_store()
    other.push([_task("a")])
    # Calls: 1 plans the batch, 2 is the first try (finds "a"), 3 the second: "b" is pushed just before it.
    store = make_store(PushingClock(3, lambda: other.push([_task("b")])))
    answers: list[list[PushResult]] = []
    pushing = threading.Thread(target=lambda: answers.append(store.push([_task("a"), _task("b"), _task("c")])),
                               daemon=True)
    pushing.start()
    pushing.join(20)
    assert not pushing.is_alive(), "the push went on trying between its two rounds of duplicates"
    assert answers == [[PushResult("a", False), PushResult("b", False), PushResult("c", True)]]
    assert store.counts("q").ready == 3  # a and b once each, and c


def test_a_plan_keeps_leaving_out_what_it_left_out_before() -> None:
    ids = ["a", "b", "c"]
    records = [msgpack.packb(i) for i in ids]
    plan = PushPlan.of_records("q", records, ids, [Route(Priority.NORMAL, 0.0, "", True)] * 3, 1.0, [1.0] * 3, 5)
    again = plan.without({0}).without({1})
    assert [n for n, _, _ in again.wants] == [2]
