"""Each port of the original's examples does what its docstring says, run as its docstring runs it.

The timeout example (the original's 4) has its own file; the echo worker (the quick start) is tested in
tests/worker/test_examples.py.
"""

from __future__ import annotations

import collections
import json
import signal
import time
from typing import Any

import msgpack
import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from tests.worker.harness import Processes, finished, push, wait_for

pytestmark = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def _result(store: Store, queue: str, task_id: str) -> Any:
    got = store.get(queue, task_id)
    assert got.state is TaskState.SUCCEEDED and got.result is not None, got
    return msgpack.unpackb(got.result.result, strict_map_key=False)


def _spawns(processes: Processes) -> int:
    return processes.logs().count('"supervisor.spawned"')


def test_1_single_producer_consumer(store: Store, processes: Processes) -> None:
    ids = push(store, "single_producer_consumer", [{"n": n} for n in range(10)])
    processes.supervisor("--workers", "1", worker="examples.single_producer_consumer:Consumer")
    wait_for(lambda: finished(store, "single_producer_consumer", ids), 60, "10 tasks")
    assert [_result(store, "single_producer_consumer", t) for t in ids] == [n * 2 for n in range(10)]


def test_2_multiple_consumers_share_a_queue_and_run_each_task_once(store: Store, processes: Processes) -> None:
    processes.supervisor("--workers", "4", worker="examples.multiple_consumers:Consumer")
    # The tasks come once every worker waits for them, so that one fast worker cannot take them all first.
    wait_for(lambda: processes.logs().count("worker.started") >= 4, 120, "four workers started")
    ids = push(store, "multiple_consumers", [{"n": n} for n in range(1000)])
    wait_for(lambda: finished(store, "multiple_consumers", ids), 120, "1000 tasks")
    results = [_result(store, "multiple_consumers", t) for t in ids]
    assert [r["n"] for r in results] == list(range(1000))
    assert len({r["pid"] for r in results}) >= 2  # more than one process took batches


def test_3_mixed_producer_consumer_is_a_pipeline(store: Store, processes: Processes) -> None:
    (first,) = push(store, "consumer_a", [{"some_parameter": "task from producer"}])
    processes.supervisor("--workers", "1", worker="examples.mixed_producer_consumer:ConsumerA")
    processes.supervisor("--workers", "1", worker="examples.mixed_producer_consumer:ConsumerB")
    wait_for(lambda: finished(store, "consumer_a", [first]), 60, "consumer_a's task")
    second = _result(store, "consumer_a", first)  # consumer_a returned the id it pushed
    wait_for(lambda: finished(store, "consumer_b", [second]), 60, "consumer_b's task")
    assert _result(store, "consumer_b", second) == "hello from consumer a"
    logs = processes.logs()
    assert "I am consumer_a. Got parameter: task from producer" in logs
    assert "I am consumer_b. Got parameter: hello from consumer a" in logs
    wait_for(lambda: _spawns(processes) >= 4, 60, "each consumer respawned after its one task")


def test_5_max_retries_then_the_dead_letters(store: Store, processes: Processes) -> None:
    (task,) = push(store, "max_retries", [{"url": "https://example.invalid/"}], max_attempts=10)
    processes.supervisor("--workers", "1", worker="examples.max_retries:FlakyWorker")
    wait_for(lambda: finished(store, "max_retries", [task]), 90, "the task to give up")
    got = store.get("max_retries", task)
    assert got.state is TaskState.DEAD and got.result is not None and got.result.error is not None
    assert (got.result.error.type, got.result.error.message) == ("WorkerMaxRetries", "gave up after 4 attempts")
    logs = processes.logs()
    assert [f"attempt {n}" in logs for n in range(4)] == [True] * 4
    assert logs.count("retrying after attempt") == 3 and "giving up on" in logs


def test_6_multithreaded_worker_runs_ten_at_once(store: Store, processes: Processes) -> None:
    ids = push(store, "multithreaded_worker", [{"n": n} for n in range(100)])
    processes.supervisor("--workers", "1", worker="examples.multithreaded_worker:IoWorker")
    wait_for(lambda: finished(store, "multithreaded_worker", ids), 120, "100 tasks")
    threads = collections.Counter(_result(store, "multithreaded_worker", t) for t in ids)
    assert len(threads) == 10, threads  # one process, ten threads each took its share


def test_7_delayed_task_waits_its_delay(store: Store, processes: Processes) -> None:
    pushed_at = time.time()
    (task,) = push(store, "delayed_task", [{"pushed_at": pushed_at}], not_before=pushed_at + 5.0)
    processes.supervisor("--workers", "1", worker="examples.delayed_task:DelayedWorker")
    wait_for(lambda: finished(store, "delayed_task", [task]), 60, "the delayed task")
    assert _result(store, "delayed_task", task) >= 5.0  # not before its time, however fast the machine


def test_8_one_worker_stopping_stops_them_all(store: Store, processes: Processes) -> None:
    first, second, third = push(store, "multiple_workers_stop", [{"param": p} for p in ("first", "second", "third")])
    supervisor = processes.supervisor("--workers", "2", worker="examples.multiple_workers_stop:StoppingWorker")
    assert supervisor.wait(90) == 0
    logs = processes.logs()
    assert "param: first, asking for a stop" in logs and "stop signal has been received" in logs
    assert store.get("multiple_workers_stop", first).state is TaskState.PENDING  # unfinished: back in its queue
    assert store.get("multiple_workers_stop", third).state is TaskState.PENDING  # never ran
    assert "param: third" not in logs
    assert store.get("multiple_workers_stop", second).state in (TaskState.SUCCEEDED, TaskState.PENDING)


def test_9_hanging_threads_cannot_keep_a_process_alive(store: Store, processes: Processes) -> None:
    ids = push(store, "hanging_threads", [{"n": n} for n in range(3)])
    supervisor = processes.supervisor("--workers", "1", worker="examples.hanging_threads:LeakyWorker")
    wait_for(lambda: finished(store, "hanging_threads", ids), 90, "3 tasks")
    assert [_result(store, "hanging_threads", t) for t in ids] == ["left two threads behind"] * 3
    wait_for(lambda: _spawns(processes) >= 4, 60, "a fresh process after each task")
    exits = [json.loads(line) for line in processes.logs().splitlines() if '"supervisor.child_exited"' in line]
    assert [e["exit"] for e in exits[:3]] == ["RESPAWN"] * 3  # each left despite its two endless threads
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(60) == 0
