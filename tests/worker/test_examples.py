"""The examples load, and the quick-start echo worker answers through a real gateway."""

from __future__ import annotations

import importlib
import time

import msgpack
import pytest

from sergeant.store.base import Store
from sergeant.task import EventKind, TaskEvent, TaskState
from sergeant.worker import Worker
from tests.worker.harness import Processes, finished, push, wait_for

EXAMPLES = ["delayed_task:DelayedWorker", "echo_worker:EchoWorker", "hanging_threads:LeakyWorker",
            "max_retries:FlakyWorker", "mixed_producer_consumer:ConsumerA", "mixed_producer_consumer:ConsumerB",
            "multiple_consumers:Consumer", "multiple_workers_stop:StoppingWorker", "multithreaded_worker:IoWorker",
            "single_producer_consumer:Consumer", "timeout:SlowWorker"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_worker_configures(example: str) -> None:
    module, _, cls = example.partition(":")
    worker = getattr(importlib.import_module(f"examples.{module}"), cls)()
    assert isinstance(worker, Worker)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_echo_worker_answers(store: Store, processes: Processes) -> None:
    subscription = store.subscribe(["echo"])
    try:
        plain, chatty, failing = push(store, "echo", [{"n": 1}, {"progress": 2}, {"fail": "on purpose"}],
                                      max_attempts=1)
        processes.supervisor("--workers", "1", worker="examples.echo_worker:EchoWorker")
        wait_for(lambda: finished(store, "echo", [plain, chatty, failing]), 60, "three echo tasks")
        seen: list[TaskEvent] = []
        give_up = time.monotonic() + 5
        while time.monotonic() < give_up and len(seen) < 2:
            seen += [e for e in subscription.get(0.5) if e.kind is EventKind.PROGRESS and e.task_id == chatty]
    finally:
        subscription.close()
    result = store.get("echo", plain).result
    assert result is not None and msgpack.unpackb(result.result) == {"echo": {"n": 1}, "keys": 1}
    assert [(e.progress, e.message) for e in seen] == [(0.5, "step 1"), (1.0, "step 2")]
    assert store.get("echo", failing).state is TaskState.DEAD
