"""Labels stay bounded: queue names past the cap count under _other, and depths are exported for the first queues
only."""

from __future__ import annotations

import time
from pathlib import Path

from sergeant.encoder import encode
from sergeant.service.metrics import OTHER, GatewayMetrics, QueueDepths, QueueLabels
from sergeant.store import open_store
from sergeant.task import Compressor, Serializer, Task, new_task_id


def test_queue_labels_past_the_cap_share_other() -> None:
    labels = QueueLabels(limit=2)
    assert [labels(q) for q in ("a", "b", "c", "a", "d", "b")] == ["a", "b", OTHER, "a", OTHER, "b"]


def test_counters_past_the_cap_count_under_other() -> None:
    metrics = GatewayMetrics()
    metrics.queue = QueueLabels(limit=1)
    for queue in ("first", "second", "third", "first"):
        metrics.count(metrics.pushed, queue)
    text = metrics.exposition().decode()
    assert 'sergeant_tasks_pushed_total{queue="first"} 2.0' in text
    assert f'sergeant_tasks_pushed_total{{queue="{OTHER}"}} 2.0' in text
    assert 'queue="second"' not in text and 'queue="third"' not in text


def test_queue_depths_export_the_first_queues_and_count_them_all(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        store.push([Task(id=new_task_id(), queue=f"q{n}", kwargs=encode({}, Serializer.MSGPACK, Compressor.NONE),
                         created_at=time.time()) for n in range(5)])
        metrics = GatewayMetrics()
        metrics.registry.register(QueueDepths(store.queues, store.counts, limit=3))
        text = metrics.exposition().decode()
    finally:
        store.close()
    assert text.count('state="ready"} 1.0') == 3
    assert 'sergeant_queue_tasks{queue="q3"' not in text
    assert "sergeant_queues 5.0" in text
