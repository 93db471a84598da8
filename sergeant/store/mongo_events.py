"""Task events and lease wake-ups for MongoStore.

How waiting works (``Subscription.get`` and the blocking ``lease``):

* **Change streams** when the server has them (replica sets, sharded clusters,
  SecantusDB).  A subscription watches inserts into the events collection; a
  blocking lease watches its queue's slice of the tasks collection for inserts
  and for updates that set ``state`` back to queued.  The server answers a
  getMore as soon as a change commits, so a waiter wakes at once; each getMore
  waits at most ``AWAIT_MS``, which only bounds how late a timeout returns.
* **An adaptive poll** otherwise (a standalone mongod refuses ``$changeStream``):
  a few milliseconds, doubling to ``POLL_MAX_S``, reset whenever something
  arrives.  So that pollers can tell what they have not seen, each event
  document then carries ``s``, a per-queue sequence number from a ``$inc`` on a
  counters collection; a number allocated but not yet visible (a concurrent
  publisher between its ``$inc`` and its insert) is waited for up to
  ``GAP_GRACE_S`` and then given up (its publisher died).

Tailable cursors on a capped collection were the other candidate and were left
out: a tailable cursor cannot use an index, so a subscription that starts at the
newest event must scan the whole capped collection first, and a capped
collection cannot carry the TTL index that bounds the events collection here.

An events document holds every event of one queue from one ``publish`` call
(a lease of 1,000 tasks writes one document, not 1,000), so one change
delivers the whole batch.  Events are a live feed, not history: documents are
garbage-collected by a TTL index an hour after they were written.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast

from pymongo import IndexModel, ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import ConnectionFailure, OperationFailure

from sergeant.errors import StoreUnavailable
from sergeant.store.base import Subscription
from sergeant.store.records import pack_event, unpack_event
from sergeant.task import TaskEvent

Doc = dict[str, Any]

AWAIT_MS = 100
POLL_FIRST_S = 0.005
POLL_MAX_S = 0.05
GAP_GRACE_S = 2.0
EVENT_RETENTION = timedelta(hours=1)
EVENTS_PER_DOC = 1_000  # keeps a document far below the 16 MiB BSON limit
QUEUED = "queued"


@contextlib.contextmanager
def unavailable(op: str, queue: str = "") -> Iterator[None]:
    """Turn the driver's "cannot reach the server" family into StoreUnavailable."""
    try:
        yield
    except ConnectionFailure as exc:  # AutoReconnect, NotPrimaryError, NetworkTimeout, ServerSelectionTimeout
        raise StoreUnavailable(f"MongoDB is unreachable: {exc}", op=op, queue=queue) from exc


class Waker(Protocol):
    """What a blocking lease sleeps on between attempts."""

    def wait(self, timeout_s: float) -> None: ...

    def close(self) -> None: ...


class EventBus:
    def __init__(self, events: Collection[Doc], counters: Collection[Doc], tasks: Collection[Doc]) -> None:
        self._events = events
        self._counters = counters
        self._tasks = tasks
        self._streams: bool | None = None

    def ensure_indexes(self) -> None:
        self._events.create_indexes([
            IndexModel("gc_at", expireAfterSeconds=0),
            IndexModel([("q", 1), ("s", 1)]),
        ])

    def streams(self) -> bool:
        """Whether the server offers change streams; asked once, by trying one."""
        if self._streams is None:
            try:
                self._events.watch(max_await_time_ms=1).close()
                self._streams = True
            except OperationFailure:  # 40573: "only supported on replica sets"
                self._streams = False
        return self._streams

    def publish(self, events: Sequence[TaskEvent]) -> None:
        by_queue: dict[str, list[bytes]] = {}
        for event in events:
            by_queue.setdefault(event.queue, []).append(pack_event(event))
        gc_at = datetime.now(UTC) + EVENT_RETENTION
        docs = [
            {"q": queue, "e": packed[i:i + EVENTS_PER_DOC], "gc_at": gc_at}
            for queue, packed in by_queue.items()
            for i in range(0, len(packed), EVENTS_PER_DOC)
        ]
        if not docs:
            return
        if not self.streams():
            for doc in docs:
                counter = self._counters.find_one_and_update(
                    {"_id": f"events|{doc['q']}"}, {"$inc": {"n": 1}},
                    upsert=True, return_document=ReturnDocument.AFTER,
                )
                doc["s"] = cast(Doc, counter)["n"]  # an upsert returning AFTER always has a document
        self._events.insert_many(docs, ordered=False)

    def subscribe(self, queues: Sequence[str]) -> Subscription:
        if self.streams():
            return _StreamSubscription(self._events, queues)
        return _PollSubscription(self._events, self._counters, queues)

    def waker(self, queue: str, until_due: Callable[[], float]) -> Waker:
        """``until_due`` says how long until a delayed task of ``queue`` becomes ready."""
        if self.streams():
            return _StreamWaker(self._tasks, queue, until_due)
        return _PollWaker()


