"""The gateway's push coalescing: pushes of one event-loop turn share a store call, each answered with its own part."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.errors import InvalidArgument, QueueFull
from sergeant.packed import DEFAULT, PackedTask, check_batch, pack_batch
from sergeant.service.coalesce import PushCoalescer
from sergeant.store import open_store
from sergeant.store.base import PackedBatch, PushResult, Store, StoreSettings
from sergeant.task import Task, new_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc, task_pb2


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}", StoreSettings())
    yield opened
    opened.close()


class Calls:
    """The real store calls, counted."""

    def __init__(self, store: Store, max_depth: int = 0) -> None:
        self.store, self.max_depth = store, max_depth
        self.sizes: list[int] = []

    async def push(self, tasks: Sequence[Task]) -> list[PushResult]:
        self.sizes.append(len(tasks))
        return await asyncio.to_thread(self.store.push, tasks, max_depth=self.max_depth)

    async def push_packed(self, batch: PackedBatch) -> list[tuple[int, str]]:
        self.sizes.append(len(batch.ids))
        return await asyncio.to_thread(self.store.push_packed, batch, max_depth=self.max_depth)


def one(task_id: str = "", queue: str = "q") -> list[Task]:
    return [Task(task_id or new_task_id(), queue, msgpack.packb({"id": task_id}))]


def batch(*recs: list[Any], queue: str = "q") -> PackedBatch:
    return check_batch(queue, pack_batch(list(recs)), want_results=False, max_batch=100, max_payload_bytes=1 << 20,
                       default_max_attempts=5, now=1.0)


def test_pushes_of_one_turn_share_one_store_call_per_queue(store: Store) -> None:
    calls = Calls(store)

    async def main() -> list[list[PushResult]]:
        coalescer = PushCoalescer(calls.push, calls.push_packed)
        return list(await asyncio.gather(*(coalescer.push(one(f"t-{n}")) for n in range(20)), coalescer.push(one("t-3")),
                                         coalescer.push(one("o-1", "other")), coalescer.push(one("o-2", "other")),
                                         coalescer.push(one("x-1", "q") + one("x-2", "other"))))

    answers = asyncio.run(main())
    # A push that spans queues goes alone: a store is atomic per queue only, so a merged call refused for one queue
    # could have stored another's tasks.
    assert calls.sizes == [2, 21, 2]
    assert [[(r.task_id, r.created) for r in a] for a in answers] == \
        [[(f"t-{n}", True)] for n in range(20)] + [[("t-3", False)], [("o-1", True)], [("o-2", True)],
                                                   [("x-1", True), ("x-2", True)]]
    assert (store.counts("q").ready, store.counts("other").ready) == (21, 3)


def test_packed_batches_merge_per_queue_and_answer_their_own_indexes(store: Store) -> None:
    calls = Calls(store)
    keyed = PackedTask(idempotency_key="k")

    async def main() -> list[list[tuple[int, str]]]:
        coalescer = PushCoalescer(calls.push, calls.push_packed)
        return list(await asyncio.gather(
            coalescer.push_packed(batch(["a-1", {}], keyed.record("a-2", {}))),
            coalescer.push_packed(batch(DEFAULT.record("b-1", {}), ["a-1", {}], keyed.record("b-3", {}))),
            coalescer.push_packed(batch(["c-1", {}], queue="other")),
            coalescer.push_packed(batch(["a-1", {}], ["d-2", {}]))))

    answers = asyncio.run(main())
    assert sorted(calls.sizes) == [1, 7]
    assert answers == [[], [(1, "a-1"), (2, "a-2")], [], [(0, "a-1")]]
    assert [t.id for t in store.lease("q", 10, 60, owner="w")] == ["a-1", "a-2", "b-1", "d-2"]


def test_a_refused_merged_call_answers_each_push_alone(store: Store) -> None:
    calls = Calls(store, max_depth=3)

    async def main() -> list[Any]:
        coalescer = PushCoalescer(calls.push, calls.push_packed)
        return list(await asyncio.gather(coalescer.push(one("ok-1") + one("ok-2")), coalescer.push(one("bad id")),
                                         coalescer.push(one("full-1") + one("full-2")), return_exceptions=True))

    good, bad, full = asyncio.run(main())
    assert calls.sizes == [5, 2, 1, 2]
    assert [r.task_id for r in good] == ["ok-1", "ok-2"]
    assert isinstance(bad, InvalidArgument) and isinstance(full, QueueFull)
    assert store.counts("q").ready == 2


def test_concurrent_single_pushes_through_a_gateway(address: str, direct: Store) -> None:
    async def main() -> tuple[list[str], list[int]]:
        async with grpc.aio.insecure_channel(address) as channel:
            push = producer_pb2_grpc.ProducerStub(channel).Push
            repeated = [push(producer_pb2.PushRequest(tasks=[task_pb2.Task(id=f"r-{n}", queue="q", kwargs=b"\x80")]))
                        for n in range(40)]
            packed = [push(producer_pb2.PushRequest(packed=producer_pb2.PackedTasks(
                version=1, queue="q", tasks=pack_batch([[f"p-{n % 20}", {}]]), want_results=True))) for n in range(40)]
            answers = await asyncio.gather(*repeated, *packed)
        return [a.tasks[0].id for a in answers[:40]], [len(a.duplicates) for a in answers[40:]]

    ids, duplicates = asyncio.run(main())
    assert ids == [f"r-{n}" for n in range(40)]
    assert sum(duplicates) == 20, "each packed id was pushed twice: one of the two pushes is its duplicate"
    assert direct.counts("q").ready == 60
