"""Every death says why: the dead letter of a task whose worker was killed carries the cause and its figures."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time

import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from sergeant.worker.child_process import ChildProcess
from sergeant.worker.death import death_of
from sergeant.worker.lease_returner import LeaseReturner
from sergeant.worker.spawner import Spawner
from tests.worker.harness import REPO, Events, Processes, finished, push, wait_for


def _dead_error(store: Store, queue_name: str, task_id: str) -> tuple[str, str]:
    got = store.get(queue_name, task_id)
    assert got.state is TaskState.DEAD, got
    assert got.result is not None and got.result.error is not None
    return got.result.error.type, got.result.error.message


def test_a_memory_kill_says_how_much_over_which_limit(store: Store, queue_name: str, processes: Processes,
                                                      events: Events) -> None:
    (hog,) = push(store, queue_name, [{"action": "allocate", "mb": 300, "s": 30}], max_attempts=1)
    processes.supervisor("--workers", "1", "--max-memory", "200MB")
    wait_for(lambda: finished(store, queue_name, [hog]), 60, "the hog to be killed")
    kind, message = _dead_error(store, queue_name, hog)
    assert kind == "WorkerDied"
    match = re.fullmatch(r"killed: RSS (\d+) MB over the 200 MB limit", message)
    assert match is not None, message
    assert int(match.group(1)) > 200


def test_a_timeout_kill_says_timeout_plus_grace(store: Store, queue_name: str, processes: Processes,
                                                events: Events) -> None:
    processes.configure(timeouts={"timeout_s": 0.5, "grace_period_s": 1.0})
    (task,) = push(store, queue_name, [{"action": "ignore_timeout"}], max_attempts=1)
    processes.supervisor("--workers", "1")
    wait_for(lambda: finished(store, queue_name, [task]), 60, "the stuck task to be killed")
    assert _dead_error(store, queue_name, task) == ("WorkerTimedout", "killed: timeout 0.5 s plus grace 1 s")


def test_a_kill_from_outside_names_the_signal_and_costs_no_backoff(store: Store, queue_name: str,
                                                                   processes: Processes, events: Events) -> None:
    processes.configure(max_tasks_per_run=0)
    (victim_task,) = push(store, queue_name, [{"action": "sleep", "s": 60}], max_attempts=1)
    processes.supervisor("--workers", "1")
    wait_for(lambda: events.named("work", victim_task), 60, "the task to start")
    os.kill(events.named("work", victim_task)[0]["pid"], signal.SIGKILL)
    wait_for(lambda: finished(store, queue_name, [victim_task]), 30, "the task to be settled")
    assert _dead_error(store, queue_name, victim_task) == ("WorkerDied", "killed by signal 9 from outside")
    wait_for(lambda: len(events.pids()) == 2, 60, "the slot to be respawned")
    # The worker had been leasing when it was killed: no crash loop, so no wait before its respawn.
    assert '"supervisor.respawn_delayed"' not in processes.logs()


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_killers_cause_wins_when_the_supervisor_settles_first(store_url: str, store: Store,
                                                                 queue_name: str) -> None:
    """The killer's death note is written before its SIGKILL, so a supervisor that sees the death before
    the killer settled the task still records the timeout, never a bare "the worker died"."""
    (task,) = push(store, queue_name, [{"action": "ok"}], max_attempts=1)
    returner = LeaseReturner()
    exits: list[tuple[ChildProcess, int]] = []

    def on_exit(child: ChildProcess, code: int) -> bool:
        exits.append((child, code))
        returner.child_exited(child, death_of(child, code))
        return False

    argv = [sys.executable, "-m", "tests.worker.dying_child", store_url, queue_name]
    spawner = Spawner(argv, 1, on_exit, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        spawner.start()
        def died() -> bool:
            spawner.tick()
            return bool(exits)

        wait_for(died, 60, "the stand-in worker to die")
    finally:
        spawner.shutdown(5)
        returner.shutdown()
    assert exits[0][1] == -signal.SIGKILL
    assert _dead_error(store, queue_name, task) == ("WorkerTimedout", "killed: timeout 1 s plus grace 2 s")


def test_the_supervisor_log_says_why_leases_went_back(store: Store, queue_name: str, processes: Processes,
                                                      events: Events) -> None:
    (task,) = push(store, queue_name, [{"action": "sleep", "s": 60}], max_attempts=2)
    processes.supervisor("--workers", "1")
    wait_for(lambda: events.named("work", task), 60, "the task to start")
    os.kill(events.named("work", task)[0]["pid"], signal.SIGKILL)
    returned = wait_for(lambda: [json.loads(line) for line in processes.logs().splitlines()
                                 if '"supervisor.leases_returned"' in line], 30, "the leases to go back")
    assert returned[0]["reason"] == "killed by signal 9 from outside"


def test_when_the_killer_and_the_supervisor_both_killed_the_earlier_decision_is_the_cause() -> None:
    child = ChildProcess.spawn(0, [sys.executable, "-c", "pass"], None)
    child.process.wait()
    child.poll()
    reason = "killed: timeout 1 s plus grace 2 s"
    note = {"killed": reason, "queue": "q", "tasks": [{"task": "t", "lease": "l", "retry": True, "reason": reason}]}
    child.killed_for, child.killed_at = "killed: RSS 612 MB over the 300 MB limit", time.monotonic()
    child.killer_note = {**note, "at": child.killed_at + 0.01}  # the killer decided after the supervisor
    death = death_of(child, -signal.SIGKILL)
    assert (death.reason, death.timed_out) == ("killed: RSS 612 MB over the 300 MB limit", ())
    child.killer_note = {**note, "at": child.killed_at - 0.01}  # the killer decided first
    death = death_of(child, -signal.SIGKILL)
    assert [f.error.message for f in death.timed_out] == [reason]
    assert death.reason.startswith(reason)
