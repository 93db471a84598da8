"""Soft timeouts, hard kills after the grace period, and the catastrophic regex, under both executors."""

from __future__ import annotations

import psutil
import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from sergeant.worker.exit_codes import ExitCode
from tests.worker.harness import Events, Processes, finished, push, wait_for

PROCESS = {"executor": "process"}
THREADED = {"executor": "threaded", "number_of_threads": 2}
REDIS_ONLY = pytest.mark.parametrize("store_url", ["redis"], indirect=True)
SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def _dead_with(store: Store, queue_name: str, task_id: str, error_type: str) -> str:
    got = store.get(queue_name, task_id)
    assert got.state is TaskState.DEAD, got
    assert got.result is not None and got.result.error is not None
    assert got.result.error.type == error_type, got.result.error
    return got.result.error.message


@pytest.mark.parametrize("executor", [PROCESS, THREADED], ids=["process", "threaded"])
def test_soft_timeout_raises_in_work_and_follows_the_retry_policy(
        executor: dict[str, object], store: Store, queue_name: str, processes: Processes, events: Events) -> None:
    processes.configure(**executor, timeouts={"timeout_s": 0.5, "grace_period_s": 5})
    (task,) = push(store, queue_name, [{"action": "sleep", "s": 30}], max_attempts=2)
    worker = processes.child()
    wait_for(lambda: finished(store, queue_name, [task]), 45, "the task to time out twice")
    assert events.for_task(task) == ["pre_work", "work", "post_work", "on_timeout"] * 2
    assert [e["exception"] for e in events.named("post_work", task)] == ["WorkerTimedout"] * 2
    _dead_with(store, queue_name, task, "WorkerTimedout")
    assert worker.poll() is None  # a soft timeout costs no process


@SQLITE_ONLY
def test_process_executor_interrupts_a_blocking_syscall(store: Store, queue_name: str, processes: Processes,
                                                        events: Events) -> None:
    processes.configure(timeouts={"timeout_s": 0.5, "grace_period_s": 5})
    (task,) = push(store, queue_name, [{"action": "block", "s": 30}], max_attempts=1)
    processes.child()
    wait_for(lambda: finished(store, queue_name, [task]), 30, "the blocked task to time out")
    assert events.for_task(task)[-1] == "on_timeout"
    _dead_with(store, queue_name, task, "WorkerTimedout")


def test_process_executor_hard_kill_after_grace(store: Store, queue_name: str, processes: Processes,
                                                events: Events) -> None:
    """work() swallows WorkerTimedout: the killer SIGKILLs the process at timeout + grace."""
    processes.configure(timeouts={"timeout_s": 0.5, "grace_period_s": 1.0})
    (task, after) = push(store, queue_name, [{"action": "ignore_timeout"}, {"action": "ok"}], max_attempts=1)
    processes.supervisor("--workers", "1")
    wait_for(lambda: finished(store, queue_name, [task, after]), 60, "the stuck task to be killed")
    assert _dead_with(store, queue_name, task, "WorkerTimedout") == "killed: timeout 0.5 s plus grace 1 s"
    assert events.named("swallowed_timeout", task)  # the soft timeout did land first
    assert store.get(queue_name, after).state is TaskState.SUCCEEDED  # the respawned process went on
    assert len(set(events.pids())) == 2
    assert "killer.hard_kill" in processes.logs()


def test_process_executor_interrupts_a_catastrophic_regex(store: Store, queue_name: str, processes: Processes,
                                                          events: Events) -> None:
    """The regex engine holds the GIL but checks for signals every few thousand steps, so the
    killer's SIGUSR1 lands in the main thread (up to a second or so late; the grace covers it)."""
    processes.configure(timeouts={"timeout_s": 0.5, "grace_period_s": 8.0})
    (task,) = push(store, queue_name, [{"action": "regex"}], max_attempts=1)
    worker = processes.child()
    wait_for(lambda: finished(store, queue_name, [task]), 45, "the regex to be interrupted")
    assert _dead_with(store, queue_name, task, "WorkerTimedout") == "work() ran past its timeout"
    assert events.for_task(task)[-1] == "on_timeout"
    assert worker.poll() is None  # no kill was needed


