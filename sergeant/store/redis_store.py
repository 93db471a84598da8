"""The Redis store: the throughput backend.

Layout: ``sergeant.store.redis_keys``.  Batches rest and lease as batches: a
pushed run of tasks is one list element (a piece, ``sergeant/store/pieces.py``),
a lease takes pieces whole (or splits one) under one deadline, and a settlement
finishes a whole lease, or the part of it done so far.  A task that wants a
result also has a state in the queue's index, so that GetTask, Watch and Cancel
can follow it; one that does not leaves no record once done.  Every state change
is one Lua script in ``sergeant/store/lua/`` named after its transition; the rare
paths that move single tasks out of a lease are planned in ``redis_moves``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.resources
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import redis
from redis.commands.core import Script

from sergeant.errors import InvalidArgument, StoreUnavailable, TaskNotFound
from sergeant.store import base, pieces
from sergeant.store import redis_keys as keys
from sergeant.store import redis_moves as moves
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
    WorkerRecord,
    check_tasks,
    lease_owner,
    new_lease_id,
    queue_full,
    retry_delay_s,
)
from sergeant.store.records import (
    kwargs_bytes,
    pack_event,
    pack_result,
    pack_worker,
    unpack_result,
    unpack_task,
    unpack_worker,
)
from sergeant.store.redis_connect import connect
from sergeant.store.redis_events import RedisSubscription
from sergeant.store.redis_push import PushPlan, Route, index_entry, read_entry
from sergeant.store.redis_shards import ShardedSubscription
from sergeant.task import (
    DEFAULT_MAX_ATTEMPTS,
    TASK_ID_PATTERN,
    EventKind,
    Task,
    TaskError,
    TaskEvent,
    TaskInfo,
    TaskResult,
    TaskState,
    validate_queue_name,
    validate_task_id,
)

MAX_LEASE_BATCH = 4_000  # bounded by the Lua stack that unpack() uses
_LEASE_EXPIRED = TaskError("LeaseExpired", "lease expired before the task was acked or failed")
_WORKER_DIED = TaskError("WorkerDied", "the worker holding the lease died")
# A cluster mid-failover answers CLUSTERDOWN / TRYAGAIN, or its client runs out of nodes to ask: unavailable too.
_REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, OSError,
               redis.exceptions.ClusterError, redis.exceptions.TryAgainError, redis.exceptions.RedisClusterException)
_ANNOUNCE_S = 60.0  # how often a pushing process adds its queue to the queue set again
_MOVE_ATTEMPTS = 10  # re-reads of a lease whose done-set changed while a move was planned
_INDEX_STATES = {b"p": TaskState.PENDING, b"s": TaskState.SCHEDULED, b"a": TaskState.ACTIVE}


@functools.cache
def _script_source(name: str, *, cluster: bool) -> str:
    """A script's text; on a cluster its events go by sharded pub/sub (``sergeant.store.redis_shards``)."""
    source = (importlib.resources.files("sergeant.store") / "lua" / f"{name}.lua").read_text()
    return source.replace("redis.call('PUBLISH'", "redis.call('SPUBLISH'") if cluster else source


def _settle_args(s: Settlement, k: keys.QueueKeys, expiry: int, now: float) -> list[Any]:
    done = ""
    if s.done is not None:
        marks = bytearray(b"0" * (max((p for p, _ in s.done), default=-1) + 1))
        for position, _ in s.done:
            marks[position] = 0x31
        done = marks.decode()
    args: list[Any] = [s.lease_id, done, expiry, k.channel, now]
    for task_id, result in s.results.items():  # stamped here: one clock decides expiry
        args += (task_id, pack_result(result, now))
    return args


