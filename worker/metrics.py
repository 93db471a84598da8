"""What only workers see, counted where it happens: the tasks they lease and the tasks that succeed (both go
straight to the store, never through the gateway).

A worker under ``sergeant supervise --metrics-listen`` finds ``PROMETHEUS_MULTIPROC_DIR`` in its environment:
prometheus_client then keeps these values in files there, which the supervisor adds up over its children (living
and dead) when scraped.  Elsewhere they are ordinary in-process counters.  One worker process serves one queue, so
the queue label stays bounded by the queues a deployment runs workers for.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Histogram

from sergeant.v1 import worker_pb2

leased = Counter("sergeant_tasks_leased", "Tasks leased by workers", ["queue"])
succeeded = Counter("sergeant_tasks_succeeded", "Tasks that succeeded (settled by the worker in the store)",
                    ["queue"])

run_seconds = Histogram("sergeant_task_run_seconds", "Time from a task's start in a worker to its outcome, by outcome",
                        ["queue", "outcome"],
                        buckets=(0.001, 0.005, 0.025, 0.1, 0.25, 1.0, 2.5, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0))

latency_seconds = Histogram("sergeant_task_latency_seconds", "Time from a task being due (pushed, or its delay over) "
                            "to its final outcome in a worker: succeeded, dead or cancelled", ["queue", "outcome"],
                            buckets=(0.005, 0.025, 0.1, 0.25, 1.0, 2.5, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 86400.0))
_FINAL = frozenset({worker_pb2.OUTCOME_KIND_SUCCEEDED, worker_pb2.OUTCOME_KIND_DEAD, worker_pb2.OUTCOME_KIND_CANCELLED})


class QueueCounters:
    """One queue's metrics, labelled once: a success costs an increment, not a label lookup."""

    def __init__(self, queue: str) -> None:
        self.leased = leased.labels(queue)
        self.succeeded = succeeded.labels(queue)
        self._queue = queue
        self._runs: dict[int, tuple[Any, Any]] = {}  # outcome kind -> its histograms, made when first seen

    def ran(self, kind: int, seconds: float, due_at: float) -> None:
        """A task ended ``kind`` after running ``seconds``; it was due at ``due_at`` (time.time())."""
        if (histograms := self._runs.get(kind)) is None:
            outcome = worker_pb2.OutcomeKind.Name(kind).removeprefix("OUTCOME_KIND_").lower()
            histograms = self._runs[kind] = (run_seconds.labels(self._queue, outcome),
                                             latency_seconds.labels(self._queue, outcome) if kind in _FINAL else None)
        histograms[0].observe(seconds)
        if histograms[1] is not None:
            histograms[1].observe(max(time.time() - due_at, 0.0))  # clocks of different hosts may disagree a little
