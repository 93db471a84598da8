"""Single pushes from many threads (``Coalescer``) or coroutines (``AsyncCoalescer``) coalesced into packed Pushes.

A push that finds nothing in flight is sent at once: a lone caller pays nothing extra. A push that finds another
push in flight joins a group of its queue, which is sent as one packed Push once it has waited ``linger_s``, once
nothing is in flight any more, or once it holds ``max_batch`` tasks, whichever comes first. ``linger_s = 0`` sends
every push alone.

A coalesced batch that the gateway refuses as a whole (INVALID_ARGUMENT, RESOURCE_EXHAUSTED) is resent task by task,
so that each caller gets the answer to its own task, not to a neighbour's.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import grpc

from sergeant.client.common import ClientError

# What a send does: push these tasks (their ids, their records packed one by one) to a queue, with or without
# results; answer each task's id, or the id pushed first for a duplicate.
Send = Callable[[str, bool, list[str], list[bytes]], list[str]]
AsyncSend = Callable[[str, bool, list[str], list[bytes]], Awaitable[list[str]]]
_ALONE = frozenset({grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED})
_Key = tuple[str, bool]  # (queue, want_results): what a packed Push shares


@dataclasses.dataclass(eq=False)
class _Group:
    ids: list[str] = dataclasses.field(default_factory=list)
    records: list[bytes] = dataclasses.field(default_factory=list)
    answer: list[str] | None = None  # once sent: each task's id, or the earlier one
    error: ClientError | None = None
    done: Any = None  # threading.Event or asyncio.Future, set once answered


def _outcome(group: _Group, index: int, task_id: str) -> str | None:
    """The id answered for one task of a sent group; None: resend it alone (the group was refused as a whole, or
    its leader was cancelled before it had an answer: the task's id makes a resend safe either way)."""
    if group.answer is not None:
        return group.answer[index]
    error = group.error
    if error is None or (error.code in _ALONE and len(group.records) > 1):
        return None
    raise ClientError(error.code, error.details, [task_id])


class Coalescer:
    """For threads: the first caller of a group (its leader) waits and sends it; the others wait for the answer."""

    def __init__(self, send: Send, linger_s: float, max_batch: int) -> None:
        self._send, self.linger_s, self.max_batch = send, linger_s, max_batch
        self._cond = threading.Condition()
        self._in_flight = 0
        self._open: dict[_Key, _Group] = {}

    def push(self, queue: str, want_result: bool, task_id: str, record: bytes) -> str:
        key = (queue, want_result)
        with self._cond:
            group = self._open.get(key)
            if group is None and (self._in_flight == 0 or self.linger_s <= 0):
                self._in_flight += 1
                lead = alone = True
            elif group is None:
                group = self._open[key] = _Group(done=threading.Event())
                lead, alone = True, False
            else:
                lead = alone = False
            if not alone:
                assert group is not None
                index = len(group.records)
                group.ids.append(task_id)
                group.records.append(record)
                if len(group.records) >= self.max_batch:
                    del self._open[key]
                    self._cond.notify_all()
        if alone:
            return self._flight(queue, want_result, [task_id], [record])[0]
        assert group is not None
        if lead:
            self._lead(key, group)
        else:
            group.done.wait()
        answer = _outcome(group, index, task_id)
        return answer if answer is not None else self._flight(queue, want_result, [task_id], [record], counted=False)[0]

    def _lead(self, key: _Key, group: _Group) -> None:
        try:
            with self._cond:
                self._cond.wait_for(lambda: self._open.get(key) is not group or self._in_flight == 0, self.linger_s)
                self._close(key, group)
                self._in_flight += 1
            group.answer = self._flight(*key, group.ids, group.records)
        except ClientError as exc:
            group.error = exc
        finally:
            with self._cond:
                self._close(key, group)
            group.done.set()

    def _close(self, key: _Key, group: _Group) -> None:
        if self._open.get(key) is group:
            del self._open[key]

    def _flight(self, queue: str, want_results: bool, ids: list[str], records: list[bytes],
                counted: bool = True) -> list[str]:
        """Send, with ``_in_flight`` already raised for this send (``counted``) or not yet."""
        if not counted:
            with self._cond:
                self._in_flight += 1
        try:
            return self._send(queue, want_results, ids, records)
        finally:
            with self._cond:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._cond.notify_all()


class AsyncCoalescer:
    """For coroutines of one event loop: the same rules as ``Coalescer``."""

    def __init__(self, send: AsyncSend, linger_s: float, max_batch: int) -> None:
        self._send, self.linger_s, self.max_batch = send, linger_s, max_batch
        self._in_flight = 0
        self._open: dict[_Key, _Group] = {}
        self._idle: asyncio.Event | None = None  # set whenever nothing is in flight

    async def push(self, queue: str, want_result: bool, task_id: str, record: bytes) -> str:
        key = (queue, want_result)
        group = self._open.get(key)
        if group is None and (self._in_flight == 0 or self.linger_s <= 0):
            return (await self._flight(queue, want_result, [task_id], [record]))[0]
        if group is None:
            group = self._open[key] = _Group(done=asyncio.get_running_loop().create_future())
            index = 0
            group.ids.append(task_id)
            group.records.append(record)
            await self._lead(key, group)
        else:
            index = len(group.records)
            group.ids.append(task_id)
            group.records.append(record)
            if len(group.records) >= self.max_batch:
                del self._open[key]
                self._wake()
            await asyncio.shield(group.done)
        answer = _outcome(group, index, task_id)
        return answer if answer is not None else (await self._flight(queue, want_result, [task_id], [record]))[0]

    def _wake(self) -> None:
        if self._idle is not None:
            self._idle.set()

    async def _lead(self, key: _Key, group: _Group) -> None:
        if self._idle is None:
            self._idle = asyncio.Event()
        self._idle.clear()
        try:
            if self._in_flight and self._open.get(key) is group:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._woken(key, group), self.linger_s)
            if self._open.get(key) is group:
                del self._open[key]
            group.answer = await self._flight(*key, group.ids, group.records)
        except ClientError as exc:
            group.error = exc
        finally:
            if self._open.get(key) is group:
                del self._open[key]
            group.done.set_result(None)

    async def _woken(self, key: _Key, group: _Group) -> None:
        assert self._idle is not None
        while self._in_flight and self._open.get(key) is group:
            await self._idle.wait()
            self._idle.clear()

    async def _flight(self, queue: str, want_results: bool, ids: list[str], records: list[bytes]) -> list[str]:
        self._in_flight += 1
        try:
            return await self._send(queue, want_results, ids, records)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._wake()