class RedisStore:
    """Implements ``sergeant.store.base.Store`` on one Redis (or Redis Cluster slot per queue)."""

    def __init__(self, url: str, settings: StoreSettings, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock or time.time
        self._prefix = settings.key_prefix
        # redis-py's reply types are unions of every RESP shape; replies are checked where they are decoded.
        self._redis: Any
        self._redis, link = connect(url)
        self._cluster, self._where = link.cluster, link.where
        self._wait_replicas, self._wait_ms = link.wait_replicas, link.wait_timeout_ms
        # Keys shared by all queues: on a cluster, one hash tag of their own puts them all in one known slot.
        self._shared = keys.shared_prefix(self._prefix, cluster=self._cluster)
        # Queues this process added to the queue set, and when: added again every _ANNOUNCE_S, so that one forgotten
        # while idle (forget_idle_queues, in another process) is listed again soon after a push.
        self._known_queues: dict[str, float] = {}
        # Results rest in one hash per time bucket, expired whole: about 24 buckets span the result TTL.
        self._bucket_s = max(settings.result_ttl_s / 24, 1.0)
        self._closed = False
        self._scripts: dict[str, Script] = {
            name: self._redis.register_script(_script_source(name, cluster=self._cluster))
            for name in ("push", "lease", "settle", "move", "extend", "cancel", "purge", "forget",
                         "replay", "purge_dead", "unlock", "extend_lock")
        }

    # --- plumbing -------------------------------------------------------------

    @contextlib.contextmanager
    def _call(self, op: str, queue: str = "") -> Iterator[None]:
        if self._closed:  # redis-py would quietly reconnect
            raise StoreUnavailable("the store is closed", op=op, queue=queue)
        try:
            yield
        except Exception as exc:
            if not self._closed and not isinstance(exc, _REDIS_DOWN):
                raise
            if self._closed:  # close() pulled the connection from under this call: redis-py fails in odd ways
                raise StoreUnavailable("the store was closed during the call", op=op, queue=queue) from exc
            raise StoreUnavailable(
                f"{self._where} is unreachable: {exc}"
                "; check that it runs and the URL is right", op=op, queue=queue,
            ) from exc

    def _run(self, name: str, keys_: Sequence[str], args: Sequence[Any]) -> Any:
        return self._scripts[name](keys=list(keys_), args=list(args))

    def _write(self, name: str, keys_: Sequence[str], args: Sequence[Any]) -> Any:
        """Run a script that stores what a caller is told is done: with ``wait_replicas``, only once replicas hold it."""
        if not self._wait_replicas:
            return self._run(name, keys_, args)
        [reply] = self._durably(name, [(list(keys_), list(args))])
        return reply

    def _durably(self, name: str, calls: list[tuple[list[str], list[Any]]]) -> list[Any]:
        """Run scripts of one slot, then WAIT for ``wait_replicas`` replicas, on one connection: WAIT counts the
        writes of its own connection only.  On a cluster that is a connection to the node holding the slot."""
        replies: list[Any] = []
        acked = 0
        for attempt in (1, 2):
            client = self._redis.get_node_from_key(calls[0][0][0]).redis_connection if self._cluster else self._redis
            pipe = client.pipeline(transaction=False)
            for keys_, args in calls:
                self._scripts[name](keys=keys_, args=args, client=pipe)
            pipe.execute_command("WAIT", self._wait_replicas, self._wait_ms)
            try:
                *replies, acked = pipe.execute()
                break
            except (redis.exceptions.MovedError, redis.exceptions.AskError, redis.ConnectionError):
                if not self._cluster or attempt == 2:
                    raise  # a failover or a slot migration: the scripts did not run there
                self._redis.nodes_manager.initialize()  # the slot moved: learn where to, once
        if acked < self._wait_replicas:
            raise StoreUnavailable(
                f"stored on the master, but only {acked} of {self._wait_replicas} replicas confirmed it within "
                f"{self._wait_ms} ms: it may be lost if the master fails now; retry (a push with its idempotency "
                "key is not stored twice)", op=f"redis.{name}")
        return replies

    def _run_pipelined(self, name: str, calls: list[tuple[list[str], list[Any]]]) -> list[Any]:
        """Run a script several times in one pipeline (on a cluster, split per node by the client).  EVALSHA goes
        as a plain command: redis-py's script objects in a pipeline ask SCRIPT EXISTS first, a round trip of its
        own on every call (a cluster pipeline refuses them anyway).  A call that meets NOSCRIPT (a node, or a
        master promoted since, without the script) did not run, so it runs again on its own, which loads it."""
        if len(calls) == 1:
            return [self._run(name, *calls[0])]
        sha = self._scripts[name].sha
        pipe = self._redis.pipeline(transaction=False)
        for keys_, args in calls:
            pipe.execute_command("EVALSHA", sha, len(keys_), *keys_, *args)
        replies = pipe.execute(raise_on_error=False)
        for n, reply in enumerate(replies):
            if isinstance(reply, redis.exceptions.NoScriptError):
                replies[n] = self._run(name, *calls[n])
            elif isinstance(reply, Exception):
                raise reply
        return list(replies)

    def _keys(self, queue: str, op: str) -> keys.QueueKeys:
        return keys.queue_keys(self._prefix, validate_queue_name(queue, op=op))

    # --- producing -------------------------------------------------------------

    def push(self, tasks: Sequence[Task], *, max_depth: int = 0) -> list[PushResult]:
        check_tasks(tasks, self.settings, op="redis.push")
        by_queue: dict[str, list[int]] = {}
        for index, task in enumerate(tasks):
            by_queue.setdefault(task.queue, []).append(index)
        results = [PushResult(t.id, True) for t in tasks]
        for queue, indexes in by_queue.items():
            batch = [tasks[i] for i in indexes]
            plan = PushPlan.of_records(
                queue, [pieces.record_of(t) for t in batch], [t.id for t in batch],
                [Route(t.priority, t.not_before, t.idempotency_key, t.want_result) for t in batch],
                self._clock(), [t.created_at for t in batch], DEFAULT_MAX_ATTEMPTS)
            for position, earlier in self._store(plan, max_depth, op="redis.push").items():
                results[indexes[position]] = PushResult(earlier, False)
        return results

    def push_packed(self, batch: PackedBatch, *, max_depth: int = 0) -> list[tuple[int, str]]:
        validate_queue_name(batch.queue, op="redis.push_packed")
        if not batch.ends:
            return []
        valid = TASK_ID_PATTERN.fullmatch  # the gateway checked every record; an id is cheap to check again
        for task_id in batch.ids:
            if not (isinstance(task_id, str) and valid(task_id)):
                validate_task_id(task_id, op="redis.push_packed", queue=batch.queue)
        plan = PushPlan.of_packed(batch, self._clock())
        return sorted(self._store(plan, max_depth, op="redis.push_packed").items())

    def _store(self, plan: PushPlan, max_depth: int, *, op: str) -> dict[int, str]:
        """Store a queue's pushed pieces; a record that duplicates a live task is left out and reported."""
        k = keys.queue_keys(self._prefix, plan.queue)
        window_ms = int(self.settings.idempotency_ttl_s * 1000)
        duplicates: dict[int, str] = dict(plan.duplicates)
        with self._call(op, plan.queue):
            if self._known_queues.get(plan.queue, -_ANNOUNCE_S) < time.monotonic() - _ANNOUNCE_S:
                # The queue set is shared by all queues (another hash slot): a command of its own, now and then.
                self._redis.sadd(keys.queues_key(self._shared), plan.queue)
                self._known_queues[plan.queue] = time.monotonic()
            while True:
                script_keys = [*k.ready, *k.delayed, k.counts, k.notify, k.index]
                args: list[Any] = [window_ms, max_depth, len(plan.pieces), len(plan.wants), len(plan.idempotency),
                                   self._clock()]
                for destination, not_before, count, _ in plan.pieces:
                    args += (destination, repr(not_before) if destination > 2 else "", count)
                args += [piece for *_, piece in plan.pieces]
                for position, task_id, state in plan.wants:
                    args += (position, task_id, state)
                for position, task_id, key in plan.idempotency:
                    script_keys.append(k.idempotency(key))
                    args += (position, task_id, len(script_keys))
                reply = self._write("push", script_keys, args)
                if reply[0] == -1:
                    raise queue_full(plan.queue, reply[1], plan.count, max_depth, op=op)
                if reply[0] == 1:
                    return duplicates
                found = {int(i): e.decode() for i, e in zip(reply[1::2], reply[2::2], strict=True)}
                duplicates.update(found)
                # A record that duplicated one of these within the batch duplicates what that one duplicated.
                ids = plan.ids
                rerouted = {ids[n]: earlier for n, earlier in found.items() if ids[n] != earlier}
                duplicates = {n: rerouted.get(earlier, earlier) for n, earlier in duplicates.items()}
                plan = plan.without(found.keys())
                if not plan.pieces:
                    return duplicates

    # --- consuming --------------------------------------------------------------

    def lease(self, queue: str, count: int, lease_s: float, *, owner: str, wait_s: float = 0.0) -> list[Task]:
        k = self._keys(queue, "redis.lease")
        if count < 1:
            return []
        count = min(count, MAX_LEASE_BATCH)
        give_up = time.monotonic() + wait_s
        with self._call("redis.lease", queue):
            while True:
                now = self._clock()
                lease_id = new_lease_id(owner)
                blob, next_due, cancelled = self._run(
                    "lease", [*k.ready, *k.delayed, k.leased, k.leases, k.counts, k.paused, k.notify, k.index],
                    [now, count, now + lease_s, lease_id, k.channel],
                )
                if blob:
                    tasks = pieces.decode(blob, queue, lease_id, now + lease_s)
                    if cancelled:  # cancelled while queued: settled by the lease itself, never to run
                        dropped = set(cancelled)
                        tasks = [t for t in tasks if t.lease_position not in dropped]
                    if tasks:
                        return tasks
                    continue  # it took only cancelled tasks: others may wait behind them
                left = give_up - time.monotonic()
                if left <= 0:
                    return []
                if next_due:
                    left = min(left, max(float(next_due) - now, 0.001))
                # One token per push wakes one waiter; Redis takes fractional timeouts.
                self._redis.blpop([k.notify], timeout=max(left, 0.001))

    def extend(self, queue: str, task_ids: Sequence[str], lease_id: str, lease_s: float) -> list[str]:
        k = self._keys(queue, "redis.extend")
        if not task_ids:
            return []
        with self._call("redis.extend", queue):
            held = self._run("extend", [k.leased, k.leases], [self._clock() + lease_s, lease_id])
        return list(task_ids) if held else []

    def settle(self, queue: str, settlements: Sequence[Settlement]) -> list[bool]:
        k = self._keys(queue, "redis.settle")
        now = self._clock()
        bucket, expiry = self._bucket(now)
        calls = [([k.leased, k.leases, k.counts, k.index, k.results(bucket)], _settle_args(s, k, expiry, now))
                 for s in settlements]
        with self._call("redis.settle", queue):
            if self._wait_replicas:
                return [bool(code) for code in self._durably("settle", calls)]
            return [bool(code) for code in self._run_pipelined("settle", calls)]

    def _bucket(self, now: float) -> tuple[int, int]:
        """The results bucket of this moment, and when that bucket expires (unix s)."""
        width = self._bucket_s
        bucket = int(now // width)
        return bucket, int((bucket + 1) * width + self.settings.result_ttl_s) + 1

    def ack(self, queue: str, acks: Sequence[Ack]) -> list[Disposition]:
        now = self._clock()

        def action(a: Ack, task: Task) -> moves.Action:
            return moves.Finish(a.record(now, task.attempt))

        return self._move_each(queue, "redis.ack", [(a.task_id, a.lease_id, functools.partial(action, a))
                                                    for a in acks])

    def fail(self, queue: str, failures: Sequence[Failure]) -> list[Disposition]:
        now = self._clock()

        def action(f: Failure, task: Task) -> moves.Action:
            attempt = task.attempt + 1
            if f.retry and attempt < task.max_attempts:
                delay = f.delay_s if f.delay_s is not None else retry_delay_s(attempt, self.settings)
                return moves.Requeue(1, now + delay, EventKind.RETRYING)
            return moves.Bury(f.error)

        return self._move_each(queue, "redis.fail", [(f.task_id, f.lease_id, functools.partial(action, f))
                                                     for f in failures])

    def release(self, queue: str, releases: Sequence[Release]) -> list[Disposition]:
        now = self._clock()

        def action(r: Release, task: Task) -> moves.Action:
            delta = 1 if r.count_attempt else 0
            if r.count_attempt and task.attempt + 1 >= task.max_attempts:
                return moves.Bury(_WORKER_DIED)
            return moves.Requeue(delta, now + r.delay_s if r.delay_s > 0 else 0.0)

        return self._move_each(queue, "redis.release", [(r.task_id, r.lease_id, functools.partial(action, r))
                                                        for r in releases])

    def _move_each(self, queue: str, op: str,
                   items: Sequence[tuple[str, str, moves.Action | Callable[[Task], moves.Action]]]) -> list[Disposition]:
        """Move single tasks out of their leases; an action may depend on the task (its attempts)."""
        k = self._keys(queue, op)
        outcome = [Disposition.LEASE_LOST] * len(items)
        by_lease: dict[str, list[int]] = {}
        for n, (_, lease_id, _) in enumerate(items):
            by_lease.setdefault(lease_id, []).append(n)
        for lease_id, numbers in by_lease.items():
            def plan(view: moves.LeaseView, numbers: list[int] = numbers) -> list[tuple[int, moves.Action]]:
                where = view.position_of()
                planned = []
                for n in numbers:
                    task_id, _, action = items[n]
                    position = where.get(task_id)
                    if position is not None:
                        task = view.tasks[position]
                        planned.append((position, action if not callable(action) else action(task)))
                return planned
            dispositions = self._move(k, op, lease_id, plan, expired_only=False)
            for n in numbers:  # an item repeated in one call settles once: the repeats find nothing left
                if (disposition := dispositions.pop(items[n][0], None)) is not None:
                    outcome[n] = disposition
        return outcome

    def _move(self, k: keys.QueueKeys, op: str, lease_id: str,
              plan: Callable[[moves.LeaseView], list[tuple[int, moves.Action]]], *,
              expired_only: bool) -> dict[str, Disposition]:
        """Read a lease, plan, and apply the plan if nothing changed meanwhile (else read again)."""
        for _ in range(_MOVE_ATTEMPTS):
            with self._call(op, k.channel):
                blob, done = self._redis.hmget(k.leases, [lease_id, f"{lease_id}|done"])
            if blob is None:
                return {}
            view = moves.LeaseView.read(lease_id, blob, done, k.channel)
            move = moves.MovePlan(view, self._clock())
            decided = move.apply(plan(view))
            if not move.leaving:
                return {}
            bucket, expiry = self._bucket(move.now)
            with self._call(op, k.channel):
                code = self._write("move", [*k.ready, *k.delayed, k.leased, k.leases, k.counts, k.index, k.notify,
                                          k.dead, k.tasks, k.results(bucket), *(k.result(b[0]) for b in move.burials)],
                                 move.args(expired_only=expired_only, channel=k.channel, bucket_expiry=expiry))
            if code == 1:
                return {view.tasks[p].id: d for p, d in decided.items()}
            if code == 0:
                return {}
        raise StoreUnavailable(f"lease {lease_id} kept changing while it was being settled; try again",
                               op=op, queue=k.channel)

    def release_owner(self, owner: str, *, error: TaskError | None = None) -> int:
        released = 0
        for queue in self.queues():
            k = keys.queue_keys(self._prefix, queue)
            with self._call("redis.release_owner", queue):
                mine = [field.decode() for field in self._redis.hkeys(k.leases)
                        if not field.endswith(b"|done") and lease_owner(field.decode()) == owner]
            for lease_id in mine:
                released += self._expire(k, "redis.release_owner", lease_id, error or _WORKER_DIED,
                                         expired_only=False)
        return released

    def reclaim_expired(self, queue: str) -> int:
        k = self._keys(queue, "redis.reclaim_expired")
        reclaimed = 0
        with self._call("redis.reclaim_expired", queue):
            expired = [i.decode() for i in self._redis.zrangebyscore(k.leased, "-inf", self._clock(), start=0, num=100)]
        for lease_id in expired:
            reclaimed += self._expire(k, "redis.reclaim_expired", lease_id, _LEASE_EXPIRED, expired_only=True)
        return reclaimed

    def _expire(self, k: keys.QueueKeys, op: str, lease_id: str, error: TaskError, *, expired_only: bool) -> int:
        """A lease that ended without its outcomes: every unsettled task counts an attempt and goes back to the
        head of its queue in order, or to the dead letters past its max attempts."""
        def plan(view: moves.LeaseView) -> list[tuple[int, moves.Action]]:
            return [(n, moves.Requeue(1, 0.0, EventKind.RETRYING) if t.attempt + 1 < t.max_attempts
                     else moves.Bury(error)) for n, t in enumerate(view.tasks) if not view.settled(n)]
        return len(self._move(k, op, lease_id, plan, expired_only=expired_only))

    # --- reading and operating ---------------------------------------------

    def get(self, queue: str, task_id: str) -> TaskInfo:
        k = self._keys(queue, "redis.get")
        validate_task_id(task_id, op="redis.get", queue=queue)
        now = self._clock()
        newest, _ = self._bucket(now)
        oldest = int((now - self.settings.result_ttl_s) // self._bucket_s)
        with self._call("redis.get", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.hget(k.index, task_id)
            pipe.zscore(k.dead, task_id)
            for bucket in range(newest, oldest - 1, -1):
                pipe.hget(k.results(bucket), task_id)
            entry, died, *records = pipe.execute()
            if died is not None:
                raw, record = self._redis.hget(k.tasks, task_id), self._redis.get(k.result(task_id))
                task = unpack_task(raw) if raw is not None else None
                return TaskInfo(queue, task_id, TaskState.DEAD, task, unpack_result(record) if record else None)
        for record in records:
            if record is not None and (result := unpack_result(record)).finished_at + self.settings.result_ttl_s >= now:
                return TaskInfo(queue, task_id, result.state, None, result)
        if entry is not None and entry[:1] in _INDEX_STATES:
            state, header, record = read_entry(entry)
            [task] = pieces.decode(pieces.build(header, [len(record)], record), queue)
            return TaskInfo(queue, task_id, _INDEX_STATES[state], dataclasses.replace(task, kwargs=kwargs_bytes(task)))
        raise TaskNotFound("no such task, its result has expired, or it was pushed without want_result (then no "
                           "per-task record is kept)", op="redis.get", queue=queue, task_id=task_id)

    def cancel(self, queue: str, task_id: str) -> CancelOutcome:
        k = self._keys(queue, "redis.cancel")
        validate_task_id(task_id, op="redis.cancel", queue=queue)
        now = self._clock()
        bucket, expiry = self._bucket(now)
        record = pack_result(TaskResult(TaskState.CANCELLED, None, None, now))
        with self._call("redis.cancel", queue):
            reply = self._run("cancel", [k.index, k.results(bucket)],
                              [now, task_id, record, expiry, k.channel]).decode()
        if reply == "unknown":
            try:
                self.get(queue, task_id)
            except TaskNotFound:
                raise TaskNotFound("no such task, its result has expired, or it was pushed without want_result "
                                   "(only a task that wants a result can be cancelled)", op="redis.cancel",
                                   queue=queue, task_id=task_id) from None
            return CancelOutcome.FINISHED
        return CancelOutcome(reply)

    def counts(self, queue: str) -> QueueCounts:
        k = self._keys(queue, "redis.counts")
        with self._call("redis.counts", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.hmget(k.counts, ["high", "normal", "delayed", "leased"])
            pipe.zcard(k.dead)
            pipe.exists(k.paused)
            (high, normal, delayed, leased), dead, paused = pipe.execute()
        return QueueCounts(queue, int(high or 0) + int(normal or 0), int(delayed or 0), int(leased or 0), dead,
                           bool(paused))

    def queues(self) -> list[str]:
        with self._call("redis.queues"):
            return sorted(q.decode() for q in self._redis.smembers(keys.queues_key(self._shared)))

    def forget_idle_queues(self, idle_s: float) -> list[str]:
        now = self._clock()
        with self._call("redis.forget_idle_queues"):
            names = self.queues()
            calls = []
            for queue in names:
                k = keys.queue_keys(self._prefix, queue)
                calls.append(([k.counts, k.dead, k.paused], [now, idle_s]))
            idle = [queue for queue, code in zip(names, self._run_pipelined("forget", calls), strict=True) if code]
            if idle:
                self._redis.srem(keys.queues_key(self._shared), *idle)
        for queue in idle:
            self._known_queues.pop(queue, None)
        return idle

    def purge(self, queue: str) -> int:
        k = self._keys(queue, "redis.purge")
        with self._call("redis.purge", queue):
            return int(self._run("purge", [*k.ready, *k.delayed, k.counts, k.index], []))

    def pause(self, queue: str) -> None:
        k = self._keys(queue, "redis.pause")
        with self._call("redis.pause", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.set(k.paused, 1)
            pipe.sadd(keys.queues_key(self._shared), queue)
            pipe.execute()

    def resume(self, queue: str) -> None:
        k = self._keys(queue, "redis.resume")
        with self._call("redis.resume", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.delete(k.paused)
            pipe.lpush(k.notify, 1)
            pipe.ltrim(k.notify, 0, 0)
            pipe.execute()

    def dead_letters(self, queue: str, *, limit: int = 100, offset: int = 0) -> list[DeadLetter]:
        k = self._keys(queue, "redis.dead_letters")
        with self._call("redis.dead_letters", queue):
            dead = self._redis.zrange(k.dead, offset, offset + limit - 1, withscores=True)
            if not dead:
                return []
            ids = [i.decode() for i, _ in dead]
            pipe = self._redis.pipeline(transaction=False)
            pipe.hmget(k.tasks, ids)
            pipe.execute_command("MGET", *(k.result(i) for i in ids))  # a cluster pipeline blocks mget() by name
            envelopes, records = pipe.execute()
        letters = []
        for (_, died_at), raw, record in zip(dead, envelopes, records, strict=True):
            if raw is not None:
                error = unpack_result(record).error if record is not None else None
                letters.append(DeadLetter(unpack_task(raw), error, died_at))
        return letters

    def _dead_ids(self, k: keys.QueueKeys, task_ids: Sequence[str]) -> list[str]:
        if task_ids:
            return list(task_ids)
        return [i.decode() for i in self._redis.zrange(k.dead, 0, -1)]

    def replay_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        k = self._keys(queue, "redis.replay_dead")
        with self._call("redis.replay_dead", queue):
            ids = self._dead_ids(k, task_ids)
            if not ids:
                return 0
            args: list[Any] = []
            for task_id, raw in zip(ids, self._redis.hmget(k.tasks, ids), strict=True):
                if raw is None:
                    continue
                task = unpack_task(raw, 0)
                piece = pieces.of_tasks([task], attempt=0, want_results=task.want_result,
                                        default_max_attempts=task.max_attempts)
                entry = index_entry(b"p", task.max_attempts, task.created_at, pieces.record_of(task)) \
                    if task.want_result else b""
                args += (task_id, int(task.priority), piece, entry)
            if not args:
                return 0
            replayed = [a for a in args[0::4]]
            return int(self._run("replay", [k.dead, *k.ready, k.tasks, k.counts, k.notify, k.index,
                                            *(k.result(i) for i in replayed)], args))

    def purge_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        k = self._keys(queue, "redis.purge_dead")
        with self._call("redis.purge_dead", queue):
            ids = self._dead_ids(k, task_ids)
            if not ids:
                return 0
            return int(self._run("purge_dead", [k.dead, k.tasks, *(k.result(i) for i in ids)], ids))

    # --- events ---------------------------------------------------------------

    def publish(self, events: Sequence[TaskEvent]) -> None:
        with self._call("redis.publish"):
            pipe = self._redis.pipeline(transaction=False)
            for event in events:
                k = self._keys(event.queue, "redis.publish")
                # A cluster pipeline blocks publish() by name; SPUBLISH routes by its channel, like a key.
                pipe.execute_command("SPUBLISH" if self._cluster else "PUBLISH", k.channel, pack_event(event))
            pipe.execute()

    def subscribe(self, queues: Sequence[str]) -> RedisSubscription | ShardedSubscription:
        """On one Redis, no queues is every queue's events, on one connection; on a cluster, the queues it is told
        to follow (``base.Following``), on a connection per master."""
        channels = {self._keys(q, "redis.subscribe").channel: q for q in queues}
        with self._call("redis.subscribe"):
            if self._cluster:
                return ShardedSubscription(self._redis, self._prefix, queues)
            return RedisSubscription(self._redis, channels, "" if queues else keys.events_pattern(self._prefix))

    # --- workers registry -------------------------------------------------------

    def heartbeat_worker(self, record: WorkerRecord, ttl_s: float) -> None:
        with self._call("redis.heartbeat_worker", record.queue):
            self._redis.hset(keys.workers_key(self._shared), record.worker_id,
                             pack_worker(record, self._clock() + ttl_s))

    def remove_worker(self, worker_id: str) -> None:
        with self._call("redis.remove_worker"):
            self._redis.hdel(keys.workers_key(self._shared), worker_id)

    def workers(self) -> list[WorkerRecord]:
        now = self._clock()
        with self._call("redis.workers"):
            raw = self._redis.hgetall(keys.workers_key(self._shared))
            live: list[WorkerRecord] = []
            stale: list[bytes] = []
            for worker_id, packed in raw.items():
                record, expires_at = unpack_worker(packed)
                if expires_at > now:
                    live.append(record)
                else:
                    stale.append(worker_id)
            if stale:
                self._redis.hdel(keys.workers_key(self._shared), *stale)
        return sorted(live, key=lambda r: r.worker_id)

    # --- locks and key/value ------------------------------------------------------

    def acquire_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        with self._call("redis.acquire_lock"):
            return bool(self._redis.set(keys.lock_key(self._shared, name), owner, nx=True, px=int(ttl_s * 1000)))

    def release_lock(self, name: str, owner: str) -> bool:
        with self._call("redis.release_lock"):
            return bool(self._run("unlock", [keys.lock_key(self._shared, name)], [owner]))

    def extend_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        with self._call("redis.extend_lock"):
            return bool(self._run("extend_lock", [keys.lock_key(self._shared, name)], [owner, int(ttl_s * 1000)]))

    def lock_ttl(self, name: str) -> float | None:
        with self._call("redis.lock_ttl"):
            ttl_ms = self._redis.pttl(keys.lock_key(self._shared, name))
        return None if ttl_ms < 0 else ttl_ms / 1000

    def set_key(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        if ttl_s is not None and ttl_s <= 0:
            raise InvalidArgument(f"ttl_s must be positive, got {ttl_s}", op="redis.set_key")
        with self._call("redis.set_key"):
            self._redis.set(keys.kv_key(self._shared, key), value, px=int(ttl_s * 1000) if ttl_s else None)

    def get_key(self, key: str) -> bytes | None:
        with self._call("redis.get_key"):
            value: bytes | None = self._redis.get(keys.kv_key(self._shared, key))
            return value

    def delete_key(self, key: str) -> bool:
        with self._call("redis.delete_key"):
            return bool(self._redis.delete(keys.kv_key(self._shared, key)))

    # --- lifecycle ------------------------------------------------------------

    def identity(self) -> base.StoreIdentity:
        if self._cluster:  # its nodes change (failover, resharding) and clients may be given different seeds
            with self._call("redis.identity"):
                key = keys.cluster_id_key(self._shared)
                self._redis.set(key, uuid.uuid4().hex, nx=True)
                return base.StoreIdentity("redis", f"cluster {self._redis.get(key).decode()}", self._prefix)
        at = self._redis.connection_pool.connection_kwargs
        server = at.get("path") or f"{at.get('host', 'localhost')}:{at.get('port', 6379)}"
        return base.StoreIdentity("redis", f"{server}/{at.get('db', 0)}", self._prefix)

    def ping(self) -> None:
        with self._call("redis.ping"):
            self._redis.ping()

    def close(self) -> None:
        self._closed = True
        if self._cluster:
            # A cluster's node clients were given their connection pools, so their close() leaves those open: the
            # sockets would wait for the garbage collector (a ResourceWarning each).
            for node in self._redis.get_nodes():
                if node.redis_connection is not None:
                    node.redis_connection.connection_pool.disconnect()
        self._redis.close()

