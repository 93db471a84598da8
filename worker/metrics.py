"""What only workers see, counted where it happens: the tasks they lease and the tasks that succeed (both go
straight to the store, never through the gateway).

A worker under ``sergeant supervise --metrics-listen`` finds ``PROMETHEUS_MULTIPROC_DIR`` in its environment:
prometheus_client then keeps these values in files there, which the supervisor adds up over its children (living
and dead) when scraped.  Elsewhere they are ordinary in-process counters.  One worker process serves one queue, so
the queue label stays bounded by the queues a deployment runs workers for.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter, Histogram

from sergeant.v1 import worker_pb2
from sergeant.worker.executor_protocols import Finished

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

    def ran(self, finished: Sequence[Finished]) -> None:
        """Tasks that ran here, with the time each took; each was due at max(created_at, not_before)."""
        now = time.time()
        by_kind: dict[int, tuple[list[float], list[float]]] = {}
        for task, decision, run_s in finished:
            if run_s is None:  # it never ran here
                continue
            if (seen := by_kind.get(decision.kind)) is None:
                seen = by_kind[decision.kind] = ([], [])
            seen[0].append(run_s)
            # Clocks of different hosts may disagree a little.
            seen[1].append(max(now - max(task.created_at, task.not_before), 0.0))
        for kind, (run_times, latencies) in by_kind.items():
            if (histograms := self._runs.get(kind)) is None:
                outcome = worker_pb2.OutcomeKind.Name(kind).removeprefix("OUTCOME_KIND_").lower()
                histograms = self._runs[kind] = (
                    run_seconds.labels(self._queue, outcome),
                    latency_seconds.labels(self._queue, outcome) if kind in _FINAL else None)
            _observe_all(histograms[0], run_times)
            if histograms[1] is not None:
                _observe_all(histograms[1], latencies)


def _observe_all(histogram: Any, values: list[float]) -> None:
    """``histogram.observe`` for every value, at one increment per bucket: per value, observe() cost about as much
    as running a no-op task.  It reaches into prometheus_client's Histogram (``_upper_bounds``, ``_buckets``,
    ``_sum``, unchanged since 0.4); tests/metrics checks the exported counts against a known workload."""
    bounds = histogram._upper_bounds
    counts = [0] * len(bounds)
    for value in values:
        counts[bisect.bisect_left(bounds, value)] += 1  # the first bucket whose bound is >= value, as observe()
    histogram._sum.inc(sum(values))
    for bucket, count in zip(histogram._buckets, counts, strict=True):
        if count:
            bucket.inc(count)
