"""The gateway's Prometheus metrics (docs/operations.md lists them all).

Each gateway has its own registry, so that several gateways in one process (tests, embedding) count apart.  The
counters here are the ones the gateway sees happen: pushes, and the outcomes that reach it through worker sessions
(failures, retries, dead letters, cancels).  Successes and leases happen in the workers, which lease and settle
straight in the store: their supervisors export those (``sergeant.worker.metrics``).  Queue depths are read from
the store at scrape time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from sergeant.store.base import Disposition, QueueCounts
from sergeant.v1 import worker_pb2 as K

MAX_QUEUES = 200  # distinct queue labels one process exports; the rest count under OTHER
OTHER = "_other"
_FAILURES = frozenset({K.OUTCOME_KIND_FAILED, K.OUTCOME_KIND_TIMED_OUT, K.OUTCOME_KIND_RETRY, K.OUTCOME_KIND_DEAD})
_RPC_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class QueueLabels:
    """Bounds the queue label: the first ``limit`` queues seen keep their name, later ones share ``_other``, so
    that a producer inventing queue names cannot grow the exposition without bound."""

    def __init__(self, limit: int = MAX_QUEUES) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, queue: str) -> str:
        if queue in self._seen:
            return queue
        with self._lock:
            if len(self._seen) >= self._limit:
                return OTHER
            self._seen.add(queue)
        return queue


class QueueDepths(Collector):
    """``sergeant_queue_tasks{queue,state}``: ready, delayed, leased and dead, read from the store when scraped
    (for the first ``limit`` queues in name order; ``sergeant_queues`` says how many there are)."""

    def __init__(self, queues: Callable[[], list[str]], counts: Callable[[str], QueueCounts],
                 limit: int = MAX_QUEUES) -> None:
        self._queues = queues
        self._counts = counts
        self._limit = limit

    def collect(self) -> Iterable[Metric]:
        names = self._queues()
        depth = GaugeMetricFamily("sergeant_queue_tasks", "Tasks in a queue by state, read from the store at scrape "
                                  "time", labels=["queue", "state"])
        for name in names[:self._limit]:
            c = self._counts(name)
            for state, value in (("ready", c.ready), ("delayed", c.delayed), ("leased", c.leased), ("dead", c.dead)):
                depth.add_metric([name, state], value)
        yield depth
        yield GaugeMetricFamily("sergeant_queues", "Queues the store knows (depths are exported for the first "
                                f"{self._limit} by name)", value=len(names))


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.queue = QueueLabels()
        r = self.registry
        ProcessCollector(registry=r)  # process_resident_memory_bytes and friends
        self.pushed = Counter("sergeant_tasks_pushed", "Tasks stored by pushes (duplicates of an idempotency key "
                              "not counted)", ["queue"], registry=r)
        self.failed = Counter("sergeant_tasks_failed", "Failure outcomes settled (failed, timed out, retry asked, "
                              "dead)", ["queue"], registry=r)
        self.retried = Counter("sergeant_tasks_retried", "Failures scheduled to run again", ["queue"], registry=r)
        self.dead = Counter("sergeant_tasks_dead", "Tasks moved to the dead letters", ["queue"], registry=r)
        self.cancelled = Counter("sergeant_tasks_cancelled", "Tasks cancelled (queued ones by Cancel, running ones "
                                 "by their worker)", ["queue"], registry=r)
        self.requeued = Counter("sergeant_tasks_requeued", "Tasks given back to their queue by a worker",
                                ["queue"], registry=r)
        self.rpcs = Counter("sergeant_rpc", "gRPC calls handled, by method and status code", ["method", "code"],
                            registry=r)
        self.rpc_seconds = Histogram("sergeant_rpc_seconds", "gRPC call latency (streams: their whole life)",
                                     ["method", "code"], buckets=_RPC_BUCKETS, registry=r)
        self.watchers = Gauge("sergeant_watchers", "Watch and Submit streams open, dashboard task streams included", registry=r)
        self.worker_sessions = Gauge("sergeant_worker_sessions", "Worker sessions open", registry=r)
        self.inflight_bytes = Gauge("sergeant_inflight_request_bytes", "Memory held by the requests in progress, "
                                    "counted at 10 times their size on the wire (the memory budget's room)",
                                    registry=r)

    def observe_rpc(self, method: str, code: str, seconds: float) -> None:
        self.rpcs.labels(method, code).inc()
        self.rpc_seconds.labels(method, code).observe(seconds)

    def count(self, counter: Counter, queue: str, n: int = 1) -> None:
        if n:
            counter.labels(self.queue(queue)).inc(n)

    def settled(self, queue: str, outcomes: Iterable[tuple[int, Disposition]]) -> None:
        """Count the outcomes of one worker's batch (an ``OUTCOME_KIND_*`` and what the store did with it); those
        whose lease was lost changed nothing and count nowhere."""
        for kind, disposition in outcomes:
            if kind in _FAILURES and disposition in (Disposition.RETRYING, Disposition.DEAD):
                self.count(self.failed, queue)
                self.count(self.retried if disposition is Disposition.RETRYING else self.dead, queue)
            elif kind == K.OUTCOME_KIND_CANCELLED and disposition is Disposition.DONE:
                self.count(self.cancelled, queue)
            elif kind == K.OUTCOME_KIND_REQUEUE and disposition is Disposition.REQUEUED:
                self.count(self.requeued, queue)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

