"""Starvation, cancellation, progress, and the gateway session surviving its gateway."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import msgpack
import pytest

from sergeant.store.base import CancelOutcome, Store
from sergeant.task import EventKind, TaskEvent, TaskState
from sergeant.worker.exit_codes import ExitCode
from tests.servers import free_port, wait_for_port
from tests.worker.harness import REPO, Events, Processes, finished, push, wait_for

SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
EXECUTORS = [{"executor": "process"}, {"executor": "threaded", "number_of_threads": 2}]


@SQLITE_ONLY
def test_starvation_calls_on_starvation_and_stop_ends_the_worker(processes: Processes, events: Events) -> None:
    processes.configure(starvation={"time_with_no_tasks_s": 0.5})
    processes.env["SERGEANT_TEST_STOP_WHEN_STARVING"] = "1"
    worker = processes.child()
    assert worker.wait(45) == ExitCode.STOP
    (starved,) = events.named("on_starvation")
    assert starved["idle_s"] >= 0.5
    assert [e["event"] for e in events.all()] == ["initialize", "on_starvation", "on_stop", "finalize"]


@pytest.mark.parametrize("executor", EXECUTORS, ids=["process", "threaded"])
def test_cancel_stops_a_running_task(executor: dict[str, object], store: Store, queue_name: str,
                                     processes: Processes, events: Events) -> None:
    processes.configure(**executor)
    (task,) = push(store, queue_name, [{"action": "sleep", "s": 30}])
    worker = processes.child()
    wait_for(lambda: events.named("work", task), 45, "the task to start")
    assert store.cancel(queue_name, task) is CancelOutcome.RUNNING
    wait_for(lambda: finished(store, queue_name, [task]), 30, "the cancel to reach the worker")
    got = store.get(queue_name, task)
    assert got.state is TaskState.CANCELLED and got.result and got.result.error
    assert got.result.error.type == "TaskCancelled"
    assert events.named("post_work", task)[0]["exception"] == "TaskCancelled"
    assert worker.poll() is None  # cancelling a task costs no process


@SQLITE_ONLY
@pytest.mark.parametrize("executor", EXECUTORS, ids=["process", "threaded"])
def test_tasks_waiting_behind_long_ones_go_back_to_an_idle_worker(executor: dict[str, object], store: Store,
                                                                   queue_name: str, processes: Processes,
                                                                   events: Events) -> None:
    threads = int(executor.get("number_of_threads", 1))  # type: ignore[call-overload]
    processes.configure(tasks_per_transaction=threads + 2, prefetch_hold_s=1.0, **executor)
    *long_ones, quick_a, quick_b = push(store, queue_name, [{"action": "sleep", "s": 30}] * threads + [{"action": "ok"}] * 2)
    busy = processes.child()
    wait_for(lambda: all(events.named("work", t) for t in long_ones), 45, "the long tasks to start")
    wait_for(lambda: store.counts(queue_name).ready == 2, 15, "the waiting tasks to go back to their queue")
    assert [store.get(queue_name, t).state for t in (quick_a, quick_b)] == [TaskState.PENDING] * 2
    time.sleep(1.5)  # the busy worker does not lease them again while its executors are busy
    assert store.counts(queue_name).ready == 2 and events.named("work", quick_a) == []
    idle = processes.child()
    wait_for(lambda: finished(store, queue_name, [quick_a, quick_b]), 45, "an idle worker to run them")
    runs = [e for t in (quick_a, quick_b) for e in events.named("work", t)]
    assert [(r["pid"], r["attempt"]) for r in runs] == [(idle.pid, 0)] * 2
    assert {store.get(queue_name, t).state for t in long_ones} == {TaskState.ACTIVE}
    assert busy.poll() is None


@SQLITE_ONLY
def test_cancel_of_a_leased_task_that_has_not_started(store: Store, queue_name: str, processes: Processes,
                                                      events: Events) -> None:
    processes.configure(tasks_per_transaction=2)
    running, waiting = push(store, queue_name, [{"action": "sleep", "s": 30}, {"action": "ok"}])
    processes.child()
    wait_for(lambda: events.named("work", running), 45, "the first task to start")
    assert store.cancel(queue_name, waiting) is CancelOutcome.RUNNING  # leased, so its worker decides
    wait_for(lambda: finished(store, queue_name, [waiting]), 30, "the unstarted task to be cancelled")
    assert events.for_task(waiting) == []  # it never ran
    assert store.cancel(queue_name, running) is CancelOutcome.RUNNING
    wait_for(lambda: finished(store, queue_name, [running]), 30, "the running task to be cancelled")
    assert {store.get(queue_name, t).state for t in (running, waiting)} == {TaskState.CANCELLED}


def test_progress_reaches_watchers(store: Store, queue_name: str, processes: Processes) -> None:
    subscription = store.subscribe([queue_name])
    try:
        (task,) = push(store, queue_name, [{"action": "progress"}])
        processes.child()
        seen: list[TaskEvent] = []
        give_up = time.monotonic() + 15
        while time.monotonic() < give_up and not any(e.kind is EventKind.SUCCEEDED for e in seen):
            seen += [e for e in subscription.get(0.5) if e.task_id == task]
    finally:
        subscription.close()
    progress = [(e.progress, e.message, msgpack.unpackb(e.data)) for e in seen if e.kind is EventKind.PROGRESS]
    assert progress == [(step / 4, f"step {step}", {"step": step}) for step in (1, 2, 3)]


@contextlib.contextmanager
def _gateway_process(port: int, store_url: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "serve", "--listen", f"127.0.0.1:{port}",
                                "--store", store_url], cwd=REPO, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield process
    finally:
        process.kill()
        process.wait()


@SQLITE_ONLY
def test_successes_settle_without_the_gateway_and_other_outcomes_are_resent(
        store_url: str, store: Store, queue_name: str, processes: Processes, events: Events) -> None:
    port = free_port()
    processes.env["SERGEANT_GATEWAY"] = f"127.0.0.1:{port}"
    processes.configure(tasks_per_transaction=6)
    ok = push(store, queue_name, [{"action": "sleep", "s": 0.4, "n": n} for n in range(3)])
    failing = push(store, queue_name, [{"action": "fail", "n": n} for n in range(3)], max_attempts=1)
    with _gateway_process(port, store_url) as first:
        worker = processes.child()
        wait_for(lambda: events.named("work"), 45, "the first task to start")
        first.send_signal(signal.SIGKILL)
    # With the gateway gone the worker keeps running its leased batch: successes settle in the store
    # directly; the failures' outcomes wait for a gateway.
    wait_for(lambda: len(events.named("on_failure")) == 3, 45, "the whole batch to run")
    wait_for(lambda: finished(store, queue_name, ok), 45, "the successes to settle without a gateway")
    assert not any(finished(store, queue_name, [t]) for t in failing)  # not reported: nobody to report to
    with _gateway_process(port, store_url):
        wait_for(lambda: finished(store, queue_name, failing), 45, "the resent outcomes to be settled")
        assert worker.poll() is None
    assert all(store.get(queue_name, t).state is TaskState.SUCCEEDED for t in ok)
    assert all(store.get(queue_name, t).state is TaskState.DEAD for t in failing)
    assert sorted(e["task"] for e in events.named("work")) == sorted(ok + failing)  # each ran once
    assert "gateway.unreachable" in processes.logs()


@SQLITE_ONLY
def test_no_gateway_no_leasing(store: Store, queue_name: str, processes: Processes, events: Events) -> None:
    processes.env["SERGEANT_GATEWAY"] = f"127.0.0.1:{free_port()}"
    (task,) = push(store, queue_name, [{"action": "ok"}])
    worker = processes.child()
    wait_for(lambda: events.named("initialize"), 45, "the worker to start")
    time.sleep(1.5)
    assert store.get(queue_name, task).state is TaskState.PENDING  # it leased nothing it could not report
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(30) == ExitCode.OK
