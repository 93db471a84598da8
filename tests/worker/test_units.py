"""In-process checks of the small parts: settings, backoff, buffers, locks, actions, routing, the session bound."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sergeant.cli_flags import parse_size
from sergeant.encoder import encode
from sergeant.errors import InvalidArgument
from sergeant.task import Compressor, Priority, Serializer, Task, TaskError
from sergeant.v1 import worker_pb2
from sergeant.worker import ReceivedTask, Timeouts, Worker, WorkerConfig
from sergeant.worker.config import attempts_exhausted
from sergeant.worker.execution import Execution
from sergeant.worker.exit_codes import ExitCode, stronger
from sergeant.worker.gateway_session import GatewaySession, OutcomeBufferFull
from sergeant.worker.outcomes import DEAD, FAILED, REQUEUE, RETRY, SUCCEEDED
from sergeant.worker.respawn_backoff import RespawnBackoff
from sergeant.worker.task_buffer import TaskBuffer
from sergeant.worker.thread_killer import ThreadSlot
from tests.servers import free_port

# --- settings ---------------------------------------------------------------------------------


def test_config_rejects_unknown_and_impossible_settings() -> None:
    with pytest.raises(TypeError):
        WorkerConfig(name="q", threads=4)  # type: ignore[call-arg]
    for bad in ({"executor": "fork"}, {"number_of_threads": 4}, {"tasks_per_transaction": 0},
                {"tasks_per_transaction": 5000}, {"lease_s": 0.1}, {"log_level": "LOUD"}, {"prefetch_hold_s": -1.0},
                {"max_unacked_outcomes": 10, "tasks_per_transaction": 100}):
        with pytest.raises(InvalidArgument):
            WorkerConfig(name="q", **bad)
    with pytest.raises(InvalidArgument):
        WorkerConfig(name="no spaces")
    with pytest.raises(InvalidArgument):
        Timeouts(timeout_s=-1)
    config = WorkerConfig(name="q", executor="threaded", number_of_threads=8)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.name = "other"  # type: ignore[misc]


def test_config_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERGEANT_STORE", "redis://example:6379/0")
    monkeypatch.setenv("SERGEANT_GATEWAY", "gateway:50051")
    config = WorkerConfig(name="q")
    assert (config.store_url, config.gateway) == ("redis://example:6379/0", "gateway:50051")


def test_parse_size() -> None:
    assert parse_size("512MB") == 512 << 20
    assert parse_size("1.5g") == 3 << 29
    assert parse_size("4096") == 4096
    with pytest.raises(InvalidArgument):
        parse_size("lots")


def test_respawn_backoff_doubles_on_crash_loops_and_resets() -> None:
    backoff = RespawnBackoff(initial_s=0.5, cap_s=4.0, stable_after_s=10.0)
    assert [backoff.delay_s(0, crashed=True, lived_s=0.1) for _ in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert backoff.delay_s(1, crashed=True, lived_s=0.1) == 0.5  # slots are independent
    assert backoff.delay_s(0, crashed=False, lived_s=0.1) == 0.0  # planned exits never wait
    assert backoff.delay_s(0, crashed=True, lived_s=60) == 0.5  # a long life resets the slot


def test_exit_code_strength() -> None:
    assert stronger(ExitCode.OK, ExitCode.RESPAWN) is ExitCode.RESPAWN
    assert stronger(ExitCode.STOP, ExitCode.RESPAWN) is ExitCode.STOP
    assert stronger(ExitCode.STOP, ExitCode.CRASHED) is ExitCode.CRASHED


def test_max_retries_only_lowers_max_attempts() -> None:
    per_task = WorkerConfig(name="q")
    capped = WorkerConfig(name="q", max_retries=2)
    assert [attempts_exhausted(per_task, a, 3) for a in range(3)] == [False, False, True]
    assert [attempts_exhausted(capped, a, 10) for a in range(3)] == [False, False, True]
    assert attempts_exhausted(capped, 0, 1)


# --- buffers and slots --------------------------------------------------------------------------


def _task(task_id: str, **fields: Any) -> Task:
    return Task(id=task_id, queue="q", kwargs=encode(fields, Serializer.MSGPACK, Compressor.NONE),
                lease_id="owner/1/x/lease")


def test_task_buffer_keeps_lease_order() -> None:
    buffer = TaskBuffer()
    buffer.add([_task(str(n)) for n in range(5)])
    first = buffer.take(0)
    assert first is not None and first.id == "0"
    assert [t.id for t in buffer.remove({"2", "9"})] == ["2"]
    assert [t.id for t in buffer.close()] == ["1", "3", "4"]
    assert buffer.take(0) is None and buffer.closed


def test_a_cancel_before_work_starts_is_raised_as_work_starts() -> None:
    from sergeant.worker.interrupts import TaskCancelled
    from sergeant.worker.task_timer import Deadlines

    slot = ThreadSlot()
    slot.begin(_task("a"), Deadlines(0, float("inf"), float("inf"), False))
    assert not slot.interrupt("other", TaskCancelled)
    assert slot.interrupt("a", TaskCancelled)  # in pre_work: nothing is queued in the thread
    with pytest.raises(TaskCancelled), slot.guard():
        pytest.fail("work() must not start")
    assert slot.end()


# --- execution routing --------------------------------------------------------------------------


class _Routed(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="q", store_url="sqlite:///unused.db")

    def work(self, task: ReceivedTask) -> Any:
        return getattr(self, task.kwargs["do"])(task)

    def ok(self, task: ReceivedTask) -> Any:
        return {"fine": True}

    def boom(self, task: ReceivedTask) -> Any:
        raise ValueError("boom")

    def big(self, task: ReceivedTask) -> Any:
        return b"x" * (5 << 20)

    def stopping(self, task: ReceivedTask) -> Any:
        self.stop()

    def on_success(self, task: ReceivedTask, returned_value: Any) -> None:
        self.retry(task)  # meaningless after success: logged and ignored

    def on_failure(self, task: ReceivedTask, exception: Exception) -> None:
        if task.kwargs.get("then") == "requeue":
            self.requeue(task, delay_s=2)
        if task.kwargs.get("then") == "retry":
            self.retry(task, delay_s=3)


@pytest.mark.parametrize(("kwargs", "kind", "delay_s"), [
    ({"do": "ok"}, SUCCEEDED, 0.0),
    ({"do": "boom"}, FAILED, 0.0),
    ({"do": "boom", "then": "requeue"}, REQUEUE, 2.0),
    ({"do": "boom", "then": "retry"}, RETRY, 3.0),
    ({"do": "big"}, FAILED, 0.0),
])
def test_execution_routes_outcomes(kwargs: dict[str, Any], kind: int, delay_s: float) -> None:
    exits: list[ExitCode] = []
    decision = Execution(_Routed(), lambda code, reason: exits.append(code)).run(
        _task("t", **kwargs), contextlib.nullcontext())
    assert (decision.kind, decision.delay_s) == (kind, delay_s)
    assert exits == []


def test_stop_in_work_requeues_the_task_and_stops_the_process() -> None:
    exits: list[ExitCode] = []
    decision = Execution(_Routed(), lambda code, reason: exits.append(code)).run(
        _task("t", do="stopping"), contextlib.nullcontext())
    assert decision.kind == REQUEUE and exits == [ExitCode.STOP]


def test_undecodable_kwargs_are_dead_at_once() -> None:
    task = _task("t")
    task.kwargs = b"\xc1"  # never valid msgpack
    decision = Execution(_Routed(), lambda code, reason: None).run(task, contextlib.nullcontext())
    assert decision.kind == DEAD and decision.error is not None and decision.error.type == "EncodingError"


# --- the session's bound ------------------------------------------------------------------------


def test_outcomes_past_the_bound_are_refused_with_a_clear_error() -> None:
    session = GatewaySession(address=f"127.0.0.1:{free_port()}", token="", credentials=None,
                             hello=worker_pb2.Hello(queue="q"),
                             status=worker_pb2.Heartbeat, on_command=lambda c: None,
                             on_settled=lambda o, d: None, max_unacked=2)
    outcome = worker_pb2.Outcome(task_id="t", lease_id="l", kind=SUCCEEDED)
    session.submit(outcome)
    session.submit(outcome)
    assert not session.has_room(1)
    with pytest.raises(OutcomeBufferFull, match="2 outcomes wait for the gateway"):
        session.submit(outcome)


# --- actions against a real store -----------------------------------------------------------------


class _Actions(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="actions", store_url=self.url)  # type: ignore[attr-defined]


@pytest.fixture
def actions(tmp_path: Path) -> Iterator[_Actions]:
    _Actions.url = f"sqlite:///{tmp_path / 'actions.db'}"  # type: ignore[attr-defined]
    worker = _Actions()
    yield worker
    worker.close()


def test_push_count_lease_ack_purge(actions: _Actions) -> None:
    first = actions.push_task({"n": 1}, trace_id="tr")
    high = actions.push_tasks([{"n": 2}, {"n": 3}], priority="HIGH")
    actions.push_task({"n": 4}, delay_s=30)
    assert actions.number_of_enqueued_tasks() == 3
    assert actions.number_of_enqueued_tasks(include_delayed=True) == 4
    leased = actions.get_next_tasks(2)
    assert [t.id for t in leased] == high and [t.kwargs for t in leased] == [{"n": 2}, {"n": 3}]
    assert all(t.priority is Priority.HIGH for t in leased)
    assert actions.ack_tasks(leased) == 2
    (plain,) = actions.get_next_tasks(5)
    assert (plain.id, plain.trace_id) == (first, "tr")
    assert actions.purge_tasks() == 1  # the delayed one
    assert actions.number_of_enqueued_tasks(include_delayed=True) == 0
    with pytest.raises(InvalidArgument):
        actions.push_task({"n": 1}, priority="URGENT")


@pytest.mark.parametrize(("many", "options", "says"), [
    ([{"n": 1}, ["not", "a", "dict"]], {}, "kwargs must be a dict"),
    ([{"n": 1}], {"delay_s": float("nan")}, "delay_s must be a finite"),
    ([{"n": 1}], {"delay_s": float("inf")}, "delay_s must be a finite"),
    ([{"n": 1}], {"max_attempts": -1}, "max_attempts"),
    ([{"n": 1}, {"blob": b"x" * ((1 << 20) + 1)}], {}, "over the limit"),
])
def test_push_tasks_refuses_a_bad_batch_whole(actions: _Actions, many: list[Any], options: dict[str, Any],
                                              says: str) -> None:
    actions.push_task({"before": True})
    with pytest.raises(InvalidArgument, match=says):
        actions.push_tasks(many, **options)
    assert actions.number_of_enqueued_tasks(include_delayed=True) == 1  # nothing of the batch, the earlier task kept
    (earlier,) = actions.get_next_tasks(5)
    assert earlier.kwargs == {"before": True}


def test_keys(actions: _Actions) -> None:
    actions.set_key("k", {"a": (1, 2)})
    assert actions.get_key("k") == {"a": (1, 2)}
    assert actions.delete_key("k") and actions.get_key("k") is None


def test_locks_exclude_each_other(actions: _Actions) -> None:
    mine, theirs = actions.lock("resource"), actions.lock("resource")
    assert mine.acquire(timeout_s=0, ttl_s=30)
    assert mine.is_locked() and 0 < (mine.get_ttl() or 0) <= 30
    started = time.monotonic()
    assert not theirs.acquire(timeout_s=0.3, check_interval_s=0.1)
    assert time.monotonic() - started >= 0.3
    assert not theirs.release() and not theirs.set_ttl(60)  # only the holder may
    assert mine.set_ttl(60) and (mine.get_ttl() or 0) > 30
    assert mine.release() and not mine.is_locked()
    with theirs:
        assert theirs.is_locked()
    assert not theirs.is_locked()


def test_report_progress_checks_its_range(actions: _Actions) -> None:
    task = ReceivedTask.from_envelope(_task("t"))
    with pytest.raises(InvalidArgument):
        actions.report_progress(task, 1.5)
    actions.report_progress(task, 0.5, "half", {"x": 1})  # outside a runner: nowhere to send, no error


def test_task_error_is_what_the_store_keeps() -> None:
    from sergeant.worker.outcomes import error_of

    try:
        raise ValueError("bad input")
    except ValueError as exc:
        error = error_of(exc)
    assert isinstance(error, TaskError) and error.type == "ValueError" and "bad input" in error.traceback