class _StreamSubscription:
    def __init__(self, events: Collection[Doc], queues: Sequence[str]) -> None:
        match: Doc = {"operationType": "insert"}
        if queues:
            match["fullDocument.q"] = {"$in": list(queues)}
        self._stream = events.watch([{"$match": match}], max_await_time_ms=AWAIT_MS)

    def get(self, timeout_s: float) -> list[TaskEvent]:
        deadline = time.monotonic() + timeout_s
        while True:
            with unavailable("subscription.get"):
                change = self._stream.try_next()
            if change is not None:
                return [unpack_event(raw) for raw in change["fullDocument"]["e"]]
            if time.monotonic() >= deadline:
                return []

    def close(self) -> None:
        self._stream.close()


class _PollSubscription:
    def __init__(self, events: Collection[Doc], counters: Collection[Doc], queues: Sequence[str]) -> None:
        self._events = events
        self._every_queue = not queues
        # Start at the newest event: a queue's counter is the last number handed out.
        wanted: Doc = {"_id": {"$regex": "^events\\|"}} if self._every_queue else {
            "_id": {"$in": [f"events|{q}" for q in queues]}
        }
        self._marks: dict[str, int] = dict.fromkeys(queues, 0)
        for doc in counters.find(wanted):
            self._marks[doc["_id"].partition("|")[2]] = doc["n"]
        self._seen: dict[str, set[int]] = {}  # delivered numbers above a queue's mark
        self._gap_since: dict[str, float] = {}

    def get(self, timeout_s: float) -> list[TaskEvent]:
        deadline = time.monotonic() + timeout_s
        nap = POLL_FIRST_S
        while True:
            with unavailable("subscription.get"):
                found = self._poll()
            left = deadline - time.monotonic()
            if found or left <= 0:
                return found
            time.sleep(min(nap, left))
            nap = min(nap * 2, POLL_MAX_S)

    def _poll(self) -> list[TaskEvent]:
        clauses: list[Doc] = [{"q": q, "s": {"$gt": mark}} for q, mark in self._marks.items()]
        if self._every_queue:
            clauses.append({"q": {"$nin": list(self._marks)}})
        found: list[TaskEvent] = []
        for doc in self._events.find({"$or": clauses}, sort=[("s", 1)]):
            queue, number = doc["q"], doc["s"]
            seen = self._seen.setdefault(queue, set())
            if number in seen:
                continue
            seen.add(number)
            self._marks.setdefault(queue, 0)
            found.extend(unpack_event(raw) for raw in doc["e"])
        self._advance()
        return found

    def _advance(self) -> None:
        """Move each mark over the numbers seen contiguously; skip a gap that outlived its grace."""
        now = time.monotonic()
        for queue, seen in self._seen.items():
            mark = self._marks[queue]
            while seen:
                if mark + 1 not in seen:
                    if now - self._gap_since.setdefault(queue, now) < GAP_GRACE_S:
                        break
                    mark = min(seen) - 1
                mark += 1
                seen.discard(mark)
                self._gap_since.pop(queue, None)
            self._marks[queue] = mark

    def close(self) -> None:
        """A poll holds no server-side cursor between calls."""


class _StreamWaker:
    def __init__(self, tasks: Collection[Doc], queue: str, until_due: Callable[[], float]) -> None:
        # Task ids are "<queue>|<id>" and '}' follows '|', so this range is exactly the queue.
        mine = {"$gte": f"{queue}|", "$lt": f"{queue}}}"}
        match = {
            "documentKey._id": mine,
            "$or": [{"operationType": "insert"}, {"updateDescription.updatedFields.state": QUEUED}],
        }
        self._stream = tasks.watch([{"$match": match}], max_await_time_ms=AWAIT_MS)
        self._until_due = until_due

    def wait(self, timeout_s: float) -> None:
        end = time.monotonic() + min(timeout_s, self._until_due())
        while self._stream.try_next() is None and time.monotonic() < end:
            pass

    def close(self) -> None:
        self._stream.close()


class _PollWaker:
    def __init__(self) -> None:
        self._nap = POLL_FIRST_S

    def wait(self, timeout_s: float) -> None:
        time.sleep(max(min(self._nap, timeout_s), 0.0))
        self._nap = min(self._nap * 2, POLL_MAX_S)

    def close(self) -> None:
        """Sleeping holds nothing."""
