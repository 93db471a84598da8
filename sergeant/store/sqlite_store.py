"""SQLite backend: one file shared by a gateway and its workers on one machine.

Every table name starts with ``settings.key_prefix``.  ``tasks`` holds each live
task and each dead letter in one row whose ``state`` is READY, DELAYED, LEASED or
DEAD.  ``seq`` (the rowid) is the FIFO order: a task that becomes due or is
replayed takes a fresh ``seq`` and joins the tail, while a released or reclaimed
task keeps its ``seq`` and so returns to the head.  ``due`` is when a row changes
state on its own (a delayed task's not-before, a lease's deadline) and, for a dead
letter, when it died, so one index serves promotion, reclaiming and the dead list.

Every state change is one ``BEGIN IMMEDIATE`` transaction that includes its
events.  Waiting (blocking lease, subscriptions) watches ``PRAGMA data_version``,
which moves whenever another connection commits, with a short adaptive sleep.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from sergeant.errors import InvalidArgument, StoreUnavailable, TaskNotFound
from sergeant.logs import log
from sergeant.store import base, records
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
    lease_owner,
    new_lease_id,
    queue_full,
    retry_delay_s,
)
from sergeant.task import (
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

# Written literally into the SQL, never bound, so that the planner can use the partial indexes.
READY, DELAYED, LEASED, DEAD = 0, 1, 2, 3
_TASK_STATES = {READY: TaskState.PENDING, DELAYED: TaskState.SCHEDULED, LEASED: TaskState.ACTIVE,
                DEAD: TaskState.DEAD}
_PREFIX = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
logger = logging.getLogger(__name__)
_BUSY_TIMEOUT_S = 10.0
_BUSY_RETRY_S = 0.002  # at most, between tries for the write lock
_SWEEP_EVERY_S = 1.0
_BATCH_LIMIT = 5_000  # rows per write that sweeps, promotes or reclaims (it stays short); events per get
_EVENT_RETENTION_S = 3_600.0
_POLL_MIN_S, _POLL_MAX_S = 0.002, 0.025
_HELD = "seq, queue, id, attempt, max_attempts"
_LEASE_EXPIRED = TaskError("LeaseExpired", "lease expired before the task was acked or failed")
_WORKER_DIED = TaskError("WorkerDied", "the worker holding the lease died")
_RELEASED = TaskError("Released", "released by its worker with the attempt counted")


class _Held(NamedTuple):
    seq: int
    queue: str
    task_id: str
    attempt: int
    max_attempts: int


def _data_version(c: sqlite3.Connection) -> int:
    version: int = c.execute("PRAGMA data_version").fetchone()[0]
    return version


def _await_change(c: sqlite3.Connection, version: int, until: float, stop: threading.Event) -> None:
    """Sleep until another connection commits, ``until`` (monotonic) passes, or ``stop`` is set."""
    pause = _POLL_MIN_S
    while (left := until - time.monotonic()) > 0 and not stop.wait(min(pause, left)):
        if _data_version(c) != version:
            return
        pause = min(pause * 2, _POLL_MAX_S)


class SQLiteStore:
    """Implements ``sergeant.store.base.Store`` on one SQLite file in WAL mode."""

    def __init__(self, path: str, settings: StoreSettings, clock: Clock | None = None) -> None:
        if _PREFIX.fullmatch(settings.key_prefix) is None:
            raise InvalidArgument(f"key_prefix {settings.key_prefix!r} must be 1-64 of [A-Za-z0-9_.:-]",
                                  op="sqlite.open")
        self.settings = settings
        self._path = path
        self._now = clock or time.time
        p = settings.key_prefix
        self._tasks, self._depth, self._results, self._idem, self._queues, self._locks, self._kv, \
            self._workers, self._events = (f'"{p}_{name}"' for name in (
                "tasks", "depth", "results", "idempotency", "queues", "locks", "kv", "workers", "events"))
        self._local = threading.local()
        self._conns: list[tuple[int, sqlite3.Connection]] = []
        self._conns_lock = threading.Lock()
        self._closing = threading.Event()
        # Callers inside _guard, by process: close() waits for its own process's, because closing a
        # connection that another thread is using crashes the interpreter (sqlite3 is not safe against that).
        self._in_flight: collections.Counter[int] = collections.Counter()
        self._idle = threading.Condition()
        self._next_sweep = time.monotonic() + _SWEEP_EVERY_S
        with self._guard("sqlite.open"):
            # Checked on a read first, so that opening never queues for the write lock behind busy
            # writers; the events table is created last, in the same transaction as the rest.
            if not self._conn().execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                        (f"{p}_events",)).fetchone():
                self._create_tables(p)

    def _create_tables(self, p: str) -> None:
        self._conn().executescript(f"""
                BEGIN IMMEDIATE;
                CREATE TABLE IF NOT EXISTS {self._tasks} (
                    seq INTEGER PRIMARY KEY, queue TEXT NOT NULL, id TEXT NOT NULL,
                    state INTEGER NOT NULL, priority INTEGER NOT NULL, due REAL NOT NULL,
                    attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL, lease_id TEXT,
                    envelope BLOB NOT NULL, UNIQUE (queue, id));
                CREATE INDEX IF NOT EXISTS "{p}_tasks_ready"
                    ON {self._tasks} (queue, priority DESC, seq) WHERE state = {READY};
                CREATE INDEX IF NOT EXISTS "{p}_tasks_due" ON {self._tasks} (queue, state, due);
                CREATE INDEX IF NOT EXISTS "{p}_tasks_lease"
                    ON {self._tasks} (lease_id) WHERE state = {LEASED};
                -- Tasks per queue and state, kept by each transaction, so that counts and
                -- max_depth never scan a deep queue.
                CREATE TABLE IF NOT EXISTS {self._depth} (queue TEXT NOT NULL, state INTEGER NOT NULL,
                    n INTEGER NOT NULL, PRIMARY KEY (queue, state)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS {self._results} (queue TEXT NOT NULL, id TEXT NOT NULL,
                    record BLOB NOT NULL, expires_at REAL, PRIMARY KEY (queue, id));
                CREATE INDEX IF NOT EXISTS "{p}_results_expiry" ON {self._results} (expires_at);
                CREATE TABLE IF NOT EXISTS {self._idem} (queue TEXT NOT NULL, key TEXT NOT NULL,
                    task_id TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (queue, key));
                CREATE INDEX IF NOT EXISTS "{p}_idempotency_expiry" ON {self._idem} (expires_at);
                CREATE TABLE IF NOT EXISTS {self._queues} (name TEXT PRIMARY KEY,
                    paused INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS {self._locks} (name TEXT PRIMARY KEY, owner TEXT NOT NULL,
                    expires_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS {self._kv} (key TEXT PRIMARY KEY, value BLOB NOT NULL,
                    expires_at REAL);
                CREATE INDEX IF NOT EXISTS "{p}_kv_expiry" ON {self._kv} (expires_at);
                CREATE TABLE IF NOT EXISTS {self._workers} (worker_id TEXT PRIMARY KEY,
                    record BLOB NOT NULL, expires_at REAL NOT NULL);
                -- AUTOINCREMENT: ids never go back, even once pruning has emptied the table,
                -- so a subscription's "after id N" stays valid.
                CREATE TABLE IF NOT EXISTS {self._events} (id INTEGER PRIMARY KEY AUTOINCREMENT,
                    queue TEXT NOT NULL, record BLOB NOT NULL, created REAL NOT NULL);
                COMMIT;""")

    # --- connections and transactions ---------------------------------------------

    def _open(self) -> sqlite3.Connection:
        c = sqlite3.connect(self._path, timeout=_BUSY_TIMEOUT_S, isolation_level=None,
                            check_same_thread=False)
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across crashes, not power loss
        with self._conns_lock:
            self._conns.append((os.getpid(), c))
        return c

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection; a forked child opens its own instead of sharing its parent's."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.conn, local.pid = self._open(), os.getpid()
        conn: sqlite3.Connection = local.conn
        return conn

    def _forget(self, conn: sqlite3.Connection) -> None:
        with self._conns_lock:
            self._conns = [(pid, c) for pid, c in self._conns if c is not conn]

    @contextlib.contextmanager
    def _guard(self, op: str, queue: str = "") -> Iterator[None]:
        with self._idle:
            if self._closing.is_set():
                raise StoreUnavailable("the store is closed", op=op, queue=queue)
            self._in_flight[os.getpid()] += 1
        try:
            yield
        except sqlite3.OperationalError as exc:  # locked past the busy timeout, unreadable file, full disk
            raise StoreUnavailable(f"SQLite database {self._path!r}: {exc}", op=op, queue=queue) from exc
        except sqlite3.ProgrammingError as exc:  # a subscription closed by another thread, mid-call
            if not self._closing.is_set():
                raise
            raise StoreUnavailable("the store is closed", op=op, queue=queue) from exc
        finally:
            with self._idle:
                self._in_flight[os.getpid()] -= 1
                self._idle.notify_all()

    @contextlib.contextmanager
    def _tx(self, op: str, queue: str = "", *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction; IMMEDIATE for writes so that a read never has to upgrade to the write lock."""
        with self._guard(op, queue):
            c = self._conn()
            if write:
                self._begin_write(c)
            else:
                c.execute("BEGIN")
            events: list[TaskEvent] = []
            depth: collections.Counter[tuple[str, int]] = collections.Counter()
            self._local.events, self._local.depth = events, depth
            try:
                if write and time.monotonic() >= self._next_sweep:
                    self._sweep(c)
                yield c
                c.executemany(f"INSERT INTO {self._events} (queue, record, created) VALUES (?, ?, ?)",
                              [(e.queue, records.pack_event(e), e.at) for e in events])
                c.executemany(f"INSERT INTO {self._depth} (queue, state, n) VALUES (?, ?, ?) "
                              "ON CONFLICT DO UPDATE SET n = n + excluded.n",
                              [(*key, n) for key, n in depth.items() if n])
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise

    @staticmethod
    def _begin_write(c: sqlite3.Connection) -> None:
        """Take the write lock, trying every millisecond or two: SQLite's own busy handler naps up to
        100 ms between tries, so a writer in a tight loop (a worker leasing) could starve the others."""
        c.execute("PRAGMA busy_timeout = 0")
        try:
            give_up = time.monotonic() + _BUSY_TIMEOUT_S
            while True:
                try:
                    c.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > give_up:
                        raise
                time.sleep(random.uniform(0, _BUSY_RETRY_S))
        finally:
            c.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")

    def _sweep(self, c: sqlite3.Connection) -> None:
        """Drop expired rows inside a write that holds the lock anyway: if this fails, so does the write."""
        self._next_sweep = time.monotonic() + _SWEEP_EVERY_S
        now = self._now()
        for table in (self._results, self._idem, self._kv):
            c.execute(f"DELETE FROM {table} WHERE rowid IN "
                      f"(SELECT rowid FROM {table} WHERE expires_at <= ? LIMIT {_BATCH_LIMIT})", (now,))
        for table in (self._locks, self._workers):
            c.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,))
        c.execute(f"DELETE FROM {self._events} WHERE id IN (SELECT id FROM {self._events} ORDER BY id "
                  f"LIMIT {_BATCH_LIMIT}) AND created < ?", (now - _EVENT_RETENTION_S,))

    # --- row helpers, called inside a write transaction ------------------------------

    def _emit(self, events: Iterable[TaskEvent]) -> None:
        """Add events to this thread's transaction, which writes them just before it commits."""
        self._local.events.extend(events)

    def _move(self, queue: str, n: int, src: int | None, dst: int | None) -> None:
        """Count ``n`` tasks of ``queue`` leaving ``src`` for ``dst`` (None: the table); every
        change to a task's state or existence calls this, and the transaction writes the sum."""
        depth = self._local.depth
        if src is not None:
            depth[queue, src] -= n
        if dst is not None:
            depth[queue, dst] += n

    def _put_result(self, c: sqlite3.Connection, queue: str, task_id: str, result: TaskResult,
                    expires_at: float | None) -> None:
        c.execute(f"INSERT OR REPLACE INTO {self._results} (queue, id, record, expires_at) "
                  "VALUES (?, ?, ?, ?)", (queue, task_id, records.pack_result(result), expires_at))

    def _drop_results(self, c: sqlite3.Connection, queue: str, task_ids: Iterable[str]) -> None:
        c.executemany(f"DELETE FROM {self._results} WHERE queue = ? AND id = ?",
                      [(queue, i) for i in task_ids])

    def _held(self, c: sqlite3.Connection, queue: str, task_id: str, lease_id: str) -> _Held | None:
        row = c.execute(f"SELECT {_HELD} FROM {self._tasks} WHERE queue = ? AND id = ? "
                        f"AND state = {LEASED} AND lease_id = ?", (queue, task_id, lease_id)).fetchone()
        return None if row is None else _Held(*row)

    def _requeue(self, c: sqlite3.Connection, h: _Held, attempt: int, delay_s: float, now: float) -> None:
        """Undelayed, it keeps its seq and so returns to the head; delayed, it joins the tail when due."""
        state = DELAYED if delay_s > 0 else READY
        c.execute(f"UPDATE {self._tasks} SET state = ?, due = ?, attempt = ?, lease_id = NULL WHERE seq = ?",
                  (state, now + delay_s, attempt, h.seq))
        self._move(h.queue, 1, LEASED, state)

    def _bury(self, c: sqlite3.Connection, h: _Held, attempt: int, error: TaskError, now: float) -> None:
        c.execute(f"UPDATE {self._tasks} SET state = {DEAD}, due = ?, attempt = ?, lease_id = NULL "
                  "WHERE seq = ?", (now, attempt, h.seq))
        self._move(h.queue, 1, LEASED, DEAD)
        self._put_result(c, h.queue, h.task_id, TaskResult(TaskState.DEAD, None, error, now, attempt), None)
        self._emit([TaskEvent(h.queue, h.task_id, EventKind.DEAD, now, message=error.message)])

    def _retry_or_bury(self, c: sqlite3.Connection, h: _Held, error: TaskError, now: float,
                       delay_s: float | None, retry: bool = True) -> Disposition:
        """Count a failed attempt, then back off (``delay_s`` None), wait ``delay_s``, or dead-letter."""
        attempt = h.attempt + 1
        if not retry or attempt >= h.max_attempts:
            self._bury(c, h, attempt, error, now)
            return Disposition.DEAD
        delay = retry_delay_s(attempt, self.settings) if delay_s is None else delay_s
        self._requeue(c, h, attempt, delay, now)
        self._emit([TaskEvent(h.queue, h.task_id, EventKind.RETRYING, now, message=error.message)])
        return Disposition.RETRYING

    def _to_tail(self, c: sqlite3.Connection, queue: str, src: int, seqs: list[int]) -> None:
        """Make tasks (due delayed ones, or replayed dead letters) ready, at the tail of their queue."""
        self._move(queue, len(seqs), src, READY)
        top: int = c.execute(f"SELECT coalesce(max(seq), 0) FROM {self._tasks}").fetchone()[0]
        reset = "attempt = 0, " if src == DEAD else ""
        c.executemany(f"UPDATE {self._tasks} SET {reset}seq = ?, state = {READY} WHERE seq = ?",
                      [(top + i, seq) for i, seq in enumerate(seqs, 1)])

    # --- producing --------------------------------------------------------------------

    def push_packed(self, batch: PackedBatch, *, max_depth: int = 0) -> list[tuple[int, str]]:
        # As Task objects through push: this store has no layout of its own for batches.
        from sergeant.packed import push_as_tasks

        return push_as_tasks(self.push, batch, max_depth)

    def push(self, tasks: Sequence[Task], *, max_depth: int = 0) -> list[PushResult]:
        check_tasks(tasks, self.settings, op="sqlite.push")
        now = self._now()
        by_queue: dict[str, list[str]] = collections.defaultdict(list)
        for t in tasks:
            by_queue[t.queue].append(t.id)
        envelopes = [records.pack_task(t) for t in tasks]  # before taking the write lock
        results: list[PushResult] = []
        rows: list[tuple[object, ...]] = []
        keys: dict[tuple[str, str], str] = {}
        with self._tx("sqlite.push") as c:
            # A task id already in its queue (live or dead) dedupes like an idempotency key.
            taken = {(q, i) for q, ids in by_queue.items() for (i,) in c.execute(
                f"SELECT id FROM {self._tasks} WHERE queue = ? AND id IN (SELECT value FROM json_each(?))",
                (q, json.dumps(ids)))}
            for t, envelope in zip(tasks, envelopes, strict=True):
                key = (t.queue, t.idempotency_key)
                earlier = (keys.get(key) or self._keyed(c, key, now)) if t.idempotency_key else None
                if earlier is None and (t.queue, t.id) in taken:
                    earlier = t.id
                if earlier is not None:
                    results.append(PushResult(earlier, False))
                    continue
                taken.add((t.queue, t.id))
                if t.idempotency_key:
                    keys[key] = t.id
                state = DELAYED if t.not_before > now else READY
                self._move(t.queue, 1, None, state)
                rows.append((t.queue, t.id, state, int(t.priority), t.not_before, t.attempt, t.max_attempts,
                             envelope))
                results.append(PushResult(t.id, True))
            adding = collections.Counter(str(row[0]) for row in rows)
            for queue, n in adding.items() if max_depth > 0 else ():
                depth: int = c.execute(f"SELECT coalesce(sum(n), 0) FROM {self._depth} WHERE queue = ? "
                                       f"AND state IN ({READY}, {DELAYED})", (queue,)).fetchone()[0]
                if depth + n > max_depth:
                    raise queue_full(queue, depth, n, max_depth, op="sqlite.push")
            c.executemany(f"INSERT OR IGNORE INTO {self._queues} (name) VALUES (?)", [(q,) for q in by_queue])
            c.executemany(f"INSERT INTO {self._tasks} (queue, id, state, priority, due, attempt, "
                          "max_attempts, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            expires_at = now + self.settings.idempotency_ttl_s
            c.executemany(f"INSERT OR REPLACE INTO {self._idem} (queue, key, task_id, expires_at) "
                          "VALUES (?, ?, ?, ?)", [(*key, i, expires_at) for key, i in keys.items()])
        return results

    def _keyed(self, c: sqlite3.Connection, key: tuple[str, str], now: float) -> str | None:
        """The task that an unexpired idempotency key (queue, key) names, if any."""
        row = c.execute(f"SELECT task_id FROM {self._idem} WHERE queue = ? AND key = ? AND expires_at > ?",
                        (*key, now)).fetchone()
        return None if row is None else str(row[0])

    # --- consuming ---------------------------------------------------------------------

    def lease(self, queue: str, count: int, lease_s: float, *, owner: str, wait_s: float = 0.0) -> list[Task]:
        validate_queue_name(queue, op="sqlite.lease")
        give_up = time.monotonic() + wait_s
        while True:
            with self._guard("sqlite.lease", queue):
                version = _data_version(self._conn())  # read before trying: no commit in between is missed
            leased, next_due = self._lease_once(queue, count, lease_s, owner)
            left = give_up - time.monotonic()
            if leased or left <= 0:
                return leased
            if next_due is not None:
                left = min(left, max(next_due - self._now(), _POLL_MIN_S))
            with self._guard("sqlite.lease", queue):
                _await_change(self._conn(), version, time.monotonic() + left, self._closing)

    def _lease_once(self, queue: str, count: int, lease_s: float,
                    owner: str) -> tuple[list[Task], float | None]:
        """Lease what is ready, or say when the next delayed task is due (None: nothing delayed)."""
        if count < 1:
            return [], None
        paused = f"SELECT 1 FROM {self._queues} WHERE name = ? AND paused"
        with self._tx("sqlite.lease", queue, write=False) as c:
            # Idle polls decide on a read, so that they never queue for the write lock.
            is_paused, ready, next_due = c.execute(
                f"SELECT EXISTS ({paused}), EXISTS (SELECT 1 FROM {self._tasks} WHERE queue = ? "
                f"AND state = {READY}), (SELECT min(due) FROM {self._tasks} WHERE queue = ? "
                f"AND state = {DELAYED})", (queue, queue, queue)).fetchone()
        now = self._now()
        if is_paused:
            return [], None
        if not ready and (next_due is None or next_due > now):
            return [], next_due
        lease_id, deadline = new_lease_id(owner), now + lease_s
        with self._tx("sqlite.lease", queue) as c:
            if c.execute(paused, (queue,)).fetchone():
                return [], None
            # Bounded, so that a burst of due tasks never holds the write lock for long.
            due = c.execute(f"SELECT seq FROM {self._tasks} WHERE queue = ? AND state = {DELAYED} "
                            f"AND due <= ? ORDER BY due, seq LIMIT {_BATCH_LIMIT}", (queue, now)).fetchall()
            self._to_tail(c, queue, DELAYED, [seq for (seq,) in due])
            rows = c.execute(f"SELECT seq, id, attempt, envelope FROM {self._tasks} WHERE queue = ? "
                             f"AND state = {READY} ORDER BY priority DESC, seq LIMIT ?",
                             (queue, count)).fetchall()
            c.executemany(f"UPDATE {self._tasks} SET state = {LEASED}, lease_id = ?, due = ? WHERE seq = ?",
                          [(lease_id, deadline, row[0]) for row in rows])
            self._move(queue, len(rows), READY, LEASED)
            self._emit(TaskEvent(queue, row[1], EventKind.STARTED, now) for row in rows)
        leased = [records.unpack_task(envelope, attempt) for _, _, attempt, envelope in rows]
        for position, task in enumerate(leased):
            task.lease_id, task.lease_deadline, task.lease_position = lease_id, deadline, position
        return leased, None

    def extend(self, queue: str, task_ids: Sequence[str], lease_id: str, lease_s: float) -> list[str]:
        validate_queue_name(queue, op="sqlite.extend")
        deadline = self._now() + lease_s
        with self._tx("sqlite.extend", queue) as c:
            return [task_id for task_id in task_ids if c.execute(
                f"UPDATE {self._tasks} SET due = ? WHERE queue = ? AND id = ? AND state = {LEASED} "
                "AND lease_id = ?", (deadline, queue, task_id, lease_id)).rowcount]

    def settle(self, queue: str, settlements: Sequence[Settlement]) -> list[bool]:
        validate_queue_name(queue, op="sqlite.settle")
        now = self._now()
        expires_at = now + self.settings.result_ttl_s
        held: list[bool] = []
        with self._tx("sqlite.settle", queue) as c:
            for s in settlements:
                rows = c.execute(f"SELECT seq, id FROM {self._tasks} WHERE lease_id = ? AND state = {LEASED} "
                                 "AND queue = ?", (s.lease_id, queue)).fetchall()
                held.append(bool(rows))
                wanted = None if s.done is None else {task_id for _, task_id in s.done}
                done = [(seq, task_id) for seq, task_id in rows if wanted is None or task_id in wanted]
                c.executemany(f"DELETE FROM {self._tasks} WHERE seq = ?", [(seq,) for seq, _ in done])
                self._move(queue, len(done), LEASED, None)
                kept = [(task_id, s.results[task_id]) for _, task_id in done if task_id in s.results]
                c.executemany(f"INSERT OR REPLACE INTO {self._results} (queue, id, record, expires_at) "
                              "VALUES (?, ?, ?, ?)", [(queue, task_id, records.pack_result(result), expires_at)
                                                      for task_id, result in kept])
                self._emit(TaskEvent(queue, task_id, EventKind.SUCCEEDED, now) for task_id, _ in kept)
        return held

    def ack(self, queue: str, acks: Sequence[Ack]) -> list[Disposition]:
        validate_queue_name(queue, op="sqlite.ack")
        now = self._now()
        expires_at = now + self.settings.result_ttl_s
        out: list[Disposition] = []
        done: dict[int, tuple[Ack, _Held]] = {}
        with self._tx("sqlite.ack", queue) as c:
            for a in acks:
                h = self._held(c, queue, a.task_id, a.lease_id)
                if h is None or h.seq in done:  # a repeated ack in one batch settles nothing
                    out.append(Disposition.LEASE_LOST)
                    continue
                done[h.seq] = (a, h)
                out.append(Disposition.DONE)
            c.executemany(f"DELETE FROM {self._tasks} WHERE seq = ?", [(seq,) for seq in done])
            self._move(queue, len(done), LEASED, None)
            c.executemany(f"INSERT OR REPLACE INTO {self._results} (queue, id, record, expires_at) "
                          "VALUES (?, ?, ?, ?)", [(queue, a.task_id, records.pack_result(a.record(now, h.attempt)),
                                                   expires_at) for a, h in done.values()])
            self._emit(TaskEvent(queue, a.task_id, a.event, now) for a, _ in done.values())
        return out

    def fail(self, queue: str, failures: Sequence[Failure]) -> list[Disposition]:
        validate_queue_name(queue, op="sqlite.fail")
        now = self._now()
        out: list[Disposition] = []
        with self._tx("sqlite.fail", queue) as c:
            for f in failures:
                h = self._held(c, queue, f.task_id, f.lease_id)
                out.append(Disposition.LEASE_LOST if h is None
                           else self._retry_or_bury(c, h, f.error, now, f.delay_s, f.retry))
        return out

    def release(self, queue: str, releases: Sequence[Release]) -> list[Disposition]:
        validate_queue_name(queue, op="sqlite.release")
        now = self._now()
        out: list[Disposition] = []
        with self._tx("sqlite.release", queue) as c:
            for r in releases:
                h = self._held(c, queue, r.task_id, r.lease_id)
                if h is None:
                    out.append(Disposition.LEASE_LOST)
                elif r.count_attempt:
                    dead = self._retry_or_bury(c, h, _RELEASED, now, r.delay_s) is Disposition.DEAD
                    out.append(Disposition.DEAD if dead else Disposition.REQUEUED)
                else:
                    self._requeue(c, h, h.attempt, r.delay_s, now)
                    out.append(Disposition.REQUEUED)
        return out

    def release_owner(self, owner: str, *, error: TaskError | None = None) -> int:
        now = self._now()
        with self._tx("sqlite.release_owner") as c:
            # '0' sorts right after '/': the range holds every lease id that starts with "owner/".
            rows = c.execute(f"SELECT {_HELD}, lease_id FROM {self._tasks} WHERE state = {LEASED} "
                             "AND lease_id >= ? AND lease_id < ?", (owner + "/", owner + "0")).fetchall()
            held = [_Held(*row[:-1]) for row in rows if lease_owner(row[-1]) == owner]
            for h in held:
                self._retry_or_bury(c, h, error or _WORKER_DIED, now, 0.0)
        return len(held)

    def reclaim_expired(self, queue: str) -> int:
        validate_queue_name(queue, op="sqlite.reclaim_expired")
        now = self._now()
        reclaimed = 0
        while True:  # in bounded transactions, so that others get the write lock in between
            with self._tx("sqlite.reclaim_expired", queue) as c:
                rows = c.execute(f"SELECT {_HELD} FROM {self._tasks} WHERE queue = ? AND state = {LEASED} "
                                 f"AND due <= ? ORDER BY due, seq LIMIT {_BATCH_LIMIT}", (queue, now)).fetchall()
                for row in rows:
                    self._retry_or_bury(c, _Held(*row), _LEASE_EXPIRED, now, 0.0)
            reclaimed += len(rows)
            if len(rows) < _BATCH_LIMIT:
                return reclaimed

    # --- reading and operating ----------------------------------------------------------

    def get(self, queue: str, task_id: str) -> TaskInfo:
        validate_queue_name(queue, op="sqlite.get")
        validate_task_id(task_id, op="sqlite.get", queue=queue)
        now = self._now()
        with self._tx("sqlite.get", queue, write=False) as c:
            row = c.execute(f"SELECT state, due, attempt, lease_id, envelope FROM {self._tasks} "
                            "WHERE queue = ? AND id = ?", (queue, task_id)).fetchone()
            raw = c.execute(f"SELECT record FROM {self._results} WHERE queue = ? AND id = ? "
                            "AND (expires_at IS NULL OR expires_at > ?)", (queue, task_id, now)).fetchone()
        result = None if raw is None else records.unpack_result(raw[0])
        if row is None:
            if result is None:
                raise TaskNotFound("no such task, or its result has expired", op="sqlite.get", queue=queue,
                                   task_id=task_id)
            return TaskInfo(queue, task_id, result.state, result=result)
        state, due, attempt, lease_id, envelope = row
        task = records.unpack_task(envelope, attempt)
        if state == LEASED:
            task.lease_id, task.lease_deadline = lease_id, due
        elif state == DELAYED:
            task.not_before = due
        shown = TaskState.PENDING if state == DELAYED and due <= now else _TASK_STATES[state]
        return TaskInfo(queue, task_id, shown, task, result if state == DEAD else None)

    def cancel(self, queue: str, task_id: str) -> CancelOutcome:
        validate_queue_name(queue, op="sqlite.cancel")
        validate_task_id(task_id, op="sqlite.cancel", queue=queue)
        now = self._now()
        with self._tx("sqlite.cancel", queue) as c:
            row = c.execute(f"SELECT seq, state, attempt FROM {self._tasks} WHERE queue = ? AND id = ?",
                            (queue, task_id)).fetchone()
            if row is None:
                if c.execute(f"SELECT 1 FROM {self._results} WHERE queue = ? AND id = ? AND "
                             "(expires_at IS NULL OR expires_at > ?)", (queue, task_id, now)).fetchone():
                    return CancelOutcome.FINISHED
                raise TaskNotFound("no such task, or its result has expired", op="sqlite.cancel", queue=queue,
                                   task_id=task_id)
            seq, state, attempt = row
            if state == DEAD:
                return CancelOutcome.FINISHED
            if state == LEASED:
                self._emit([TaskEvent(queue, task_id, EventKind.CANCEL_REQUESTED, now)])
                return CancelOutcome.RUNNING
            c.execute(f"DELETE FROM {self._tasks} WHERE seq = ?", (seq,))
            self._move(queue, 1, state, None)
            self._put_result(c, queue, task_id, TaskResult(TaskState.CANCELLED, None, None, now, attempt),
                             now + self.settings.result_ttl_s)
            self._emit([TaskEvent(queue, task_id, EventKind.CANCELLED, now)])
            return CancelOutcome.CANCELLED

    def counts(self, queue: str) -> QueueCounts:
        validate_queue_name(queue, op="sqlite.counts")
        now = self._now()
        with self._tx("sqlite.counts", queue, write=False) as c:
            n = collections.Counter[int](dict(c.execute(
                f"SELECT state, n FROM {self._depth} WHERE queue = ?", (queue,)).fetchall()))
            # A delayed task that is due counts as ready, though the next lease has yet to move it.
            due: int = c.execute(f"SELECT count(*) FROM {self._tasks} WHERE queue = ? AND state = {DELAYED} "
                                 "AND due <= ?", (queue, now)).fetchone()[0]
            paused = c.execute(f"SELECT 1 FROM {self._queues} WHERE name = ? AND paused", (queue,)).fetchone()
        return QueueCounts(queue, ready=n[READY] + due, delayed=n[DELAYED] - due, leased=n[LEASED],
                           dead=n[DEAD], paused=bool(paused))

    def queues(self) -> list[str]:
        with self._tx("sqlite.queues", write=False) as c:
            return [name for (name,) in c.execute(f"SELECT name FROM {self._queues} ORDER BY name")]

    def forget_idle_queues(self, idle_s: float) -> list[str]:
        # A queue row with no task row left, live or dead, and not paused: a push adds it back in its transaction.
        # (No push time is kept here, so idle_s is not consulted: an empty row costs nothing until it is listed.)
        with self._tx("sqlite.forget_idle_queues") as c:
            idle = [name for (name,) in c.execute(
                f"SELECT name FROM {self._queues} WHERE paused = 0 AND NOT EXISTS "
                f"(SELECT 1 FROM {self._tasks} WHERE queue = name)")]
            c.executemany(f"DELETE FROM {self._queues} WHERE name = ?", [(name,) for name in idle])
        return idle

    def purge(self, queue: str) -> int:
        validate_queue_name(queue, op="sqlite.purge")
        purged = 0
        with self._tx("sqlite.purge", queue) as c:
            for state in (READY, DELAYED):
                n: int = c.execute(f"DELETE FROM {self._tasks} WHERE queue = ? AND state = ?",
                                   (queue, state)).rowcount
                self._move(queue, n, state, None)
                purged += n
        return purged

    def pause(self, queue: str) -> None:
        self._set_paused(queue, True, op="sqlite.pause")

    def resume(self, queue: str) -> None:
        self._set_paused(queue, False, op="sqlite.resume")

    def _set_paused(self, queue: str, paused: bool, *, op: str) -> None:
        validate_queue_name(queue, op=op)
        with self._tx(op, queue) as c:
            c.execute(f"INSERT INTO {self._queues} (name, paused) VALUES (?, ?) "
                      "ON CONFLICT (name) DO UPDATE SET paused = excluded.paused", (queue, paused))

    def dead_letters(self, queue: str, *, limit: int = 100, offset: int = 0) -> list[DeadLetter]:
        validate_queue_name(queue, op="sqlite.dead_letters")
        with self._tx("sqlite.dead_letters", queue, write=False) as c:
            rows = c.execute(f"SELECT t.envelope, t.attempt, t.due, r.record FROM {self._tasks} t "
                             f"LEFT JOIN {self._results} r ON r.queue = t.queue AND r.id = t.id "
                             f"WHERE t.queue = ? AND t.state = {DEAD} ORDER BY t.due, t.seq LIMIT ? OFFSET ?",
                             (queue, limit, offset)).fetchall()
        return [DeadLetter(records.unpack_task(envelope, attempt),
                           None if record is None else records.unpack_result(record).error, died_at)
                for envelope, attempt, died_at, record in rows]

    def _dead(self, c: sqlite3.Connection, queue: str, task_ids: Sequence[str]) -> list[tuple[int, str]]:
        """(seq, id) of the named dead letters (all when none are named), oldest death first."""
        select = f"SELECT due, seq, id FROM {self._tasks} WHERE queue = ? AND state = {DEAD}"
        if not task_ids:
            rows = c.execute(select, (queue,)).fetchall()
        else:
            unique = dict.fromkeys(task_ids)  # naming a task twice must not move it twice
            rows = [row for i in unique for row in c.execute(f"{select} AND id = ?", (queue, i))]
        return [(seq, task_id) for _, seq, task_id in sorted(rows)]

    def replay_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        validate_queue_name(queue, op="sqlite.replay_dead")
        with self._tx("sqlite.replay_dead", queue) as c:
            dead = self._dead(c, queue, task_ids)
            self._to_tail(c, queue, DEAD, [seq for seq, _ in dead])
            self._drop_results(c, queue, [i for _, i in dead])
        return len(dead)

    def purge_dead(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        validate_queue_name(queue, op="sqlite.purge_dead")
        with self._tx("sqlite.purge_dead", queue) as c:
            dead = self._dead(c, queue, task_ids)
            c.executemany(f"DELETE FROM {self._tasks} WHERE seq = ?", [(seq,) for seq, _ in dead])
            self._move(queue, len(dead), DEAD, None)
            self._drop_results(c, queue, [i for _, i in dead])
        return len(dead)

    # --- events ----------------------------------------------------------------------------

    def publish(self, events: Sequence[TaskEvent]) -> None:
        for event in events:
            validate_queue_name(event.queue, op="sqlite.publish")
        with self._tx("sqlite.publish"):
            self._emit(events)

    def subscribe(self, queues: Sequence[str]) -> Subscription:
        for queue in queues:
            validate_queue_name(queue, op="sqlite.subscribe")
        with self._guard("sqlite.subscribe"):
            return _Subscription(self, self._open(), self._events, frozenset(queues))

    # --- workers registry ---------------------------------------------------------------------

    def heartbeat_worker(self, record: WorkerRecord, ttl_s: float) -> None:
        expires_at = self._now() + ttl_s
        with self._tx("sqlite.heartbeat_worker", record.queue) as c:
            c.execute(f"INSERT OR REPLACE INTO {self._workers} (worker_id, record, expires_at) "
                      "VALUES (?, ?, ?)",
                      (record.worker_id, records.pack_worker(record, expires_at), expires_at))

    def remove_worker(self, worker_id: str) -> None:
        with self._tx("sqlite.remove_worker") as c:
            c.execute(f"DELETE FROM {self._workers} WHERE worker_id = ?", (worker_id,))

    def workers(self) -> list[WorkerRecord]:
        with self._tx("sqlite.workers", write=False) as c:
            rows = c.execute(f"SELECT record FROM {self._workers} WHERE expires_at > ? ORDER BY worker_id",
                             (self._now(),)).fetchall()
        return [records.unpack_worker(raw)[0] for (raw,) in rows]

    # --- locks and key/value -------------------------------------------------------------------

    def acquire_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        now = self._now()
        with self._tx("sqlite.acquire_lock") as c:
            return c.execute(f"INSERT INTO {self._locks} (name, owner, expires_at) VALUES (?, ?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = "
                             f"excluded.expires_at WHERE {self._locks}.expires_at <= ?",
                             (name, owner, now + ttl_s, now)).rowcount == 1

    def release_lock(self, name: str, owner: str) -> bool:
        with self._tx("sqlite.release_lock") as c:
            return c.execute(f"DELETE FROM {self._locks} WHERE name = ? AND owner = ? AND expires_at > ?",
                             (name, owner, self._now())).rowcount == 1

    def extend_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        now = self._now()
        with self._tx("sqlite.extend_lock") as c:
            return c.execute(f"UPDATE {self._locks} SET expires_at = ? WHERE name = ? AND owner = ? "
                             "AND expires_at > ?", (now + ttl_s, name, owner, now)).rowcount == 1

    def lock_ttl(self, name: str) -> float | None:
        now = self._now()
        with self._tx("sqlite.lock_ttl", write=False) as c:
            row = c.execute(f"SELECT expires_at FROM {self._locks} WHERE name = ? AND expires_at > ?",
                            (name, now)).fetchone()
        return None if row is None else float(row[0]) - now

    def set_key(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        if ttl_s is not None and ttl_s <= 0:
            raise InvalidArgument(f"ttl_s must be positive, got {ttl_s}", op="sqlite.set_key")
        with self._tx("sqlite.set_key") as c:
            c.execute(f"INSERT OR REPLACE INTO {self._kv} (key, value, expires_at) VALUES (?, ?, ?)",
                      (key, value, None if ttl_s is None else self._now() + ttl_s))

    def get_key(self, key: str) -> bytes | None:
        with self._tx("sqlite.get_key", write=False) as c:
            row = c.execute(f"SELECT value FROM {self._kv} WHERE key = ? "
                            "AND (expires_at IS NULL OR expires_at > ?)", (key, self._now())).fetchone()
        return None if row is None else bytes(row[0])

    def delete_key(self, key: str) -> bool:
        with self._tx("sqlite.delete_key") as c:
            return c.execute(f"DELETE FROM {self._kv} WHERE key = ? "
                             "AND (expires_at IS NULL OR expires_at > ?)", (key, self._now())).rowcount == 1

    # --- lifecycle -------------------------------------------------------------------------------

    def identity(self) -> base.StoreIdentity:
        # Resolved here, in the process that opened it: a relative path names a file in that process's directory.
        return base.StoreIdentity("sqlite", os.path.realpath(self._path), self.settings.key_prefix)

    def ping(self) -> None:
        with self._tx("sqlite.ping", write=False) as c:
            c.execute(f"SELECT 1 FROM {self._tasks} LIMIT 1")

    def close(self) -> None:
        """Wake blocked calls, wait for calls in flight, then close this process's connections.

        Later calls raise StoreUnavailable. A call still running after the busy timeout keeps its
        connection open: a leaked connection is better than a crashed process."""
        with self._idle:
            self._closing.set()
            drained = self._idle.wait_for(lambda: not self._in_flight[os.getpid()], timeout=_BUSY_TIMEOUT_S + 1)
        if not drained:
            log(logger, logging.WARNING, "sqlite.close_busy", path=self._path,
                in_flight=self._in_flight[os.getpid()])
            return
        with self._conns_lock:
            conns, self._conns = self._conns, []
        for pid, c in conns:
            if pid == os.getpid():  # closing a connection inherited through fork could disturb the parent's
                c.close()


class _Subscription:
    """Tails the events table from the last id committed when it was opened."""

    def __init__(self, store: SQLiteStore, conn: sqlite3.Connection, table: str,
                 queues: frozenset[str]) -> None:
        self._store, self._conn, self._table, self._queues = store, conn, table, queues
        self._lock = threading.Lock()  # one connection: one caller at a time
        self._closing = threading.Event()
        self._last: int = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]

    def get(self, timeout_s: float) -> list[TaskEvent]:
        give_up = time.monotonic() + timeout_s
        with self._lock, self._store._guard("sqlite.subscription.get"):
            if self._closing.is_set():
                raise StoreUnavailable("the subscription is closed", op="sqlite.subscription.get")
            while True:
                version = _data_version(self._conn)
                events = self._fetch()
                if events or time.monotonic() >= give_up or self._closing.is_set():
                    return events
                _await_change(self._conn, version, give_up, self._closing)

    def _fetch(self) -> list[TaskEvent]:
        """Events of our queues committed since the last call (none: every committed one was read)."""
        while True:
            rows = self._conn.execute(f"SELECT id, queue, record FROM {self._table} WHERE id > ? ORDER BY id "
                                      f"LIMIT {_BATCH_LIMIT}", (self._last,)).fetchall()
            if rows:
                self._last = rows[-1][0]
            events = [records.unpack_event(raw) for _, queue, raw in rows if not self._queues or queue in self._queues]
            if events or len(rows) < _BATCH_LIMIT:
                return events

    def close(self) -> None:
        self._closing.set()
        with self._lock:
            self._conn.close()
        self._store._forget(self._conn)
