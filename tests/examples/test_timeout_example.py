"""The timeout example (the original's example 4) does what its docstring says, also on a busy machine."""

from __future__ import annotations

import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from tests.worker.harness import Processes, finished, push, wait_for

WORKER = "examples.timeout:SlowWorker"
SQLITE = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def _round(store: Store) -> list[str]:
    ids = push(store, "timeout", [{"timeout": t} for t in (False, True, True, False)], max_attempts=1)
    wait_for(lambda: finished(store, "timeout", ids), 120, "the 4 tasks of a round")
    return ids


def _check(store: Store, ids: list[str]) -> None:
    states = [store.get("timeout", t) for t in ids]
    assert [s.state for s in states] == [TaskState.SUCCEEDED, TaskState.DEAD, TaskState.DEAD, TaskState.SUCCEEDED]
    for overran in states[1:3]:
        assert overran.result is not None and overran.result.error is not None
        assert overran.result.error.type == "WorkerTimedout", overran.result.error


@SQLITE
def test_the_sleepers_time_out_and_the_others_succeed(store: Store, processes: Processes) -> None:
    processes.supervisor("--workers", "1", worker=WORKER)
    _check(store, _round(store))
    logs = processes.logs()
    assert logs.count("Going to timeout") == 2 and logs.count("Not going to timeout") == 2
    assert logs.count("task has timed out") == 2
    assert "You won't see this print" not in logs


@pytest.mark.slow
@pytest.mark.timeout(600)  # 20 worker respawns, each starting its killer process, beside a spinner per core
@SQLITE
def test_no_overrunning_task_succeeds_under_cpu_load(store: Store, processes: Processes, busy_cores: int) -> None:
    """20 rounds, each in a fresh worker process (max_tasks_per_run=4), with a spinning process per core."""
    processes.supervisor("--workers", "1", worker=WORKER)
    for _ in range(20):
        _check(store, _round(store))
    assert "You won't see this print" not in processes.logs()
