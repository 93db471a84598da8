"""The event hub: one store subscription to every queue's events per gateway, fanned out to every watcher.

The subscription's blocking ``get`` runs in one thread that hands events to the
asyncio loop; a watcher is an in-memory buffer with a byte bound.  However
many queues are watched, the gateway holds one subscription and one thread, so
watches on made-up queues cannot exhaust the store's connections.  On Redis
Cluster the subscription carries only the queues it follows (sharded pub/sub,
one connection per master): a queue is followed while it has watchers, from
its first watcher's arrival until its last one leaves.

Subscribing happens before any push or state read, so a watcher cannot miss an
event that happens after it asked.  When the subscription fails (the store
dropped it, e.g. past Redis' pub/sub output buffer limit), the feed subscribes
again and every watcher re-reads the state of the tasks it waits for: a task
that ended meanwhile is reported from the store, not waited on forever.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from sergeant.errors import LimitExceeded, StoreUnavailable
from sergeant.logs import log
from sergeant.service.rpc import Gateway
from sergeant.store.base import Following, Subscription
from sergeant.task import TERMINAL_STATES, EventKind, TaskEvent, TaskInfo

logger = logging.getLogger("sergeant.gateway.events")
TERMINAL_KINDS = frozenset({EventKind.SUCCEEDED, EventKind.DEAD, EventKind.CANCELLED})
_EVENT_OVERHEAD = 128  # bytes a buffered event costs besides its message and data
_READ_BATCH = 256  # task states read per store pool call when a watcher (re)reads its tasks ...
_READ_PARALLEL = 4  # ... and calls at once
_RESUBSCRIBE_PAUSE_S = 1.0
_FOLLOW_ATTEMPTS = 3  # follows of a queue a watcher waits for while the subscription breaks and is renewed
_IN_FLIGHT_S = 1.0  # how long a submitted task found terminal in the store waits for its events on their way


class Watcher:
    def __init__(self, queue: str, task_ids: Iterable[str] | None, progress: bool, buffer_bytes: int) -> None:
        self.queue = queue
        self.task_ids = set(task_ids) if task_ids is not None else None
        self.progress = progress
        self._buffer: collections.deque[TaskEvent] = collections.deque()
        self._buffered_bytes = 0
        self._limit = buffer_bytes
        self._ready = asyncio.Event()
        self._overflowed = False
        self._resync = False

    def __len__(self) -> int:
        """Events buffered, not read yet."""
        return len(self._buffer)

    def wants(self, event: TaskEvent) -> bool:
        if event.kind is EventKind.PROGRESS and not self.progress:
            return False
        return self.task_ids is None or event.task_id in self.task_ids

    def offer(self, event: TaskEvent) -> None:
        if self._overflowed or not self.wants(event):
            return
        size = _size(event)
        if self._buffered_bytes + size > self._limit:
            self._overflowed = True  # ended, not buffered without bound: its reader is gone or too slow
            self._buffer.clear()
        else:
            self._buffer.append(event)
            self._buffered_bytes += size
        self._ready.set()

    def resync(self) -> None:
        self._resync = True
        self._ready.set()

    async def next(self) -> TaskEvent | None:
        """The next event; None when the subscription was renewed and the watched tasks must be read again."""
        while True:
            if self._overflowed:
                raise LimitExceeded(
                    f"this watch fell behind by more than {self._limit} bytes of events and was ended; read "
                    "events as they come, watch fewer tasks, or leave progress off", op="watch", queue=self.queue)
            if self._resync:
                self._resync = False
                return None
            if self._buffer:
                event = self._buffer.popleft()
                self._buffered_bytes -= _size(event)
                return event
            self._ready.clear()
            await self._ready.wait()


def _report(task: asyncio.Task[None], done: concurrent.futures.Future[None]) -> None:
    """Carry a dispatch's end over to the feed thread that waits for it."""
    if task.cancelled():
        done.set_exception(concurrent.futures.CancelledError())
    elif (error := task.exception()) is not None:
        done.set_exception(error)
    else:
        done.set_result(None)


def _wrap(follow: concurrent.futures.Future[None]) -> asyncio.Future[None]:
    """A follow on the loop, whose failure is not reported as never retrieved when no watcher waits for it."""
    future = asyncio.wrap_future(follow)
    future.add_done_callback(lambda f: f.cancelled() or f.exception())
    return future


def _size(event: TaskEvent) -> int:
    return _EVENT_OVERHEAD + len(event.message) + len(event.data)


