"""Every Redis key Sergeant uses, and nothing else builds one.

All keys of one queue carry the ``{queue}`` hash tag, so one queue lives in one
hash slot and every Lua script touches a single slot: the same code runs on
Redis Cluster.  Keys shared by all queues (the queue set, workers, locks,
key/value) are only touched by single commands, never inside a script; on a
cluster their prefix is a hash tag of its own (``shared_prefix``).
"""

from __future__ import annotations

import dataclasses
import functools


@dataclasses.dataclass(frozen=True, slots=True)
class QueueKeys:
    ready_high: str  # LIST of pieces (runs of task records, sergeant/store/pieces.py), leased from the head
    ready_normal: str  # LIST of pieces
    delayed_high: str  # ZSET piece -> not-before (unix s)
    delayed_normal: str  # ZSET piece -> not-before
    leased: str  # ZSET lease id -> lease deadline: one entry per lease, not per task
    leases: str  # HASH lease id -> its pieces back to back; "<lease id>|done" -> its done-set
    counts: str  # HASH high / normal / delayed / leased -> tasks in each
    index: str  # HASH task id -> state ("p", "s", "a", "c") of a live task that wants a result
    tasks: str  # HASH task id -> packed envelope of a dead task
    dead: str  # ZSET task id -> time it died
    paused: str  # STRING, present while the queue is paused
    notify: str  # LIST of at most one token; blocking leases BLPOP it
    channel: str  # pub/sub channel of the queue's events
    _result_prefix: str
    _results_prefix: str
    _idempotency_prefix: str

    def result(self, task_id: str) -> str:
        """STRING: the packed dead record of a task (no TTL: kept until replayed or purged)."""
        return self._result_prefix + task_id

    def results(self, bucket: int) -> str:
        """HASH task id -> packed terminal record, for the tasks finished in one time bucket (expires whole)."""
        return f"{self._results_prefix}{bucket}"

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
        counts=base + "counts",
        index=base + "index",
        tasks=base + "tasks",
        dead=base + "dead",
        paused=base + "paused",
        notify=base + "notify",
        channel=base + "events",
        _result_prefix=base + "result:",
        _results_prefix=base + "results:",
        _idempotency_prefix=base + "idem:",
    )


def shared_prefix(prefix: str, *, cluster: bool) -> str:
    """The prefix of the keys shared by all queues: on a cluster ``{prefix}``, so that they share one known slot
    (the one of the prefix) and a multi-key command over them stays possible; on one Redis, the prefix itself."""
    return f"{{{prefix}}}" if cluster else prefix


def queues_key(prefix: str) -> str:
    """SET of every queue name ever pushed to."""
    return f"{prefix}:queues"


def workers_key(prefix: str) -> str:
    """HASH worker id -> packed worker record (with its own expiry time)."""
    return f"{prefix}:workers"


def lock_key(prefix: str, name: str) -> str:
    """STRING holding the owner token of a lock, with the lock's TTL."""
    return f"{prefix}:lock:{name}"


def cluster_id_key(prefix: str) -> str:
    """STRING: a random id set once, which names a cluster whatever node a client was given as its seed."""
    return f"{prefix}:cluster-id"


def kv_key(prefix: str, key: str) -> str:
    return f"{prefix}:kv:{key}"


def events_pattern(prefix: str) -> str:
    return f"{prefix}:{{*}}:events"
