"""Concurrent pushes that reach the gateway in one event-loop turn share one store call.

One store call costs a thread hand-off and a round trip to the store whatever its size, so 64 callers pushing one
task each cost 64 of them, unless they are gathered: every push of a turn joins a list, and the turn's end sends
the repeated-form pushes of each queue as one ``Store.push`` and the packed batches of each (queue, want_results) as
one ``Store.push_packed``. Merged pushes are stored atomically together (a store is atomic per queue, so a push that
spans queues is never merged); each caller gets its own slice of the answer.
When a merged call is refused (a bad task, a full queue), each push is retried alone, so that one caller's bad task
or a full queue answers only the pushes it concerns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sergeant.errors import InvalidArgument, QueueFull
from sergeant.store.base import PackedBatch, PackedRoute, PushResult
from sergeant.task import Task

T = TypeVar("T")
R = TypeVar("R")
_ALONE = (InvalidArgument, QueueFull)


class PushCoalescer:
    def __init__(self, push: Callable[[Sequence[Task]], Awaitable[list[PushResult]]],
                 push_packed: Callable[[PackedBatch], Awaitable[list[tuple[int, str]]]]) -> None:
        self._push, self._push_packed = push, push_packed
        self._tasks: dict[str, list[tuple[Sequence[Task], asyncio.Future[list[PushResult]]]]] = {}
        self._packed: dict[tuple[str, bool], list[tuple[PackedBatch, asyncio.Future[list[tuple[int, str]]]]]] = {}
        self._scheduled = False
        self._running: set[asyncio.Task[None]] = set()  # strong references until done

    async def push(self, tasks: Sequence[Task]) -> list[PushResult]:
        queue = tasks[0].queue
        if any(task.queue != queue for task in tasks):
            return await self._push(tasks)
        future: asyncio.Future[list[PushResult]] = self._schedule()
        self._tasks.setdefault(queue, []).append((tasks, future))
        return await future

    async def push_packed(self, batch: PackedBatch) -> list[tuple[int, str]]:
        future: asyncio.Future[list[tuple[int, str]]] = self._schedule()
        self._packed.setdefault((batch.queue, batch.want_results), []).append((batch, future))
        return await future

    def _schedule(self) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)
        return loop.create_future()

    def _flush(self) -> None:
        self._scheduled = False
        tasks, self._tasks = self._tasks, {}
        packed, self._packed = self._packed, {}
        for pushes in tasks.values():
            self._start(_run(pushes, self._push, _merge_tasks, _split_tasks))
        for group in packed.values():
            self._start(_run(group, self._push_packed, _merge_packed, _split_packed))

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)


async def _run(items: list[tuple[T, asyncio.Future[R]]], call: Callable[[T], Awaitable[R]],
               merge: Callable[[list[T]], T], split: Callable[[R, list[T]], list[R]]) -> None:
    """Send the pushes of one turn as one call; fall back to one call per push when the merged one is refused."""
    if len(items) > 1:
        inputs = [item for item, _ in items]
        try:
            answers = split(await call(merge(inputs)), inputs)
        except _ALONE:
            pass  # each push alone below
        except Exception as exc:  # the store is unreachable, or broke: every push of the call gets the error
            for _, future in items:
                if not future.done():
                    future.set_exception(exc)
            return
        except BaseException:  # cancelled (the gateway stops): so are the pushes waiting on this call
            for _, future in items:
                future.cancel()
            raise
        else:
            for (_, future), answer in zip(items, answers, strict=True):
                if not future.done():
                    future.set_result(answer)
            return
    try:
        for item, future in items:  # in arrival order: under a max depth, the first pushes get the room
            await _alone(item, future, call)
    finally:  # cancelled part way: the pushes not yet sent are cancelled too, not left waiting
        for _, future in items:
            future.cancel()


async def _alone(item: T, future: asyncio.Future[R], call: Callable[[T], Awaitable[R]]) -> None:
    try:
        answer = await call(item)
    except Exception as exc:
        if not future.done():
            future.set_exception(exc)
    else:
        if not future.done():
            future.set_result(answer)


def _merge_tasks(pushes: list[Sequence[Task]]) -> Sequence[Task]:
    return [task for tasks in pushes for task in tasks]


def _split_tasks(results: list[PushResult], pushes: list[Sequence[Task]]) -> list[list[PushResult]]:
    answers, start = [], 0
    for tasks in pushes:
        answers.append(results[start:start + len(tasks)])
        start += len(tasks)
    return answers


def _merge_packed(batches: list[PackedBatch]) -> PackedBatch:
    first = batches[0]
    ends: list[int] = []
    ids: list[str] = []
    routes: list[PackedRoute] = []
    offset = 0
    for batch in batches:
        routes += (PackedRoute(r.index + len(ids), r.priority, r.not_before, r.idempotency_key) for r in batch.routes)
        ends += (end + offset for end in batch.ends)
        ids += batch.ids
        offset += len(batch.records)
    return PackedBatch(first.queue, b"".join(b.records for b in batches), ends, ids, first.created_at,
                       first.default_max_attempts, first.want_results, routes)


def _split_packed(duplicates: list[tuple[int, str]], batches: list[PackedBatch]) -> list[list[tuple[int, str]]]:
    answers: list[list[tuple[int, str]]] = [[] for _ in batches]
    starts, start = [], 0
    for batch in batches:
        starts.append(start)
        start += len(batch.ids)
    which = 0
    for index, first in sorted(duplicates):
        while which + 1 < len(batches) and index >= starts[which + 1]:
            which += 1
        answers[which].append((index - starts[which], first))
    return answers