class _Feed:
    """The gateway's one subscription (to every queue) and the thread that reads it."""

    def __init__(self, hub: EventHub, subscription: Subscription) -> None:
        self._hub = hub
        self._subscription = subscription
        self.following = isinstance(subscription, Following)
        self._renewed_at = 0.0
        self._stopped = threading.Event()
        # Not "events-...": tests wait for per-queue feed threads of that name to end.
        self._thread = threading.Thread(target=self._run, name="gateway-event-feed", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                events = self._subscription.get(0.5)
            except Exception as exc:
                log(logger, logging.WARNING, "events.subscription_failed", error=str(exc),
                    consequence="subscribing again; watchers re-read their tasks")
                self._renew()
                continue
            if events:
                self._hand_over(events)
            del events  # not kept alive while the next get blocks
        self._subscription.close()

    def _hand_over(self, events: list[TaskEvent]) -> None:
        """Dispatch on the loop and wait until it is done: a loop that falls behind slows this reader down, so the
        backlog stays in the store's buffers (which drop a subscriber that lags too far), not in the gateway."""
        done: concurrent.futures.Future[None] = concurrent.futures.Future()

        def start() -> None:  # on the loop: the coroutine is made only if the loop still runs it
            if done.set_running_or_notify_cancel():
                self._hub.loop.create_task(self._hub.dispatch(events)).add_done_callback(
                    lambda task: _report(task, done))

        try:
            self._hub.loop.call_soon_threadsafe(start)
        except RuntimeError:  # the loop is closed: the gateway is stopping
            return
        while not self._stopped.is_set():
            try:
                done.result(0.5)
                return
            except concurrent.futures.TimeoutError:
                continue
            except Exception as exc:  # the loop is closing
                log(logger, logging.WARNING, "events.dispatch_failed", error=str(exc))
                return
        done.cancel()

    def follow(self, queue: str) -> concurrent.futures.Future[None]:
        subscription = self._subscription
        assert isinstance(subscription, Following)
        return subscription.follow(queue)

    def unfollow(self, queue: str) -> None:
        subscription = self._subscription
        assert isinstance(subscription, Following)
        subscription.unfollow(queue)

    def _renew(self) -> None:
        with contextlib.suppress(Exception):
            self._subscription.close()
        # A subscription that breaks again at once (a cluster's master is down until its replica takes over) is
        # renewed once a pause, not in a busy loop.
        self._stopped.wait(self._renewed_at + _RESUBSCRIBE_PAUSE_S - time.monotonic())
        self._renewed_at = time.monotonic()
        while not self._stopped.is_set():
            try:
                self._subscription = self._hub.store.subscribe([])
            except Exception as exc:  # the store is down: watchers see it through their own calls
                log(logger, logging.WARNING, "events.resubscribe_failed", error=str(exc))
                self._stopped.wait(_RESUBSCRIBE_PAUSE_S)
                continue
            self._hub.loop.call_soon_threadsafe(self._hub.resubscribed)
            return

    def stop(self) -> None:
        self._stopped.set()

    def join(self, timeout_s: float) -> None:
        self._thread.join(timeout_s)


class EventHub:
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self.store = gateway.store
        self._watchers: dict[str, set[Watcher]] = {}
        self._per_caller: collections.Counter[str] = collections.Counter()
        self._counted = 0
        self._feed: _Feed | None = None
        self._follows: dict[str, asyncio.Future[None]] = {}  # queue -> its follow (Following subscriptions)
        self._resubscribing: set[asyncio.Task[None]] = set()  # strong references until done
        self._lock = asyncio.Lock()
        self.loop = asyncio.get_running_loop()

    @property
    def open_watches(self) -> int:
        """Watch, Submit and dashboard task streams open (the gateway's own watches not counted)."""
        return self._counted

    def _admit(self, key: str, queue: str) -> None:
        settings = self._gateway.settings
        if self._counted >= settings.max_watches:
            raise LimitExceeded(f"the gateway has {self._counted} watches open, its limit; retry later",
                                op="watch", queue=queue)
        if self._per_caller[key] >= settings.max_watches_per_caller:
            raise LimitExceeded(f"this caller has {self._per_caller[key]} watches open, the limit per caller; "
                                "close some, or watch several tasks in one Watch", op="watch", queue=queue)

    @contextlib.asynccontextmanager
    async def watching(self, queue: str, task_ids: Iterable[str] | None, progress: bool,
                       caller_key: str | None = None) -> AsyncIterator[Watcher]:
        """Watch ``queue``; ``caller_key`` counts the watch against the limits (None: the gateway's own)."""
        if caller_key is not None:
            self._admit(caller_key, queue)
        async with self._lock:
            if self._feed is None:
                self._feed = _Feed(self, await self._gateway.call(self.store.subscribe, []))
        watcher = Watcher(queue, task_ids, progress, self._gateway.settings.watch_buffer_bytes)
        watchers = self._watchers.setdefault(queue, set())
        watchers.add(watcher)
        if caller_key is not None:
            self._per_caller[caller_key] += 1
            self._counted += 1
        try:
            await self._follow(queue)
            yield watcher
        finally:
            watchers.discard(watcher)
            if not watchers and self._watchers.get(queue) is watchers:
                del self._watchers[queue]
                if self._follows.pop(queue, None) is not None and self._feed is not None:
                    self._feed.unfollow(queue)
            if caller_key is not None:
                self._counted -= 1
                self._per_caller[caller_key] -= 1
                if not self._per_caller[caller_key]:
                    del self._per_caller[caller_key]

    async def _follow(self, queue: str) -> None:
        """Have the subscription carry ``queue`` before the watcher reads or pushes anything (Following only).

        A follow fails when the subscription breaks first; the feed opens a new one meanwhile and follows every
        watched queue on it (``resubscribed``), so the watcher waits for that follow, a few times at most."""
        for attempt in range(_FOLLOW_ATTEMPTS):
            feed = self._feed
            if feed is None or not feed.following:
                return
            future = self._follows.get(queue)
            if future is None:
                future = self._follows[queue] = _wrap(feed.follow(queue))
            try:
                await asyncio.shield(future)
                return
            except StoreUnavailable:
                if self._follows.get(queue) is future:
                    del self._follows[queue]
                if attempt == _FOLLOW_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(_RESUBSCRIBE_PAUSE_S)

    def resubscribed(self) -> None:
        """The feed has a new subscription: follow every watched queue on it, then have every watcher re-read its
        tasks (events published while there was none are lost).  Should a follow fail, the subscription broke
        again, and its renewal resyncs."""
        feed = self._feed
        if feed is None or not feed.following:
            self.resync_all()
            return
        for queue in self._watchers:
            self._follows[queue] = _wrap(feed.follow(queue))
        follows = list(self._follows.values())

        async def then_resync() -> None:
            if all(r is None for r in await asyncio.gather(*follows, return_exceptions=True)):
                log(logger, logging.INFO, "events.resubscribed", queues=len(follows))
                self.resync_all()

        task = self.loop.create_task(then_resync())
        self._resubscribing.add(task)
        task.add_done_callback(self._resubscribing.discard)

    async def dispatch(self, events: list[TaskEvent]) -> None:
        watchers = self._watchers
        for event in events:
            for watcher in watchers.get(event.queue, ()):
                watcher.offer(event)

    def resync_all(self) -> None:
        for watchers in self._watchers.values():
            for watcher in watchers:
                watcher.resync()

    async def _finished(self, queue: str, task_ids: Sequence[str]) -> AsyncIterator[tuple[TaskEvent, Any]]:
        """(event, result) for each of ``task_ids`` the store holds as terminal, read in batches, a few at once."""
        step = _READ_BATCH * _READ_PARALLEL
        for start in range(0, len(task_ids), step):
            batches = [task_ids[i:i + _READ_BATCH] for i in range(start, min(start + step, len(task_ids)), _READ_BATCH)]
            for infos in await asyncio.gather(*(self._gateway.call(self._states, queue, b) for b in batches)):
                for info in infos:
                    if info.state in TERMINAL_STATES and info.result is not None:
                        yield TaskEvent(queue, info.task_id, EventKind(info.state.value),
                                        info.result.finished_at), info.result

    def _states(self, queue: str, task_ids: Sequence[str]) -> list[TaskInfo]:
        return [self.store.get(queue, task_id) for task_id in task_ids]

    async def until_done(self, queue: str, watcher: Watcher, pending: set[str] | None, *,
                         pushed_after: bool = False, created: bool = False) -> AsyncIterator[tuple[TaskEvent, Any]]:
        """Yield (event, result-or-None) until every id in ``pending`` is terminal (forever when None).

        A task the store already holds as terminal finished before the subscription began (Watch): it is
        reported from the store at once. One pushed after the watcher subscribed (``pushed_after``, Submit)
        may already be done too, with its events still on their way: those are awaited for ``_IN_FLIGHT_S``,
        so that they come in order, before it is reported from the store. One that the push ``created`` (not
        an earlier task its id or key matched) cannot have ended before the subscription: the store is not
        read first, a round trip saved on every Submit."""
        known: dict[str, tuple[TaskEvent, Any]] = {}
        if pending is not None and not created:
            async for found in self._finished(queue, sorted(pending)):
                if pushed_after:
                    known[found[0].task_id] = found
                else:
                    pending.discard(found[0].task_id)
                    yield found
        loop = asyncio.get_running_loop()
        give_up = loop.time() + _IN_FLIGHT_S
        while pending is None or pending:
            try:
                event = await (asyncio.wait_for(watcher.next(), max(give_up - loop.time(), 0.0)) if known
                               else watcher.next())
            except TimeoutError:  # their events are not coming: report them from the store
                for task_id, found in known.items():
                    if pending is not None:
                        pending.discard(task_id)
                    yield found
                known.clear()
                continue
            if event is None:  # events may have been lost: what ended meanwhile is read from the store
                if pending:
                    async for found in self._finished(queue, sorted(pending)):
                        pending.discard(found[0].task_id)
                        known.pop(found[0].task_id, None)
                        yield found
                continue
            if event.kind is EventKind.CANCEL_REQUESTED:
                continue  # a message for workers, not producers
            if pending is not None and event.task_id not in pending:
                continue  # already reported from the store
            result = None
            if event.kind in TERMINAL_KINDS:
                result = known.pop(event.task_id)[1] if event.task_id in known else None
                if result is None:
                    with contextlib.suppress(Exception):
                        result = (await self._gateway.call(self.store.get, queue, event.task_id)).result
                if pending is not None:
                    pending.discard(event.task_id)
            yield event, result

    def close(self) -> None:
        """Stop the feed and wait for its thread, so that no thread reads the store after it closes."""
        if self._feed is not None:
            self._feed.stop()
            self._feed.join(2.0)
            self._feed = None