@pytest.mark.parametrize("action", ["ignore_timeout", "block"])
def test_threaded_stuck_thread_is_reported_and_the_process_recycled(
        action: str, store: Store, queue_name: str, processes: Processes, events: Events) -> None:
    """A thread that swallows the timeout, or sleeps in one syscall: the GIL is free, so the
    process reports TIMED_OUT itself and exits with RESPAWN; no SIGKILL needed."""
    processes.configure(**THREADED, timeouts={"timeout_s": 0.5, "grace_period_s": 1.0})
    (task,) = push(store, queue_name, [{"action": action, "s": 30}], max_attempts=1)
    worker = processes.child()
    assert worker.wait(45) == ExitCode.RESPAWN
    message = _dead_with(store, queue_name, task, "WorkerTimedout")
    assert message.startswith("timeout 0.5 s plus grace 1 s passed")
    assert "killer.hard_kill" not in processes.logs()


def test_threaded_regex_holding_the_gil_is_killed_from_outside(store: Store, queue_name: str,
                                                               processes: Processes, events: Events) -> None:
    processes.configure(**THREADED, timeouts={"timeout_s": 1.5, "grace_period_s": 1.0})
    (task,) = push(store, queue_name, [{"action": "regex"}], max_attempts=1)
    # The frozen process may have leased this one too: the kill counts an attempt against it.
    (after,) = push(store, queue_name, [{"action": "ok"}], max_attempts=3)
    processes.supervisor("--workers", "1")
    wait_for(lambda: finished(store, queue_name, [task, after]), 60, "the regex task to be killed")
    _dead_with(store, queue_name, task, "WorkerTimedout")
    assert store.get(queue_name, after).state is TaskState.SUCCEEDED
    assert "killer.hard_kill" in processes.logs()


@REDIS_ONLY
def test_a_task_timeout_overrides_the_worker_timeout(store: Store, queue_name: str, processes: Processes,
                                                     events: Events) -> None:
    (task,) = push(store, queue_name, [{"action": "sleep", "s": 30}], max_attempts=1, timeout_s=0.3)
    processes.child()
    wait_for(lambda: finished(store, queue_name, [task]), 30, "the task's own timeout")
    _dead_with(store, queue_name, task, "WorkerTimedout")


@pytest.mark.parametrize("executor", [PROCESS, THREADED], ids=["process", "threaded"])
def test_a_task_that_swallows_its_timeout_and_returns_is_still_timed_out(
        executor: dict[str, object], store: Store, queue_name: str, processes: Processes, events: Events) -> None:
    """However it got past its deadline, a task that ran past its timeout never ends SUCCEEDED."""
    processes.configure(**executor, timeouts={"timeout_s": 0.3, "grace_period_s": 30})
    (task,) = push(store, queue_name, [{"action": "swallow_timeout"}], max_attempts=1)
    worker = processes.child()
    wait_for(lambda: finished(store, queue_name, [task]), 45, "the task to finish")
    assert events.named("swallowed_timeout", task)
    message = _dead_with(store, queue_name, task, "WorkerTimedout")
    assert message.startswith("work() returned ") and message.endswith(" s after its 0.3 s timeout")
    assert events.for_task(task)[-1] == "on_timeout"
    assert worker.poll() is None  # no kill was needed


@SQLITE_ONLY
def test_the_killer_watches_before_the_first_task(store: Store, queue_name: str, processes: Processes,
                                                 events: Events) -> None:
    """The killer starts with the worker, not at its first timed task: by the time the worker leases, it runs."""
    worker = processes.child()
    wait_for(lambda: events.pids(), 45, "the worker to initialize")
    killers = wait_for(lambda: [p for p in psutil.Process(worker.pid).children()
                                if "sergeant.worker.process_killer" in p.cmdline()], 45, "its killer")
    assert len(killers) == 1
    assert not events.named("work")  # nothing was pushed: it was started for no task
