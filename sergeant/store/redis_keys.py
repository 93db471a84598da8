"""Every Redis key Sergeant uses, and nothing else builds one.

All keys of one queue carry the ``{queue}`` hash tag, so one queue lives in one
hash slot and every Lua script touches a single slot: the same code runs on
Redis Cluster.  Keys shared by all queues (the queue set, workers, locks,
key/value) are only touched by single commands, never inside a script.
"""

from __future__ import annotations

import dataclasses
import functools


@dataclasses.dataclass(frozen=True, slots=True)
class QueueKeys:
    ready_high: str  # LIST of task ids, leased from the head
    ready_normal: str  # LIST of task ids
    delayed_high: str  # ZSET task id -> not-before (unix s)
    delayed_normal: str  # ZSET task id -> not-before
    leased: str  # ZSET task id -> lease deadline
    leases: str  # HASH task id -> lease id currently holding it
    tasks: str  # HASH task id -> packed envelope, while the task is live or dead
    attempts: str  # HASH task id -> failed attempts so far (absent means 0)
    dead: str  # ZSET task id -> time it died
    paused: str  # STRING, present while the queue is paused
    notify: str  # LIST of at most one token; blocking leases BLPOP it
    channel: str  # pub/sub channel of the queue's events
    _result_prefix: str
    _idempotency_prefix: str

    def result(self, task_id: str) -> str:
        """STRING: the packed terminal record of a task (TTL: result TTL; none while dead)."""
        return self._result_prefix + task_id

    def idempotency(self, key: str) -> str:
        """STRING: the id of the task first pushed with this idempotency key (TTL: the window)."""
        return self._idempotency_prefix + key

    @property
    def ready(self) -> tuple[str, str]:
        return self.ready_high, self.ready_normal

    @property
    def delayed(self) -> tuple[str, str]:
        return self.delayed_high, self.delayed_normal


@functools.lru_cache(maxsize=4096)
def queue_keys(prefix: str, queue: str) -> QueueKeys:
    base = f"{prefix}:{{{queue}}}:"
    return QueueKeys(
        ready_high=base + "ready:high",
        ready_normal=base + "ready:normal",
        delayed_high=base + "delayed:high",
        delayed_normal=base + "delayed:normal",
        leased=base + "leased",
        leases=base + "leases",
        tasks=base + "tasks",
        attempts=base + "attempts",
        dead=base + "dead",
        paused=base + "paused",
        notify=base + "notify",
        channel=base + "events",
        _result_prefix=base + "result:",
        _idempotency_prefix=base + "idem:",
    )


def queues_key(prefix: str) -> str:
    """SET of every queue name ever pushed to."""
    return f"{prefix}:queues"


def workers_key(prefix: str) -> str:
    """HASH worker id -> packed worker record (with its own expiry time)."""
    return f"{prefix}:workers"


def lock_key(prefix: str, name: str) -> str:
    """STRING holding the owner token of a lock, with the lock's TTL."""
    return f"{prefix}:lock:{name}"


def kv_key(prefix: str, key: str) -> str:
    return f"{prefix}:kv:{key}"


def events_pattern(prefix: str) -> str:
    return f"{prefix}:{{*}}:events"
