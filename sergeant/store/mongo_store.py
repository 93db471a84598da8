"""The MongoDB backend: one document per task, every transition a single-document write.

Collections are ``<key_prefix>.<name>``.  ``tasks`` has ``_id = "<queue>|<task id>"``
and ``state`` queued, leased, succeeded, dead or cancelled.  A queued task is
ready once ``due <= now`` (no promotion step) and is leased in ``(priority desc,
due, seq)`` order: ``due`` is its push time, ``not_before`` or the end of a
backoff; ``seq``, an ObjectId, breaks ties in push order.  A release keeps both,
so the task returns to the head of its queue in its original order.  The
envelope (``env``) lives there while queued, leased or dead, and the result
(``result``, ``error``, ``finished_at``, ``expires_at``) on the same document:
ack, fail and cancel are then atomic without transactions, which a standalone
server lacks.  Also: ``idempotency`` (``"<queue>|<key>"`` -> task id),
``queues`` (paused flags), ``locks``, ``kv``, ``workers``, and the events of
``mongo_events``.

Expiry is an ``expires_at`` on the injected clock that queries check;
``gc_at``, the same instant as a BSON date, only feeds TTL indexes.

A lease reads candidates in index order and claims each with an update guarded
by its state, due time and attempt (one ``bulk_write``), so racing consumers
never share a task.  Outcomes are one unordered ``bulk_write`` of updates
guarded by the lease id, each stamping ``op`` with a per-call ObjectId: that is
how a call learns which of its updates applied when some did not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Concatenate, ParamSpec, TypeVar

from bson import ObjectId
from pymongo import IndexModel, MongoClient, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, InvalidOperation, PyMongoError

from sergeant.errors import StoreUnavailable, TaskNotFound
from sergeant.store import base
from sergeant.store.base import (
    Ack,
    CancelOutcome,
    Clock,
    DeadLetter,
    Disposition,
    Failure,
    PackedBatch,
    PushResult,
    QueueCounts,
    Release,
    Settlement,
    StoreSettings,
    Subscription,
    WorkerRecord,
    check_tasks,
    new_lease_id,
    queue_full,
    retry_delay_s,
)
from sergeant.store.mongo_events import QUEUED, Doc, EventBus, unavailable
from sergeant.store.records import pack_error, pack_task, unpack_error, unpack_task
from sergeant.task import (
    TERMINAL_STATES,
    EventKind,
    Priority,
    Task,
    TaskError,
    TaskEvent,
    TaskInfo,
    TaskResult,
    TaskState,
    validate_queue_name,
    validate_task_id,
)

LEASED = "leased"
DEAD = TaskState.DEAD.value
SUCCEEDED = TaskState.SUCCEEDED.value
CANCELLED = TaskState.CANCELLED.value

LEASE_ORDER = [("priority", -1), ("due", 1), ("seq", 1)]
PRIORITIES = [int(p) for p in Priority]  # lets the planner merge index ranges to sort by due alone
NO_ENVELOPE = {"env": 0}
CLAIM_ROUNDS = 4  # a consumer that loses a race re-queries this many times before settling for less
BATCH = 1_000  # reclaim and release_owner work through this many leases per round trip
NAP_S = 1.0  # a blocking lease re-checks at least this often (a resumed queue sends no change)
DUPLICATE_KEY = 11000

P = ParamSpec("P")
R = TypeVar("R")


def _guarded(fn: Callable[Concatenate[MongoStore, P], R]) -> Callable[Concatenate[MongoStore, P], R]:
    """Report connection failures as StoreUnavailable naming the operation (and its queue argument)."""
    takes_queue = fn.__code__.co_varnames[1:2] == ("queue",)

    def run(store: MongoStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        queue = str(args[0]) if takes_queue and args else ""
        if store._closed:
            raise StoreUnavailable("the store is closed", op=fn.__name__, queue=queue)
        try:
            with unavailable(fn.__name__, queue):
                return fn(store, *args, **kwargs)
        except InvalidOperation as exc:  # "Cannot use MongoClient after close", from a call already running
            if not store._closed:
                raise
            raise StoreUnavailable("the store is closed", op=fn.__name__, queue=queue) from exc

    return run


def _expiry(at: float) -> Doc:
    return {"expires_at": at, "gc_at": datetime.fromtimestamp(at, UTC)}


def _key(queue: str, task_id: str) -> str:
    return f"{queue}|{task_id}"


def _task_id(key: str) -> str:
    return key.partition("|")[2]


def _task(doc: Doc) -> Task:
    task = unpack_task(doc["env"], attempt=doc["attempt"])
    task.lease_id = doc.get("lease_id", "")
    task.lease_deadline = doc.get("lease_deadline", 0.0)
    return task


def _unless_dup_keys(exc: BulkWriteError) -> list[int]:
    """Indexes of the operations refused as duplicate keys; anything else is re-raised."""
    errors = exc.details["writeErrors"]
    if exc.details.get("writeConcernErrors") or any(e["code"] != DUPLICATE_KEY for e in errors):
        raise exc
    return [e["index"] for e in errors]


_FAIL_FAST: Doc = {
    # An outage must answer UNAVAILABLE within a client's deadline (often 1-5 s), not hit it: a call
    # waits at most this long for a server, and a new connection this long to open.
    "serverSelectionTimeoutMS": 1_000,
    "connectTimeoutMS": 1_000,
    # The monitor notices a dead (or returning) server this fast; 500 ms is the driver's minimum.
    "heartbeatFrequencyMS": 500,
}


def _fail_fast(url: str) -> Doc:
    """The timeouts above, but for those the URL sets itself (its own wins)."""
    return {name: value for name, value in _FAIL_FAST.items() if name.lower() not in url.lower()}


class MongoStore:
    def __init__(self, url: str, settings: StoreSettings, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock or time.time
        self._closed = False
        self._client: MongoClient[Doc] = MongoClient(url, appname="sergeant", **_fail_fast(url))
        db = self._client.get_default_database("sergeant")
        prefix = settings.key_prefix
        self._tasks = db[f"{prefix}.tasks"]
        self._idem = db[f"{prefix}.idempotency"]
        self._queues = db[f"{prefix}.queues"]
        self._locks = db[f"{prefix}.locks"]
        self._kv = db[f"{prefix}.kv"]
        self._workers = db[f"{prefix}.workers"]
        self._bus = EventBus(db[f"{prefix}.events"], db[f"{prefix}.counters"], self._tasks)
        with unavailable("open"):
            self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        leased = {"partialFilterExpression": {"state": LEASED}}
        self._tasks.create_indexes([
            IndexModel([("queue", 1), ("state", 1), *LEASE_ORDER]),
            IndexModel("lease_id", **leased),
            IndexModel([("queue", 1), ("lease_deadline", 1)], **leased),
            IndexModel([("queue", 1), ("finished_at", 1), ("seq", 1)],
                       partialFilterExpression={"state": DEAD}),
            IndexModel("gc_at", expireAfterSeconds=0),
        ])
        for ttl in (self._idem, self._locks, self._kv, self._workers):
            ttl.create_index("gc_at", expireAfterSeconds=0)
        self._bus.ensure_indexes()

    # --- producing -----------------------------------------------------------

    @_guarded
    def push_packed(self, batch: PackedBatch, *, max_depth: int = 0) -> list[tuple[int, str]]:
        # As Task objects through push: this store has no layout of its own for batches.
        from sergeant.packed import push_as_tasks

        return push_as_tasks(self.push, batch, max_depth)

    @_guarded
    def push(self, tasks: Sequence[Task], *, max_depth: int = 0) -> list[PushResult]:
        check_tasks(tasks, self.settings, op="push")
        now = self._clock()
        first: dict[str, int] = {}  # idempotency id -> index of the first task of the batch carrying it
        for i, t in enumerate(tasks):
            if t.idempotency_key:
                first.setdefault(_key(t.queue, t.idempotency_key), i)
        taken = self._claim_keys({k: tasks[i].id for k, i in first.items()}, now)
        claimed = [k for k in first if k not in taken]
        results: list[PushResult] = []
        fresh: list[int] = []  # indexes of the tasks to insert
        for i, t in enumerate(tasks):
            k = _key(t.queue, t.idempotency_key) if t.idempotency_key else ""
            if not k or (first[k] == i and k not in taken):
                fresh.append(i)
                results.append(PushResult(t.id, True))
            else:
                results.append(PushResult(taken.get(k, tasks[first[k]].id), False))
        try:
            if max_depth > 0:
                self._check_depth([tasks[i] for i in fresh], max_depth)
            existing = self._insert([self._new_doc(tasks[i], now) for i in fresh])
        except BaseException:
            if claimed:
                # Best effort: the keys must not point at tasks that were never stored.
                with contextlib.suppress(PyMongoError):
                    self._idem.delete_many({"_id": {"$in": claimed}})
            raise
        for j in existing:  # a task id already stored is left as it is: the push was a retry
            results[fresh[j]] = PushResult(tasks[fresh[j]].id, False)
        return results

    def _new_doc(self, t: Task, now: float) -> Doc:
        return {
            "_id": _key(t.queue, t.id), "queue": t.queue, "state": QUEUED, "priority": int(t.priority),
            "due": max(t.not_before, now), "seq": ObjectId(), "attempt": t.attempt,
            "max_attempts": t.max_attempts, "env": pack_task(t),
        }

    def _claim_keys(self, wanted: dict[str, str], now: float) -> dict[str, str]:
        """Claim idempotency ids for their task ids; return those held by earlier pushes -> their task ids."""
        taken: dict[str, str] = {}
        expiry = _expiry(now + self.settings.idempotency_ttl_s)
        while wanted:
            order = list(wanted)
            ops = [UpdateOne({"_id": k, "expires_at": {"$lte": now}},
                             {"$set": {"task_id": wanted[k], **expiry}}, upsert=True) for k in order]
            try:
                self._idem.bulk_write(ops, ordered=False)
                break
            except BulkWriteError as exc:
                lost = [order[i] for i in _unless_dup_keys(exc)]
            # A live key made the upsert collide; one that expired since then is simply claimed again.
            taken.update((d["_id"], d["task_id"]) for d in self._idem.find({"_id": {"$in": lost}})
                         if d["expires_at"] > now)
            wanted = {k: wanted[k] for k in lost if k not in taken}
        return taken

    def _check_depth(self, fresh: Sequence[Task], max_depth: int) -> None:
        adding: dict[str, int] = {}
        for t in fresh:
            adding[t.queue] = adding.get(t.queue, 0) + 1
        depth = {d["_id"]: d["n"] for d in self._tasks.aggregate([
            {"$match": {"queue": {"$in": list(adding)}, "state": QUEUED}},
            {"$group": {"_id": "$queue", "n": {"$sum": 1}}},
        ])}
        for queue, n in adding.items():
            if depth.get(queue, 0) + n > max_depth:
                raise queue_full(queue, depth.get(queue, 0), n, max_depth, op="mongo.push")

    def _insert(self, docs: list[Doc]) -> list[int]:
        """Insert in order (consumers never see a later task first); return the positions already stored."""
        existing: list[int] = []
        start = 0
        while start < len(docs):
            try:
                self._tasks.insert_many(docs[start:], ordered=True)
                break
            except BulkWriteError as exc:
                [i] = _unless_dup_keys(exc)
                existing.append(start + i)
                start += i + 1
        return existing

    # --- consuming -----------------------------------------------------------

    @_guarded
    def lease(self, queue: str, count: int, lease_s: float, *, owner: str, wait_s: float = 0.0) -> list[Task]:
        validate_queue_name(queue, op="lease")
        leased = self._lease_now(queue, count, lease_s, owner)
        if leased or wait_s <= 0 or count < 1:
            return leased
        deadline = time.monotonic() + wait_s
        waker = self._bus.waker(queue, lambda: self._until_due(queue))
        try:
            while True:  # the first round runs with the waker open, so no push can slip between
                leased = self._lease_now(queue, count, lease_s, owner)
                left = deadline - time.monotonic()
                if leased or left <= 0:
                    return leased
                waker.wait(left)
        finally:
            waker.close()

    def _lease_now(self, queue: str, count: int, lease_s: float, owner: str) -> list[Task]:
        if count < 1 or self._queues.find_one({"_id": queue, "paused": True}, {"_id": 1}):
            return []
        now = self._clock()
        lease_id = new_lease_id(owner)
        ready = {"queue": queue, "state": QUEUED, "due": {"$lte": now}}
        take = {"$set": {"state": LEASED, "lease_id": lease_id, "lease_deadline": now + lease_s}}
        tried: dict[str, Doc] = {}
        claimed = lost = 0
        for _ in range(CLAIM_ROUNDS):
            # After losing n candidates to a competitor, skip the next n ready tasks: that competitor is
            # about to come back for them, and chasing the same head again would lose again.
            wanted = count - claimed  # as the batch size too: one round trip, not 101 documents and a getMore
            candidates = list(self._tasks.find(ready, sort=LEASE_ORDER, skip=lost, limit=wanted, batch_size=wanted))
            if not candidates and lost:  # skipped past the end: take the head after all
                lost = 0
                continue
            if not candidates:
                break
            # Matching the attempt too makes each candidate read exact once claimed. The _id implies the
            # queue; naming it as well makes SecantusDB walk the whole queue's index for every update.
            claims = [UpdateOne({"_id": c["_id"], "state": QUEUED, "due": {"$lte": now}, "attempt": c["attempt"]},
                                take) for c in candidates]
            won = self._tasks.bulk_write(claims, ordered=False).matched_count
            tried.update((c["_id"], c) for c in candidates)
            claimed += won
            if won == len(candidates) or claimed >= count:
                break
            lost += len(candidates) - won
        if claimed < len(tried):  # a racing consumer took some: keep only what this lease id holds
            mine = {d["_id"] for d in self._tasks.find({"state": LEASED, "lease_id": lease_id}, {"_id": 1})}
            tried = {k: d for k, d in tried.items() if k in mine}
        tasks: list[Task] = []
        for doc in sorted(tried.values(), key=lambda d: (-d["priority"], d["due"], d["seq"])):
            task = _task(doc)
            task.lease_id, task.lease_deadline, task.lease_position = lease_id, now + lease_s, len(tasks)
            tasks.append(task)
        self._bus.publish([TaskEvent(queue, t.id, EventKind.STARTED, now) for t in tasks])
        return tasks

    def _until_due(self, queue: str) -> float:
        now = self._clock()
        doc = self._tasks.find_one(
            {"queue": queue, "state": QUEUED, "priority": {"$in": PRIORITIES}, "due": {"$gt": now}},
            {"due": 1}, sort=[("due", 1)],
        )
        return NAP_S if doc is None else min(NAP_S, doc["due"] - now)

    @_guarded
    def extend(self, queue: str, task_ids: Sequence[str], lease_id: str, lease_s: float) -> list[str]:
        validate_queue_name(queue, op="extend")
        keys = {_key(queue, t): t for t in task_ids}
        deadline = {"$set": {"lease_deadline": self._clock() + lease_s}}
        still = self._write({k: (lease_id, deadline) for k in keys})
        return [t for k, t in keys.items() if k in still]

    @_guarded
    def ack(self, queue: str, acks: Sequence[Ack]) -> list[Disposition]:
        validate_queue_name(queue, op="ack")
        now = self._clock()
        plans: dict[str, tuple[str, Doc]] = {}
        for a in acks:
            finished = {"state": SUCCEEDED, "result": a.result} if a.cancelled is None else \
                {"state": CANCELLED, "error": pack_error(a.cancelled)}
            plans.setdefault(_key(queue, a.task_id), (a.lease_id, {
                "$set": {**finished, "finished_at": now, **_expiry(now + self.settings.result_ttl_s)},
                "$unset": {"env": "", "lease_id": "", "lease_deadline": ""},
            }))
        won = self._write(plans)
        events = {_key(queue, a.task_id): a.event for a in acks}
        self._bus.publish([TaskEvent(queue, _task_id(k), events[k], now) for k in won])
        return _dispositions([_key(queue, a.task_id) for a in acks], {k: Disposition.DONE for k in won})

    @_guarded
    def settle(self, queue: str, settlements: Sequence[Settlement]) -> list[bool]:
        validate_queue_name(queue, op="settle")
        now = self._clock()
        held: list[bool] = []
        for s in settlements:
            leased = [_task_id(d["_id"]) for d in self._tasks.find(
                {"state": LEASED, "lease_id": s.lease_id, "queue": queue}, {"_id": 1})]
            held.append(bool(leased))
            wanted = None if s.done is None else {task_id for _, task_id in s.done}
            done = [task_id for task_id in leased if wanted is None or task_id in wanted]
            kept = [task_id for task_id in done if task_id in s.results]
            plans = {_key(queue, task_id): (s.lease_id, {
                "$set": {"state": SUCCEEDED, "result": s.results[task_id].result, "finished_at": now,
                         **_expiry(now + self.settings.result_ttl_s)},
                "$unset": {"env": "", "lease_id": "", "lease_deadline": ""},
            }) for task_id in kept}
            self._write(plans)
            # A task that asked for no result leaves no record once done.
            dropped = [_key(queue, task_id) for task_id in done if task_id not in s.results]
            if dropped:
                self._tasks.delete_many({"_id": {"$in": dropped}, "state": LEASED, "lease_id": s.lease_id})
            self._bus.publish([TaskEvent(queue, task_id, EventKind.SUCCEEDED, now) for task_id in kept])
        return held

    @_guarded
    def fail(self, queue: str, failures: Sequence[Failure]) -> list[Disposition]:
        validate_queue_name(queue, op="fail")
        now = self._clock()

        def plan(doc: Doc, f: Failure) -> _Outcome:
            attempt = doc["attempt"] + 1
            delay = f.delay_s if f.delay_s is not None else retry_delay_s(attempt, self.settings)
            due = now + delay if f.retry else None
            return _outcome(doc, now, attempt, due, f.error, Disposition.RETRYING)

        return self._settle(queue, failures, plan)

    @_guarded
    def release(self, queue: str, releases: Sequence[Release]) -> list[Disposition]:
        validate_queue_name(queue, op="release")
        now = self._clock()
        given_back = TaskError("LeaseReleased", "the worker gave the task back")

        def plan(doc: Doc, r: Release) -> _Outcome:
            due = now + r.delay_s if r.delay_s > 0 else doc["due"]  # no delay: back to its old place
            return _outcome(doc, now, doc["attempt"] + r.count_attempt, due, given_back, Disposition.REQUEUED)

        return self._settle(queue, releases, plan)

    @_guarded
    def release_owner(self, owner: str, *, error: TaskError | None = None) -> int:
        # Lease ids are "<owner>/<suffix>": the range walks the lease_id index, the regex drops the
        # leases of other owners whose names merely start with "<owner>/".
        prefix = f"{owner}/"
        mine = {"$gte": prefix, "$lt": f"{owner}0", "$regex": f"^{re.escape(prefix)}[^/]*$"}
        return self._give_back({"state": LEASED, "lease_id": mine},
                               error or TaskError("WorkerLost", f"worker {owner} died holding the lease"))

    @_guarded
    def reclaim_expired(self, queue: str) -> int:
        validate_queue_name(queue, op="reclaim_expired")
        expired = {"queue": queue, "state": LEASED, "lease_deadline": {"$lt": self._clock()}}
        return self._give_back(expired, TaskError("LeaseExpired", "lease expired before the task finished"))

    def _settle(self, queue: str, items: Sequence[_Item],
                plan: Callable[[Doc, _Item], _Outcome]) -> list[Disposition]:
        keys = [_key(queue, item.task_id) for item in items]
        held = {d["_id"]: d for d in self._by_ids(keys, NO_ENVELOPE) if d["state"] == LEASED}
        plans: dict[str, tuple[str, Doc]] = {}
        outcomes: dict[str, _Outcome] = {}
        for key, item in zip(keys, items, strict=True):
            doc = held.get(key)
            if doc is not None and doc["lease_id"] == item.lease_id and key not in plans:
                outcomes[key] = plan(doc, item)
                plans[key] = (item.lease_id, outcomes[key][0])
        won = self._write(plans)
        self._bus.publish([event for k in won if (event := outcomes[k][2]) is not None])
        return _dispositions(keys, {k: outcomes[k][1] for k in won})

    def _give_back(self, query: Doc, error: TaskError) -> int:
        """Requeue at their old place (or bury) the leased tasks ``query`` matches, counting an attempt."""
        now = self._clock()
        total = 0
        while docs := list(self._tasks.find(query, NO_ENVELOPE, limit=BATCH)):
            outcomes = {d["_id"]: _outcome(d, now, d["attempt"] + 1, d["due"], error, Disposition.RETRYING)
                        for d in docs}
            won = self._write({d["_id"]: (d["lease_id"], outcomes[d["_id"]][0]) for d in docs})
            self._bus.publish([event for k in won if (event := outcomes[k][2]) is not None])
            total += len(won)
            if len(docs) < BATCH:
                break
        return total

    def _write(self, plans: dict[str, tuple[str, Doc]]) -> set[str]:
        """Apply ``{key: (lease id, update)}`` where that lease is still held; return the keys applied."""
        if not plans:
            return set()
        op = ObjectId()
        writes = [UpdateOne({"_id": key, "state": LEASED, "lease_id": lease_id},
                            {**update, "$set": {**update["$set"], "op": op}})
                  for key, (lease_id, update) in plans.items()]
        if self._tasks.bulk_write(writes, ordered=False).matched_count == len(writes):
            return set(plans)
        return {d["_id"] for d in self._by_ids(plans, {"op": 1}) if d.get("op") == op}

    def _by_ids(self, keys: Iterable[str], projection: Doc) -> Iterable[Doc]:
        # Only the _id condition: SecantusDB scans the collection when an $in on _id comes with others.
        return self._tasks.find({"_id": {"$in": list(keys)}}, projection)

    # --- reading and operating ---------------------------------------------

    @_guarded
    def get(self, queue: str, task_id: str) -> TaskInfo:
        validate_queue_name(queue, op="get")
        validate_task_id(task_id, op="get", queue=queue)
        now = self._clock()
        doc = self._tasks.find_one({"_id": _key(queue, task_id)})
        if doc is None or doc.get("expires_at", math.inf) <= now:
            raise TaskNotFound("no such task", op="get", queue=queue, task_id=task_id)
        state = {QUEUED: TaskState.SCHEDULED if doc["due"] > now else TaskState.PENDING,
                 LEASED: TaskState.ACTIVE}.get(doc["state"]) or TaskState(doc["state"])
        result = None
        if state in TERMINAL_STATES:
            result = TaskResult(state, doc.get("result"), unpack_error(doc.get("error")),
                                doc["finished_at"], doc["attempt"])
        return TaskInfo(queue, task_id, state, _task(doc) if "env" in doc else None, result)

    @_guarded
    def cancel(self, queue: str, task_id: str) -> CancelOutcome:
        validate_queue_name(queue, op="cancel")
        validate_task_id(task_id, op="cancel", queue=queue)
        key = _key(queue, task_id)
        while True:
            now = self._clock()
            cancelled = self._tasks.find_one_and_update(
                {"_id": key, "state": QUEUED},
                {"$set": {"state": CANCELLED, "finished_at": now,
                          **_expiry(now + self.settings.result_ttl_s)},
                 "$unset": {"env": ""}},
                {"_id": 1},
            )
            if cancelled is not None:
                self._bus.publish([TaskEvent(queue, task_id, EventKind.CANCELLED, now)])
                return CancelOutcome.CANCELLED
            doc = self._tasks.find_one({"_id": key}, {"state": 1, "expires_at": 1})
            if doc is None or doc.get("expires_at", math.inf) <= now:
                raise TaskNotFound("no such task", op="cancel", queue=queue, task_id=task_id)
            if doc["state"] == LEASED:
                self._bus.publish([TaskEvent(queue, task_id, EventKind.CANCEL_REQUESTED, now)])
                return CancelOutcome.RUNNING
            if doc["state"] != QUEUED:  # queued again: a lease was given back in between
                return CancelOutcome.FINISHED

    @_guarded
    def counts(self, queue: str) -> QueueCounts:
        validate_queue_name(queue, op="counts")
        now = self._clock()
        n: dict[tuple[str, bool], int] = {}
        for d in self._tasks.aggregate([
            {"$match": {"queue": queue, "state": {"$in": [QUEUED, LEASED, DEAD]}}},
            {"$group": {"_id": {"state": "$state", "later": {"$gt": ["$due", now]}}, "n": {"$sum": 1}}},
        ]):
            n[d["_id"]["state"], d["_id"]["later"]] = d["n"]

        def total(state: str) -> int:
            return n.get((state, False), 0) + n.get((state, True), 0)

        return QueueCounts(queue, ready=n.get((QUEUED, False), 0), delayed=n.get((QUEUED, True), 0),
                           leased=total(LEASED), dead=total(DEAD), paused=self._paused(queue))

    def _paused(self, queue: str) -> bool:
        return self._queues.find_one({"_id": queue, "paused": True}, {"_id": 1}) is not None

    @_guarded
    def queues(self) -> list[str]:
        paused_or_resumed = (d["_id"] for d in self._queues.find({}, {"_id": 1}))
        return sorted({*self._tasks.distinct("queue"), *paused_or_resumed})

    def forget_idle_queues(self, idle_s: float) -> list[str]:
        return []  # queues are listed from their tasks here: one with none is not listed, so none needs forgetting

    @_guarded
    def purge(self, queue: str) -> int:
        validate_queue_name(queue, op="purge")
        return self._tasks.delete_many({"queue": queue, "state": QUEUED}).deleted_count

    @_guarded
    def pause(self, queue: str) -> None:
        validate_queue_name(queue, op="pause")
        self._queues.update_one({"_id": queue}, {"$set": {"paused": True}}, upsert=True)

    @_guarded
    def resume(self, queue: str) -> None:
        validate_queue_name(queue, op="resume")
        self._queues.update_one({"_id": queue}, {"$set": {"paused": False}}, upsert=True)

    @_guarded
    def dead_letters(self, queue: str, *, limit: int = 100, offset: int = 0) -> list[DeadLetter]:
        validate_queue_name(queue, op="dead_letters")
        if limit < 1:
            return []
        docs = self._tasks.find({"queue": queue, "state": DEAD}, sort=[("finished_at", 1), ("seq", 1)],
                                skip=offset, limit=limit)
        return [DeadLetter(_task(d), unpack_error(d.get("error")), d["finished_at"]) for d in docs]

    @_guarded
    def replay_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        update = {"$set": {"state": QUEUED, "attempt": 0, "due": self._clock()},
                  "$unset": {"error": "", "finished_at": ""}}
        return self._tasks.update_many(self._dead(queue, task_ids), update).modified_count

    @_guarded
    def purge_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        return self._tasks.delete_many(self._dead(queue, task_ids)).deleted_count

    def _dead(self, queue: str, task_ids: Sequence[str]) -> Doc:
        validate_queue_name(queue, op="dead_letters")
        query: Doc = {"queue": queue, "state": DEAD}
        if task_ids:
            query["_id"] = {"$in": [_key(queue, t) for t in task_ids]}
        return query

    # --- events ---------------------------------------------------------------

    @_guarded
    def publish(self, events: Sequence[TaskEvent]) -> None:
        self._bus.publish(events)

    @_guarded
    def subscribe(self, queues: Sequence[str]) -> Subscription:
        for queue in queues:
            validate_queue_name(queue, op="subscribe")
        return self._bus.subscribe(queues)

    # --- workers registry -------------------------------------------------------

    @_guarded
    def heartbeat_worker(self, record: WorkerRecord, ttl_s: float) -> None:
        doc = {**dataclasses.asdict(record), **_expiry(self._clock() + ttl_s)}
        self._workers.replace_one({"_id": record.worker_id}, doc, upsert=True)

    @_guarded
    def remove_worker(self, worker_id: str) -> None:
        self._workers.delete_one({"_id": worker_id})

    @_guarded
    def workers(self) -> list[WorkerRecord]:
        docs = self._workers.find({"expires_at": {"$gt": self._clock()}},
                                  {"_id": 0, "expires_at": 0, "gc_at": 0}, sort=[("_id", 1)])
        return [WorkerRecord(**{**d, "current_tasks": tuple(d["current_tasks"])}) for d in docs]

    # --- locks and key/value ------------------------------------------------------

    @_guarded
    def acquire_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        now = self._clock()
        try:
            self._locks.update_one(
                {"_id": name, "$or": [{"owner": owner}, {"expires_at": {"$lte": now}}]},
                {"$set": {"owner": owner, **_expiry(now + ttl_s)}}, upsert=True,
            )
        except DuplicateKeyError:  # held by someone else: the upsert collided with their document
            return False
        return True

    @_guarded
    def release_lock(self, name: str, owner: str) -> bool:
        held = {"_id": name, "owner": owner, "expires_at": {"$gt": self._clock()}}
        return self._locks.delete_one(held).deleted_count == 1

    @_guarded
    def extend_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        now = self._clock()
        held = {"_id": name, "owner": owner, "expires_at": {"$gt": now}}
        return self._locks.update_one(held, {"$set": _expiry(now + ttl_s)}).matched_count == 1

    @_guarded
    def lock_ttl(self, name: str) -> float | None:
        now = self._clock()
        doc = self._locks.find_one({"_id": name, "expires_at": {"$gt": now}})
        return None if doc is None else float(doc["expires_at"]) - now

    @_guarded
    def set_key(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        expiry = _expiry(self._clock() + ttl_s) if ttl_s is not None else {"expires_at": None}
        self._kv.replace_one({"_id": key}, {"v": value, **expiry}, upsert=True)

    @_guarded
    def get_key(self, key: str) -> bytes | None:
        doc = self._kv.find_one({"_id": key, **self._live()})
        return None if doc is None else bytes(doc["v"])

    @_guarded
    def delete_key(self, key: str) -> bool:
        return self._kv.delete_one({"_id": key, **self._live()}).deleted_count == 1

    def _live(self) -> Doc:
        return {"$or": [{"expires_at": None}, {"expires_at": {"$gt": self._clock()}}]}

    # --- lifecycle ------------------------------------------------------------

    def identity(self) -> base.StoreIdentity:
        seeds = self._client.topology_description.server_descriptions()
        hosts = ",".join(sorted(f"{host}:{port}" for host, port in seeds))
        return base.StoreIdentity("mongodb", f"{hosts}/{self._tasks.database.name}", self.settings.key_prefix)

    @_guarded
    def ping(self) -> None:
        self._client.admin.command("ping")

    def close(self) -> None:
        self._closed = True
        self._client.close()


_Item = TypeVar("_Item", Failure, Release)
_Outcome = tuple[Doc, Disposition, TaskEvent | None]


def _outcome(doc: Doc, now: float, attempt: int, due: float | None, error: TaskError,
             requeued: Disposition) -> _Outcome:
    """Requeue a leased task at ``due``, or bury it when ``due`` is None or a counted attempt was its last."""
    unset = {"lease_id": "", "lease_deadline": ""}
    counted = attempt > doc["attempt"]
    event_of = functools.partial(TaskEvent, doc["queue"], _task_id(doc["_id"]), at=now, message=error.message)
    if due is None or (counted and attempt >= doc["max_attempts"]):
        dead = {"state": DEAD, "attempt": attempt, "error": pack_error(error), "finished_at": now}
        return {"$set": dead, "$unset": unset}, Disposition.DEAD, event_of(EventKind.DEAD)
    update = {"$set": {"state": QUEUED, "attempt": attempt, "due": due}, "$unset": unset}
    return update, requeued, event_of(EventKind.RETRYING) if counted else None


def _dispositions(keys: Iterable[str], won: dict[str, Disposition]) -> list[Disposition]:
    """One disposition per request; a task id repeated within a call gets LEASE_LOST after its first."""
    first: set[str] = set()
    out = []
    for key in keys:
        out.append(won[key] if key in won and key not in first else Disposition.LEASE_LOST)
        first.add(key)
    return out
