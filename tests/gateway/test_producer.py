"""Producers over loopback: push, submit, watch, get, cancel, with a scripted worker session."""

from __future__ import annotations

import threading
import time

import msgpack
import pytest

from sergeant.client import Client, ClientError, TaskFailed
from sergeant.store.base import Store
from sergeant.v1 import task_pb2, worker_pb2
from tests.gateway.harness import ScriptedWorker


def succeed(worker: ScriptedWorker, store: Store, queue: str, result: object) -> str:
    """Lease one task as the worker's owner and report it succeeded."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        leased = store.lease(queue, 1, 30, owner=worker.worker_id, wait_s=0.5)
        if leased:
            [task] = leased
            ack = worker.outcomes(queue, worker_pb2.Outcome(
                task_id=task.id, lease_id=task.lease_id, kind=worker_pb2.OUTCOME_KIND_SUCCEEDED,
                result=msgpack.packb(result)))
            assert list(ack.dispositions) == [worker_pb2.DISPOSITION_DONE]
            return task.id
    raise AssertionError("no task arrived")


def test_push_one_and_a_batch_are_stored(address: str, direct: Store) -> None:
    with Client(address) as client:
        one = client.push("mail", {"to": "a"}, want_result=True)
        many = client.push_many("mail", [{"n": i} for i in range(100)])
    assert len(set(many)) == 100
    assert direct.counts("mail").ready == 101
    assert direct.get("mail", one).state.value == "pending"


def test_gateway_assigns_ids_and_dedupes_idempotency_keys(address: str, direct: Store) -> None:
    with Client(address) as client:
        first = client.push("mail", {"n": 1}, idempotency_key="order-7")
        second = client.push("mail", {"n": 2}, idempotency_key="order-7")
    assert first == second
    assert direct.counts("mail").ready == 1


def test_submit_streams_accepted_started_progress_and_the_result(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "echo", "test/1/a")
    worker.receive("welcome")
    progress: list[float] = []
    with Client(address) as client:
        submission = client.submit("echo", {"x": [1, 2]}, on_progress=lambda e: progress.append(e.progress))
        [task] = direct.lease("echo", 1, 30, owner=worker.worker_id, wait_s=10)
        assert task.id == submission.task_id
        worker.send(worker_pb2.WorkerMessage(progress=worker_pb2.ProgressBatch(
            queue="echo", updates=[worker_pb2.ProgressUpdate(task_id=task.id, progress=0.5, message="half")])))
        time.sleep(0.2)
        worker.outcomes("echo", worker_pb2.Outcome(task_id=task.id, lease_id=task.lease_id,
                                                   kind=worker_pb2.OUTCOME_KIND_SUCCEEDED,
                                                   result=msgpack.packb({"echo": {"x": [1, 2]}})))
        assert submission.result(timeout=10) == {"echo": {"x": [1, 2]}}
    kinds = [e.kind for e in submission.events]
    assert kinds[0] == "accepted" and kinds[-1] == "succeeded"
    assert "started" in kinds
    assert progress == [0.5]
    worker.goodbye()


def test_submit_of_a_task_that_dies_raises_task_failed(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/2/a")
    with Client(address) as client:
        submission = client.submit("q", {"n": 1}, max_attempts=1)
        [task] = direct.lease("q", 1, 30, owner=worker.worker_id, wait_s=10)
        ack = worker.outcomes("q", worker_pb2.Outcome(
            task_id=task.id, lease_id=task.lease_id, kind=worker_pb2.OUTCOME_KIND_FAILED,
            error=task_pb2.TaskError(type="ValueError", message="bad input", traceback="tb")))
        assert list(ack.dispositions) == [worker_pb2.DISPOSITION_DEAD]
        with pytest.raises(TaskFailed) as failed:
            submission.result(timeout=10)
    assert (failed.value.state, failed.value.error_type, failed.value.message) == ("dead", "ValueError", "bad input")
    worker.goodbye()


def test_watch_reports_tasks_that_finished_before_it_started(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/3/a")
    with Client(address) as client:
        task_id = client.push("q", {"n": 1}, want_result=True)
        succeed(worker, direct, "q", 42)
        events = list(client.watch("q", [task_id], timeout_s=10))
    assert [(e.kind, e.result) for e in events] == [("succeeded", 42)]
    worker.goodbye()


def test_watch_a_whole_queue(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/4/a")
    seen: list[str] = []
    with Client(address) as client:
        ready = threading.Event()

        def watch() -> None:
            stream = client.watch("q", timeout_s=10)
            ready.set()
            for event in stream:
                if event.kind == "succeeded":
                    seen.append(event.task_id)
                    if len(seen) == 2:
                        return

        watcher = threading.Thread(target=watch)
        watcher.start()
        ready.wait()
        time.sleep(0.5)  # let the stream subscribe
        ids = client.push_many("q", [{"n": 1}, {"n": 2}])
        done = [succeed(worker, direct, "q", None), succeed(worker, direct, "q", None)]
        watcher.join(15)
    assert sorted(seen) == sorted(ids) == sorted(done)
    worker.goodbye()


def test_get_and_cancel(address: str, direct: Store) -> None:
    with Client(address) as client:
        task_id = client.push("q", {"n": 1}, delay_s=60, want_result=True)
        assert client.get("q", task_id).state == "scheduled"
        assert client.cancel("q", task_id) == "cancelled"
        assert client.get("q", task_id).state == "cancelled"
        assert client.cancel("q", task_id) == "finished"
    assert direct.lease("q", 10, 10, owner="x") == []


def test_cancel_of_a_running_task_reaches_its_worker(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/5/a")
    worker.receive("welcome")
    time.sleep(0.3)  # the session subscribes to cancels
    with Client(address) as client:
        task_id = client.push("q", {"n": 1}, want_result=True)
        [task] = direct.lease("q", 1, 30, owner=worker.worker_id)
        assert client.cancel("q", task_id) == "running"
        command = worker.receive("command")
        assert command.cancel.task_id == task_id
        stopped = worker_pb2.Outcome(task_id=task.id, lease_id=task.lease_id, kind=worker_pb2.OUTCOME_KIND_CANCELLED,
                                     error=task_pb2.TaskError(type="TaskCancelled", message="stopped"))
        assert list(worker.outcomes("q", stopped).dispositions) == [worker_pb2.DISPOSITION_DONE]
        status = client.get("q", task_id)
        assert status.state == "cancelled" and status.error is not None and status.error[0] == "TaskCancelled"
    worker.goodbye()


def test_outcomes_are_idempotent_per_lease(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/6/a")
    with Client(address) as client:
        client.push("q", {"n": 1}, want_result=True)
    [task] = direct.lease("q", 1, 30, owner=worker.worker_id)
    outcome = worker_pb2.Outcome(task_id=task.id, lease_id=task.lease_id, kind=worker_pb2.OUTCOME_KIND_SUCCEEDED,
                                 result=msgpack.packb(1))
    assert list(worker.outcomes("q", outcome).dispositions) == [worker_pb2.DISPOSITION_DONE]
    assert list(worker.outcomes("q", outcome).dispositions) == [worker_pb2.DISPOSITION_LEASE_LOST]
    late_cancel = worker_pb2.Outcome(task_id=task.id, lease_id=task.lease_id, kind=worker_pb2.OUTCOME_KIND_CANCELLED)
    assert list(worker.outcomes("q", late_cancel).dispositions) == [worker_pb2.DISPOSITION_LEASE_LOST]
    info = direct.get("q", task.id)
    assert info.state.value == "succeeded" and info.result.result == msgpack.packb(1)  # type: ignore[union-attr]
    worker.goodbye()


def test_a_vanished_worker_has_its_leases_released(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/7/a")
    worker.receive("welcome")
    with Client(address) as client:
        client.push_many("q", [{"n": i} for i in range(5)])
    held = direct.lease("q", 5, 600, owner=worker.worker_id)
    assert len(held) == 5
    worker.vanish()
    deadline = time.monotonic() + 10
    while direct.counts("q").ready < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert direct.counts("q").ready == 5
    assert direct.counts("q").leased == 0


def test_a_worker_that_said_goodbye_keeps_nothing_registered(address: str, direct: Store) -> None:
    worker = ScriptedWorker(address, "q", "test/8/a")
    worker.receive("welcome")
    assert [w.worker_id for w in direct.workers()] == ["test/8/a"]
    worker.goodbye()
    deadline = time.monotonic() + 5
    while direct.workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert direct.workers() == []


def test_push_stream_ingests_batches(address: str, direct: Store) -> None:
    import grpc

    from sergeant.client.common import push_request
    from sergeant.v1 import producer_pb2_grpc

    with grpc.insecure_channel(address) as channel:
        stub = producer_pb2_grpc.ProducerStub(channel)
        reply = stub.PushStream(iter([push_request("bulk", [{"i": i} for i in range(500)], {}) for _ in range(4)]))
    assert len(reply.tasks) == 2000
    assert direct.counts("bulk").ready == 2000


def test_client_error_carries_the_status(address: str) -> None:
    with Client(address) as client, pytest.raises(ClientError) as raised:
        client.get("q", "missing")
    assert raised.value.code.name == "NOT_FOUND"
    assert "missing" in raised.value.details
