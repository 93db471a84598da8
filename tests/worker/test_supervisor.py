"""The supervisor with real children: lease hand-back on kill -9, SIGTERM drain, memory, respawns, exit codes."""

from __future__ import annotations

import collections
import itertools
import json
import os
import signal
import time

import grpc
import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from sergeant.v1 import operations_pb2, operations_pb2_grpc
from sergeant.worker.exit_codes import ExitCode
from tests.worker.harness import Events, Processes, finished, push, wait_for

SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def test_kill_9_mid_batch_hands_every_lease_back_at_once(store: Store, queue_name: str, processes: Processes,
                                                         events: Events) -> None:
    processes.configure(executor="threaded", number_of_threads=4, tasks_per_transaction=100, lease_s=60)
    ids = push(store, queue_name, [{"action": "sleep", "s": 0.05, "n": n} for n in range(100)])
    processes.supervisor("--workers", "1")
    wait_for(lambda: len(events.named("work")) >= 20, 45, "20 tasks to start")
    victim = events.pids()[0]
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()

    wait_for(lambda: finished(store, queue_name, ids), 50, "all 100 tasks to settle")
    assert time.monotonic() - killed_at < 50  # inside the 60 s lease: no lease had to expire
    # The supervisor handed the leases back as soon as it saw the death.
    logged = [json.loads(line) for line in processes.logs().splitlines() if '"supervisor.' in line]
    exited = next(e["ts"] for e in logged if e["event"] == "supervisor.child_exited" and e["pid"] == victim)
    returned = next(e for e in logged if e["event"] == "supervisor.leases_returned")
    assert returned["worker"].split("/")[1] == str(victim)
    assert returned["ts"] - exited < 2.0
    assert all(store.get(queue_name, t).state is TaskState.SUCCEEDED for t in ids)
    runs = events.named("work")
    assert {r["task"] for r in runs} == set(ids)
    by_task = collections.defaultdict(list)
    for run in runs:
        by_task[run["task"]].append(run)
    # The documented duplicate: a task the killed process ran whose outcome the gateway had not
    # acknowledged yet runs again (at-least-once).  Only tasks in flight at the kill can be one.
    duplicates = {t: rs for t, rs in by_task.items() if len(rs) > 1}
    assert len(duplicates) <= 8, duplicates
    for rs in duplicates.values():
        assert [r["pid"] for r in rs] == [victim, rs[1]["pid"]] and rs[1]["pid"] != victim
    # Exactly the leases whose outcome was not settled went back: all but those the victim finished,
    # plus the ones it finished unacknowledged (the duplicates).
    victim_runs = sum(r["pid"] == victim for r in runs)
    assert returned["count"] == 100 - victim_runs + len(duplicates)
    # Every task the victim held went back with one attempt counted (it died holding it).
    assert {r["attempt"] for r in runs if r["pid"] == victim} == {0}
    assert {r["attempt"] for r in runs if r["pid"] != victim} == {1}
    assert store.counts(queue_name).leased == 0


def test_sigterm_drains_returns_unstarted_tasks_in_order(store: Store, queue_name: str, processes: Processes,
                                                        events: Events) -> None:
    processes.configure(executor="threaded", number_of_threads=2, tasks_per_transaction=40)
    ids = push(store, queue_name, [{"action": "sleep", "s": 0.3, "n": n} for n in range(40)], trace_id="trace-7")
    supervisor = processes.supervisor("--workers", "1", "--drain-timeout-s", "5")
    wait_for(lambda: len(events.named("work")) >= 4, 45, "4 tasks to start")
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(60) == 0

    started = {e["task"] for e in events.named("work")}
    assert 4 <= len(started) < 40
    assert store.counts(queue_name).leased == 0
    for task_id in ids:
        got = store.get(queue_name, task_id)
        if task_id in started:
            assert got.state is TaskState.SUCCEEDED, task_id  # running tasks finished
        else:
            assert got.state is TaskState.PENDING and got.task is not None
            assert (got.task.attempt, got.task.trace_id) == (0, "trace-7")
    rest = store.lease(queue_name, 100, 30, owner="test/1/x")
    assert [t.id for t in rest] == [t for t in ids if t not in started]  # back at the head, in order
    assert [e["event"] for e in events.all() if e["event"] in ("on_stop", "finalize")] == ["on_stop", "finalize"]


def test_memory_limit_kills_and_respawns(store: Store, queue_name: str, processes: Processes,
                                         events: Events) -> None:
    hog, after = push(store, queue_name, [{"action": "allocate", "mb": 300, "s": 30}, {"action": "ok"}],
                      max_attempts=1)
    processes.supervisor("--workers", "1", "--max-memory", "200MB")
    wait_for(lambda: finished(store, queue_name, [hog, after]), 60, "both tasks to settle")
    died = store.get(queue_name, hog)
    assert died.state is TaskState.DEAD and died.result and died.result.error
    assert died.result.error.type == "WorkerDied"
    assert store.get(queue_name, after).state is TaskState.SUCCEEDED
    assert len(set(events.pids())) == 2
    assert "supervisor.memory_limit_exceeded" in processes.logs()


