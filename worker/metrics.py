"""What only workers see, counted where it happens: the tasks they lease and the tasks that succeed (both go
straight to the store, never through the gateway).

A worker under ``sergeant supervise --metrics-listen`` finds ``PROMETHEUS_MULTIPROC_DIR`` in its environment:
prometheus_client then keeps these values in files there, which the supervisor adds up over its children (living
and dead) when scraped.  Elsewhere they are ordinary in-process counters.  One worker process serves one queue, so
the queue label stays bounded by the queues a deployment runs workers for.
"""

from __future__ import annotations

from prometheus_client import Counter

leased = Counter("sergeant_tasks_leased", "Tasks leased by workers", ["queue"])
succeeded = Counter("sergeant_tasks_succeeded", "Tasks that succeeded (settled by the worker in the store)",
                    ["queue"])


class QueueCounters:
    """One queue's counters, labelled once: a success costs an increment, not a label lookup."""

    def __init__(self, queue: str) -> None:
        self.leased = leased.labels(queue)
        self.succeeded = succeeded.labels(queue)
