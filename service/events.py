"""The event hub: one store subscription per watched queue, fanned out to every watcher.

A subscription's blocking ``get`` runs in a thread of its own and hands events to
the asyncio loop; watchers are asyncio queues.  Subscribing happens before any
push or state read, so a watcher cannot miss an event that happens after it
asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Iterable
from typing import Any

from sergeant.logs import log
from sergeant.service.rpc import Gateway
from sergeant.store.base import Subscription
from sergeant.task import TERMINAL_STATES, EventKind, TaskEvent, TaskResult

logger = logging.getLogger("sergeant.gateway.events")
FEED_IDLE_S = 30.0
TERMINAL_KINDS = frozenset({EventKind.SUCCEEDED, EventKind.DEAD, EventKind.CANCELLED})
_IN_FLIGHT_S = 1.0  # how long a task found terminal in the store waits for its events still on their way


class Watcher:
    def __init__(self, task_ids: Iterable[str] | None, progress: bool) -> None:
        self.task_ids = set(task_ids) if task_ids is not None else None
        self.progress = progress
        self.queue: asyncio.Queue[TaskEvent] = asyncio.Queue()

    def wants(self, event: TaskEvent) -> bool:
        if event.kind is EventKind.PROGRESS and not self.progress:
            return False
        return self.task_ids is None or event.task_id in self.task_ids


class _Feed:
    """One queue's subscription and the thread that reads it."""

    def __init__(self, hub: EventHub, queue: str, subscription: Subscription) -> None:
        self.watchers: set[Watcher] = set()
        self._hub = hub
        self._queue = queue
        self._subscription = subscription
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"events-{queue}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                events = self._subscription.get(0.5)
            except Exception as exc:  # the store went away: watchers see it through their own calls
                log(logger, logging.WARNING, "events.subscription_failed", queue=self._queue, error=str(exc))
                self._stopped.wait(1.0)
                continue
            if events:
                self._hub.loop.call_soon_threadsafe(self._dispatch, events)
        self._subscription.close()

    def _dispatch(self, events: list[TaskEvent]) -> None:
        for event in events:
            for watcher in self.watchers:
                if watcher.wants(event):
                    watcher.queue.put_nowait(event)

    def stop(self) -> None:
        self._stopped.set()

    def alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout_s: float) -> None:
        self._thread.join(timeout_s)


class EventHub:
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self._feeds: dict[str, _Feed] = {}
        self._retired: list[_Feed] = []  # stopped feeds whose thread may still be finishing a read
        self._lock = asyncio.Lock()
        self.loop = asyncio.get_running_loop()

    @contextlib.asynccontextmanager
    async def watching(self, queue: str, task_ids: Iterable[str] | None, progress: bool) -> AsyncIterator[Watcher]:
        watcher = Watcher(task_ids, progress)
        async with self._lock:
            feed = self._feeds.get(queue)
            if feed is None:
                subscription = await self._gateway.call(self._gateway.store.subscribe, [queue])
                feed = self._feeds[queue] = _Feed(self, queue, subscription)
            feed.watchers.add(watcher)
        try:
            yield watcher
        finally:
            feed.watchers.discard(watcher)
            if not feed.watchers:
                # Keep an idle feed a while: producers that submit one task after another reuse it.
                self.loop.call_later(FEED_IDLE_S, self._retire_if_idle, queue, feed)

    def _retire_if_idle(self, queue: str, feed: _Feed) -> None:
        if not feed.watchers and self._feeds.get(queue) is feed:
            del self._feeds[queue]
            feed.stop()
            self._retired = [f for f in self._retired if f.alive()]
            self._retired.append(feed)

    async def until_done(self, queue: str, watcher: Watcher, pending: set[str] | None) -> AsyncIterator[tuple[TaskEvent, Any]]:
        """Yield (event, result-or-None) until every id in ``pending`` is terminal (forever when None).

        A task the store already holds as terminal may have finished before the subscription began, or just
        after, with its events still on their way: its events are awaited for ``_IN_FLIGHT_S`` so that they
        come in order, and only then is it reported from the store."""
        known: dict[str, TaskResult] = {}
        if pending is not None:
            for task_id in list(pending):
                info = await self._gateway.call(self._gateway.store.get, queue, task_id)
                if info.state in TERMINAL_STATES and info.result is not None:
                    known[task_id] = info.result
        loop = asyncio.get_running_loop()
        give_up = loop.time() + _IN_FLIGHT_S
        while pending is None or pending:
            try:
                if known:
                    event = await asyncio.wait_for(watcher.queue.get(), max(give_up - loop.time(), 0.0))
                else:
                    event = await watcher.queue.get()
            except TimeoutError:  # their events are not coming: they finished before the subscription
                for task_id, finished in known.items():
                    if pending is not None:
                        pending.discard(task_id)
                    yield TaskEvent(queue, task_id, EventKind(finished.state.value), finished.finished_at), finished
                known.clear()
                continue
            if event.kind is EventKind.CANCEL_REQUESTED:
                continue  # a message for workers, not producers
            if pending is not None and event.task_id not in pending:
                continue  # not watched, or already reported
            result: TaskResult | None = None
            if event.kind in TERMINAL_KINDS:
                result = known.pop(event.task_id, None)
                if result is None:
                    with contextlib.suppress(Exception):
                        result = (await self._gateway.call(self._gateway.store.get, queue, event.task_id)).result
                if pending is not None:
                    pending.discard(event.task_id)
            yield event, result

    def close(self) -> None:
        """Stop every feed and wait for its thread, so that no thread reads the store after it closes."""
        feeds = [*self._feeds.values(), *self._retired]
        for feed in feeds:
            feed.stop()
        for feed in feeds:
            feed.join(2.0)
        self._feeds.clear()
        self._retired.clear()