@SQLITE_ONLY
def test_max_tasks_per_run_respawns_the_process(store: Store, queue_name: str, processes: Processes,
                                                events: Events) -> None:
    processes.configure(max_tasks_per_run=3, tasks_per_transaction=2)
    ids = push(store, queue_name, [{"action": "ok", "n": n} for n in range(7)])
    processes.supervisor("--workers", "1")
    wait_for(lambda: finished(store, queue_name, ids), 45, "7 tasks")
    per_pid = collections.Counter(e["pid"] for e in events.named("work"))
    assert sorted(per_pid.values()) == [1, 3, 3]
    assert all(store.get(queue_name, t).state is TaskState.SUCCEEDED for t in ids)


@SQLITE_ONLY
def test_max_tasks_per_child_flag_overrides_the_config(store: Store, queue_name: str, processes: Processes,
                                                       events: Events) -> None:
    ids = push(store, queue_name, [{"action": "ok", "n": n} for n in range(4)])
    processes.supervisor("--workers", "1", "--max-tasks-per-child", "2")
    wait_for(lambda: finished(store, queue_name, ids), 45, "4 tasks")
    assert sorted(collections.Counter(e["pid"] for e in events.named("work")).values()) == [2, 2]


@SQLITE_ONLY
def test_stop_in_a_task_stops_every_worker(store: Store, queue_name: str, processes: Processes,
                                           events: Events) -> None:
    (stopper,) = push(store, queue_name, [{"action": "stop"}])
    supervisor = processes.supervisor("--workers", "2")
    assert supervisor.wait(60) == 0
    assert events.named("on_stop")
    assert store.get(queue_name, stopper).state is TaskState.PENDING  # unfinished: back in its queue


@SQLITE_ONLY
@pytest.mark.parametrize(("worker", "code"), [
    ("tests.worker.no_such_module:Worker", ExitCode.MODULE_NOT_FOUND),
    ("tests.worker.workers:NoSuchClass", ExitCode.CLASS_NOT_FOUND),
    ("tests.worker.workers:NotAWorker", ExitCode.CLASS_NOT_FOUND),
    ("tests.worker.broken_module:Worker", ExitCode.MODULE_NOT_IMPORTABLE),
])
def test_a_worker_that_cannot_load_stops_the_supervisor(worker: str, code: ExitCode, processes: Processes) -> None:
    supervisor = processes.supervisor("--workers", "2", worker=worker)
    assert supervisor.wait(60) == code
    assert processes.logs().count('"supervisor.spawned"') == 2  # no respawn loop


@SQLITE_ONLY
def test_a_crash_loop_backs_off(processes: Processes) -> None:
    supervisor = processes.supervisor("--workers", "1", worker="tests.worker.workers:BrokenConfigWorker")
    lines = wait_for(lambda: [json.loads(line) for line in processes.logs().splitlines()
                              if '"supervisor.spawned"' in line][3:] and processes.logs(), 60, "four spawns")
    spawns = [json.loads(line)["ts"] for line in lines.splitlines() if '"supervisor.spawned"' in line]
    delays = [json.loads(line)["delay_s"] for line in lines.splitlines() if '"supervisor.respawn_delayed"' in line]
    assert delays[:3] == [0.5, 1.0, 2.0]  # doubling, where a tight loop would respawn at once
    gaps = [later - earlier for earlier, later in itertools.pairwise(spawns[:4])]
    assert all(gap >= delay for gap, delay in zip(gaps, delays, strict=False)), (gaps, delays)
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(45) == 0


@SQLITE_ONLY
def test_list_workers_shows_each_child(store: Store, queue_name: str, processes: Processes, events: Events,
                                       gateway: str) -> None:
    processes.configure(executor="threaded", number_of_threads=2)
    done = push(store, queue_name, [{"action": "ok"}])
    (slow,) = push(store, queue_name, [{"action": "sleep", "s": 8}])
    processes.supervisor("--workers", "2", "--drain-timeout-s", "0.5")
    wait_for(lambda: events.named("work", slow), 45, "the slow task to start")
    with grpc.insecure_channel(gateway) as channel:
        stub = operations_pb2_grpc.OperationsStub(channel)

        def listed() -> list[operations_pb2.WorkerInfo]:
            workers = stub.ListWorkers(operations_pb2.ListWorkersRequest(queue=queue_name)).workers
            return list(workers) if any(slow in w.current_tasks for w in workers) and len(workers) == 2 else []

        workers = wait_for(listed, 30, "both workers heartbeating, one on the slow task")
    assert sorted(w.pid for w in workers) == sorted(events.pids())
    assert all(w.rss_bytes > 10 << 20 and w.executor == "threaded" and w.concurrency == 2 for w in workers)
    busy = next(w for w in workers if slow in w.current_tasks)
    assert busy.in_flight == 1
    assert sum(w.tasks_done for w in workers) >= 1
    assert store.get(queue_name, done[0]).state is TaskState.SUCCEEDED
