"""The Redis store: the throughput backend.

Layout: ``sergeant.store.redis_keys``.  Every state change is one Lua script in
``sergeant/store/lua/`` named after its transition; reads are pipelined.  When a
decision needs the envelope (fail and reclaim must know ``max_attempts``), the
store reads, decides in Python, and the script re-checks the lease before it
writes, so a decision made on stale data is refused, never applied.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import time
from collections.abc import Iterator, Sequence
from typing import Any

import redis
from redis.commands.core import Script

from sergeant.errors import InvalidArgument, StoreUnavailable, TaskNotFound
from sergeant.store import redis_keys as keys
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
    StoreSettings,
    WorkerRecord,
    check_tasks,
    lease_owner,
    new_lease_id,
    queue_full,
    retry_delay_s,
)
from sergeant.store.records import (
    pack_event,
    pack_result,
    pack_result_head,
    pack_task,
    pack_worker,
    unpack_result,
    unpack_task,
    unpack_worker,
)
from sergeant.store.redis_events import RedisSubscription
from sergeant.task import (
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

MAX_LEASE_BATCH = 4_000  # bounded by the Lua stack that unpack() uses
_LEASE_EXPIRED = TaskError("LeaseExpired", "lease expired before the task was acked or failed")
_WORKER_DIED = TaskError("WorkerDied", "the worker holding the lease died")
_REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, OSError)


@functools.cache
def _script_source(name: str) -> str:
    return (importlib.resources.files("sergeant.store") / "lua" / f"{name}.lua").read_text()


class RedisStore:
    """Implements ``sergeant.store.base.Store`` on one Redis (or Redis Cluster slot per queue)."""

    def __init__(self, url: str, settings: StoreSettings, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock or time.time
        self._prefix = settings.key_prefix
        # redis-py's reply types are unions of every RESP shape; replies are checked where they are decoded.
        self._redis: Any = redis.Redis.from_url(
            url, socket_connect_timeout=3, socket_timeout=60, health_check_interval=30
        )
        self._known_queues: set[str] = set()
        self._closed = False
        self._scripts: dict[str, Script] = {
            name: self._redis.register_script(_script_source(name))
            for name in ("push", "lease", "ack", "retry", "bury", "extend", "cancel", "purge",
                         "replay", "purge_dead", "unlock", "extend_lock")
        }

    # --- plumbing -------------------------------------------------------------

    @contextlib.contextmanager
    def _call(self, op: str, queue: str = "") -> Iterator[None]:
        if self._closed:  # redis-py would quietly reconnect
            raise StoreUnavailable("the store is closed", op=op, queue=queue)
        try:
            yield
        except _REDIS_DOWN as exc:
            raise StoreUnavailable(
                f"Redis at {self._redis.connection_pool.connection_kwargs.get('host', '?')} is unreachable: {exc}"
                "; check that it runs and the URL is right", op=op, queue=queue,
            ) from exc

    def _run(self, name: str, keys_: Sequence[str], args: Sequence[Any]) -> Any:
        return self._scripts[name](keys=list(keys_), args=list(args))

    def _keys(self, queue: str, op: str) -> keys.QueueKeys:
        return keys.queue_keys(self._prefix, validate_queue_name(queue, op=op))

    # --- producing -------------------------------------------------------------

    def push_packed(self, batch: PackedBatch, *, max_depth: int = 0) -> list[tuple[int, str]]:
        # As Task objects through push: a stand-in until the chunked Redis layout stores batches whole.
        from sergeant.packed import push_as_tasks

        return push_as_tasks(self.push, batch, max_depth)

    def push(self, tasks: Sequence[Task], *, max_depth: int = 0) -> list[PushResult]:
        check_tasks(tasks, self.settings, op="redis.push")
        by_queue: dict[str, list[int]] = {}
        for index, task in enumerate(tasks):
            by_queue.setdefault(task.queue, []).append(index)
        results: list[PushResult | None] = [None] * len(tasks)
        window_ms = int(self.settings.idempotency_ttl_s * 1000)
        replies = []
        with self._call("redis.push", tasks[0].queue if tasks else ""):
            if unseen := [q for q in by_queue if q not in self._known_queues]:
                # The queue set is shared by all queues (another hash slot): a command of its own, once per queue.
                self._redis.sadd(keys.queues_key(self._prefix), *unseen)
                self._known_queues.update(unseen)
            for queue, indexes in by_queue.items():
                k = keys.queue_keys(self._prefix, queue)
                script_keys = [*k.ready, *k.delayed, k.tasks, k.notify]
                key_indexes: dict[str, int] = {}
                now = self._clock()
                args: list[Any] = [window_ms, max_depth, len(indexes), 0]
                routes: list[Any] = []
                for position, i in enumerate(indexes, 1):
                    t = tasks[i]
                    args += (t.id, pack_task(t))
                    delayed = t.not_before > now
                    if delayed or t.priority is Priority.HIGH or t.idempotency_key:
                        key_index = 0
                        if t.idempotency_key:
                            key_index = key_indexes.get(t.idempotency_key, 0)
                            if not key_index:
                                script_keys.append(k.idempotency(t.idempotency_key))
                                key_index = key_indexes[t.idempotency_key] = len(script_keys)
                        high = t.priority is Priority.HIGH
                        destination = (3 if high else 4) if delayed else (1 if high else 2)
                        routes += (position, destination, repr(t.not_before) if delayed else "", key_index)
                args[3] = len(routes) // 4
                # A script call, not a pipeline: redis-py pipelines spend a round trip on SCRIPT EXISTS each time.
                replies.append(self._scripts["push"](keys=script_keys, args=args + routes))
        for (queue, indexes), reply in zip(by_queue.items(), replies, strict=True):
            if reply[0] == -1:
                raise queue_full(queue, reply[1], len(indexes), max_depth, op="redis.push")
            for i in indexes:
                results[i] = PushResult(tasks[i].id, True)
            for position, earlier in zip(reply[1::2], reply[2::2], strict=True):
                results[indexes[position]] = PushResult(earlier.decode(), False)
        return [r for r in results if r is not None]

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
                ids, envelopes, attempts, next_due = self._run(
                    "lease",
                    [*k.ready, *k.delayed, k.leased, k.leases, k.tasks, k.attempts, k.paused, k.notify],
                    [now, count, now + lease_s, lease_id, k.channel],
                )
                if ids:
                    return self._leased(envelopes, attempts, lease_id, now + lease_s)
                left = give_up - time.monotonic()
                if left <= 0:
                    return []
                if next_due:
                    left = min(left, max(float(next_due) - now, 0.001))
                # One token per push wakes one waiter; Redis takes fractional timeouts.
                self._redis.blpop([k.notify], timeout=max(left, 0.001))

    @staticmethod
    def _leased(envelopes: list[bytes | None], attempts: list[bytes | None], lease_id: str, deadline: float) -> list[Task]:
        leased = []
        for raw, attempt in zip(envelopes, attempts, strict=True):
            if raw is None:
                continue
            task = unpack_task(raw, int(attempt) if attempt is not None else 0)
            task.lease_id = lease_id
            task.lease_deadline = deadline
            leased.append(task)
        return leased

    def extend(self, queue: str, task_ids: Sequence[str], lease_id: str, lease_s: float) -> list[str]:
        k = self._keys(queue, "redis.extend")
        if not task_ids:
            return []
        with self._call("redis.extend", queue):
            extended = self._run("extend", [k.leased, k.leases], [self._clock() + lease_s, lease_id, *task_ids])
        return [i.decode() for i in extended]

    def ack(self, queue: str, acks: Sequence[Ack]) -> list[Disposition]:
        k = self._keys(queue, "redis.ack")
        if not acks:
            return []
        now = self._clock()
        args: list[Any] = [now, int(self.settings.result_ttl_s * 1000), k.channel]
        for a in acks:
            # The head leaves the attempt out (hence 0 here): the script appends the one it reads.
            args += [a.task_id, a.lease_id, pack_result_head(a.record(now, 0)), a.event.value]
        with self._call("redis.ack", queue):
            codes = self._run("ack", [k.leased, k.leases, k.tasks, k.attempts, *(k.result(a.task_id) for a in acks)], args)
        return [Disposition.DONE if c else Disposition.LEASE_LOST for c in codes]

    def fail(self, queue: str, failures: Sequence[Failure]) -> list[Disposition]:
        k = self._keys(queue, "redis.fail")
        now = self._clock()
        held = self._held(k, [(f.task_id, f.lease_id) for f in failures], "redis.fail")
        retries: list[tuple[int, str, str, Task, int, float]] = []
        burials: list[tuple[int, str, str, int, TaskError]] = []
        for n, f in enumerate(failures):
            task = held.get(f.task_id)
            if task is None:
                continue
            attempt = task.attempt + 1
            if f.retry and attempt < task.max_attempts:
                delay = f.delay_s if f.delay_s is not None else retry_delay_s(attempt, self.settings)
                retries.append((n, f.task_id, f.lease_id, task, attempt, now + delay))
            else:
                burials.append((n, f.task_id, f.lease_id, attempt, f.error))
        return self._settle(k, "redis.fail", len(failures), retries, burials, "retrying", expired_only=False)

    def release(self, queue: str, releases: Sequence[Release]) -> list[Disposition]:
        k = self._keys(queue, "redis.release")
        now = self._clock()
        held = self._held(k, [(r.task_id, r.lease_id) for r in releases], "redis.release")
        retries: list[tuple[int, str, str, Task, int, float]] = []
        burials: list[tuple[int, str, str, int, TaskError]] = []
        for n, r in enumerate(releases):
            task = held.get(r.task_id)
            if task is None:
                continue
            attempt = task.attempt + (1 if r.count_attempt else 0)
            if r.count_attempt and attempt >= task.max_attempts:
                burials.append((n, r.task_id, r.lease_id, attempt, _WORKER_DIED))
            else:
                retries.append((n, r.task_id, r.lease_id, task, attempt, now + r.delay_s if r.delay_s > 0 else 0.0))
        return self._settle(k, "redis.release", len(releases), retries, burials, "", expired_only=False,
                            moved=Disposition.REQUEUED)

    def release_owner(self, owner: str) -> int:
        released = 0
        for queue in self.queues():
            k = keys.queue_keys(self._prefix, queue)
            with self._call("redis.release_owner", queue):
                leases = self._redis.hgetall(k.leases)
            mine = [(tid.decode(), lid.decode()) for tid, lid in leases.items() if lease_owner(lid.decode()) == owner]
            if mine:
                held = self._held(k, mine, "redis.release_owner")
                retries, burials = self._expire_plan(mine, held, _WORKER_DIED)
                outcome = self._settle(k, "redis.release_owner", len(mine), retries, burials, "retrying",
                                       expired_only=False)
                released += sum(d in (Disposition.RETRYING, Disposition.DEAD) for d in outcome)
        return released

    def reclaim_expired(self, queue: str) -> int:
        k = self._keys(queue, "redis.reclaim_expired")
        now = self._clock()
        reclaimed = 0
        while True:
            with self._call("redis.reclaim_expired", queue):
                expired = [i.decode() for i in self._redis.zrangebyscore(k.leased, "-inf", now, start=0, num=500)]
                lease_ids = self._redis.hmget(k.leases, expired) if expired else []
            pairs = [(tid, lid.decode()) for tid, lid in zip(expired, lease_ids, strict=True) if lid is not None]
            if not pairs:
                return reclaimed
            held = self._held(k, pairs, "redis.reclaim_expired")
            retries, burials = self._expire_plan(pairs, held, _LEASE_EXPIRED)
            outcome = self._settle(k, "redis.reclaim_expired", len(pairs), retries, burials, "retrying",
                                   expired_only=True)
            moved = sum(d in (Disposition.RETRYING, Disposition.DEAD) for d in outcome)
            reclaimed += moved
            if moved == 0:
                return reclaimed

    def _expire_plan(self, pairs: Sequence[tuple[str, str]], held: dict[str, Task], error: TaskError) -> tuple[
            list[tuple[int, str, str, Task, int, float]], list[tuple[int, str, str, int, TaskError]]]:
        """A lease that ended without an outcome counts an attempt; past max attempts it is dead."""
        retries, burials = [], []
        for n, (task_id, lease_id) in enumerate(pairs):
            task = held.get(task_id)
            if task is None:
                continue
            attempt = task.attempt + 1
            if attempt < task.max_attempts:
                retries.append((n, task_id, lease_id, task, attempt, 0.0))
            else:
                burials.append((n, task_id, lease_id, attempt, error))
        return retries, burials

    def _held(self, k: keys.QueueKeys, pairs: Sequence[tuple[str, str]], op: str) -> dict[str, Task]:
        """The envelopes (with attempt counts) of the given leases that are still held."""
        if not pairs:
            return {}
        ids = [task_id for task_id, _ in pairs]
        with self._call(op, k.channel):
            pipe = self._redis.pipeline(transaction=False)
            pipe.hmget(k.leases, ids)
            pipe.hmget(k.tasks, ids)
            pipe.hmget(k.attempts, ids)
            lease_ids, envelopes, attempts = pipe.execute()
        held = {}
        for (task_id, lease_id), current, raw, attempt in zip(pairs, lease_ids, envelopes, attempts, strict=True):
            if current is not None and raw is not None and current.decode() == lease_id:
                held[task_id] = unpack_task(raw, int(attempt) if attempt is not None else 0)
        return held

    def _settle(
        self, k: keys.QueueKeys, op: str, total: int,
        retries: Sequence[tuple[int, str, str, Task, int, float]],
        burials: Sequence[tuple[int, str, str, int, TaskError]],
        event: str, *, expired_only: bool, moved: Disposition = Disposition.RETRYING,
    ) -> list[Disposition]:
        now = self._clock()
        outcome = [Disposition.LEASE_LOST] * total
        flag = "1" if expired_only else "0"
        with self._call(op):
            pipe = self._redis.pipeline(transaction=False)
            if retries:
                args: list[Any] = [now, k.channel, event, flag]
                for _, task_id, lease_id, task, attempt, not_before in retries:
                    args += [task_id, lease_id, int(task.priority), attempt, not_before]
                self._scripts["retry"](keys=[*k.ready, *k.delayed, k.leased, k.leases, k.attempts, k.notify],
                                       args=args, client=pipe)
            if burials:
                args = [now, k.channel, flag]
                for _, task_id, lease_id, attempt, error in burials:
                    args += [task_id, lease_id, attempt, pack_result(TaskResult(TaskState.DEAD, None, error, now, attempt))]
                self._scripts["bury"](keys=[k.leased, k.leases, k.attempts, k.dead,
                                            *(k.result(b[1]) for b in burials)], args=args, client=pipe)
            replies = pipe.execute()
        if retries:
            for (n, *_), code in zip(retries, replies.pop(0), strict=True):
                outcome[n] = moved if code else Disposition.LEASE_LOST
        if burials:
            for (n, *_), code in zip(burials, replies.pop(0), strict=True):
                outcome[n] = Disposition.DEAD if code else Disposition.LEASE_LOST
        return outcome

    # --- reading and operating ---------------------------------------------

    def get(self, queue: str, task_id: str) -> TaskInfo:
        k = self._keys(queue, "redis.get")
        validate_task_id(task_id, op="redis.get", queue=queue)
        with self._call("redis.get", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.get(k.result(task_id))
            pipe.hget(k.tasks, task_id)
            pipe.hget(k.attempts, task_id)
            pipe.zscore(k.leased, task_id)
            pipe.zscore(k.delayed_high, task_id)
            pipe.zscore(k.delayed_normal, task_id)
            record, raw, attempt, leased, delayed_high, delayed_normal = pipe.execute()
        task = unpack_task(raw, int(attempt or 0)) if raw is not None else None
        if record is not None:
            result = unpack_result(record)
            return TaskInfo(queue, task_id, result.state, task, result)
        if task is None:
            raise TaskNotFound("no such task, or its result has expired", op="redis.get", queue=queue, task_id=task_id)
        if leased is not None:
            state = TaskState.ACTIVE
        elif delayed_high is not None or delayed_normal is not None:
            state = TaskState.SCHEDULED
        else:
            state = TaskState.PENDING
        return TaskInfo(queue, task_id, state, task)

    def cancel(self, queue: str, task_id: str) -> CancelOutcome:
        k = self._keys(queue, "redis.cancel")
        validate_task_id(task_id, op="redis.cancel", queue=queue)
        now = self._clock()
        record = pack_result(TaskResult(TaskState.CANCELLED, None, None, now))
        with self._call("redis.cancel", queue):
            reply = self._run(
                "cancel", [*k.ready, *k.delayed, k.leased, k.tasks, k.attempts, k.result(task_id)],
                [now, task_id, record, int(self.settings.result_ttl_s * 1000), k.channel],
            ).decode()
        if reply == "unknown":
            raise TaskNotFound("no such task, or its result has expired", op="redis.cancel", queue=queue,
                               task_id=task_id)
        return CancelOutcome(reply)

    def counts(self, queue: str) -> QueueCounts:
        k = self._keys(queue, "redis.counts")
        with self._call("redis.counts", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.llen(k.ready_high)
            pipe.llen(k.ready_normal)
            pipe.zcard(k.delayed_high)
            pipe.zcard(k.delayed_normal)
            pipe.zcard(k.leased)
            pipe.zcard(k.dead)
            pipe.exists(k.paused)
            rh, rn, dh, dn, leased, dead, paused = pipe.execute()
        return QueueCounts(queue, rh + rn, dh + dn, leased, dead, bool(paused))

    def queues(self) -> list[str]:
        with self._call("redis.queues"):
            return sorted(q.decode() for q in self._redis.smembers(keys.queues_key(self._prefix)))

    def purge(self, queue: str) -> int:
        k = self._keys(queue, "redis.purge")
        with self._call("redis.purge", queue):
            return int(self._run("purge", [*k.ready, *k.delayed, k.tasks, k.attempts], []))

    def pause(self, queue: str) -> None:
        k = self._keys(queue, "redis.pause")
        with self._call("redis.pause", queue):
            pipe = self._redis.pipeline(transaction=False)
            pipe.set(k.paused, 1)
            pipe.sadd(keys.queues_key(self._prefix), queue)
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
            pipe.hmget(k.attempts, ids)
            pipe.mget([k.result(i) for i in ids])
            envelopes, attempts, records = pipe.execute()
        letters = []
        for (_, died_at), raw, attempt, record in zip(dead, envelopes, attempts, records, strict=True):
            if raw is not None:
                error = unpack_result(record).error if record is not None else None
                letters.append(DeadLetter(unpack_task(raw, int(attempt or 0)), error, died_at))
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
            priorities = [int(unpack_task(raw).priority) if raw else int(Priority.NORMAL)
                          for raw in self._redis.hmget(k.tasks, ids)]
            args = [v for pair in zip(ids, priorities, strict=True) for v in pair]
            return int(self._run("replay", [k.dead, *k.ready, k.attempts, k.notify, *(k.result(i) for i in ids)], args))

    def purge_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        k = self._keys(queue, "redis.purge_dead")
        with self._call("redis.purge_dead", queue):
            ids = self._dead_ids(k, task_ids)
            if not ids:
                return 0
            return int(self._run("purge_dead", [k.dead, k.tasks, k.attempts, *(k.result(i) for i in ids)], ids))

    # --- events ---------------------------------------------------------------

    def publish(self, events: Sequence[TaskEvent]) -> None:
        with self._call("redis.publish"):
            pipe = self._redis.pipeline(transaction=False)
            for event in events:
                k = self._keys(event.queue, "redis.publish")
                pipe.publish(k.channel, pack_event(event))
            pipe.execute()

    def subscribe(self, queues: Sequence[str]) -> RedisSubscription:
        channels = {self._keys(q, "redis.subscribe").channel: q for q in queues}
        with self._call("redis.subscribe"):
            return RedisSubscription(self._redis, channels)

    # --- workers registry -------------------------------------------------------

    def heartbeat_worker(self, record: WorkerRecord, ttl_s: float) -> None:
        with self._call("redis.heartbeat_worker", record.queue):
            self._redis.hset(keys.workers_key(self._prefix), record.worker_id,
                             pack_worker(record, self._clock() + ttl_s))

    def remove_worker(self, worker_id: str) -> None:
        with self._call("redis.remove_worker"):
            self._redis.hdel(keys.workers_key(self._prefix), worker_id)

    def workers(self) -> list[WorkerRecord]:
        now = self._clock()
        with self._call("redis.workers"):
            raw = self._redis.hgetall(keys.workers_key(self._prefix))
            live: list[WorkerRecord] = []
            stale: list[bytes] = []
            for worker_id, packed in raw.items():
                record, expires_at = unpack_worker(packed)
                if expires_at > now:
                    live.append(record)
                else:
                    stale.append(worker_id)
            if stale:
                self._redis.hdel(keys.workers_key(self._prefix), *stale)
        return sorted(live, key=lambda r: r.worker_id)

    # --- locks and key/value ------------------------------------------------------

    def acquire_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        with self._call("redis.acquire_lock"):
            return bool(self._redis.set(keys.lock_key(self._prefix, name), owner, nx=True, px=int(ttl_s * 1000)))

    def release_lock(self, name: str, owner: str) -> bool:
        with self._call("redis.release_lock"):
            return bool(self._run("unlock", [keys.lock_key(self._prefix, name)], [owner]))

    def extend_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        with self._call("redis.extend_lock"):
            return bool(self._run("extend_lock", [keys.lock_key(self._prefix, name)], [owner, int(ttl_s * 1000)]))

    def lock_ttl(self, name: str) -> float | None:
        with self._call("redis.lock_ttl"):
            ttl_ms = self._redis.pttl(keys.lock_key(self._prefix, name))
        return None if ttl_ms < 0 else ttl_ms / 1000

    def set_key(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        if ttl_s is not None and ttl_s <= 0:
            raise InvalidArgument(f"ttl_s must be positive, got {ttl_s}", op="redis.set_key")
        with self._call("redis.set_key"):
            self._redis.set(keys.kv_key(self._prefix, key), value, px=int(ttl_s * 1000) if ttl_s else None)

    def get_key(self, key: str) -> bytes | None:
        with self._call("redis.get_key"):
            value: bytes | None = self._redis.get(keys.kv_key(self._prefix, key))
            return value

    def delete_key(self, key: str) -> bool:
        with self._call("redis.delete_key"):
            return bool(self._redis.delete(keys.kv_key(self._prefix, key)))

    # --- lifecycle ------------------------------------------------------------

    def ping(self) -> None:
        with self._call("redis.ping"):
            self._redis.ping()

    def close(self) -> None:
        self._closed = True
        self._redis.close()

