"""What only workers see, counted where it happens: the tasks they lease and the tasks that succeed (both go
straight to the store, never through the gateway).

A worker under ``sergeant supervise --metrics-listen`` finds ``PROMETHEUS_MULTIPROC_DIR`` in its environment:
prometheus_client then keeps these values in files there, which the supervisor adds up over its children (living
and dead) when scraped.  Elsewhere they are ordinary in-process counters.  One worker process serves one queue, so
the queue label stays bounded by the queues a deployment runs workers for.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram

from sergeant.v1 import worker_pb2

leased = Counter("sergeant_tasks_leased", "Tasks leased by workers", ["queue"])
succeeded = Counter("sergeant_tasks_succeeded", "Tasks that succeeded (settled by the worker in the store)",
                    ["queue"])

run_seconds = Histogram("sergeant_task_run_seconds", "Time from a task's start in a worker to its outcome, by outcome",
                        ["queue", "outcome"],
                        buckets=(0.001, 0.005, 0.025, 0.1, 0.25, 1.0, 2.5, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0))


class QueueCounters:
    """One queue's metrics, labelled once: a success costs an increment, not a label lookup."""

    def __init__(self, queue: str) -> None:
        self.leased = leased.labels(queue)
        self.succeeded = succeeded.labels(queue)
        self._queue = queue
        self._runs: dict[int, Any] = {}  # outcome kind -> its histogram, made when first seen (no empty series)

    def ran(self, kind: int, seconds: float) -> None:
        if (histogram := self._runs.get(kind)) is None:
            outcome = worker_pb2.OutcomeKind.Name(kind).removeprefix("OUTCOME_KIND_").lower()
            histogram = self._runs[kind] = run_seconds.labels(self._queue, outcome)
        histogram.observe(seconds)
