"""Every hook and handler fires, in order, in a real worker process, for both executors and stores."""

from __future__ import annotations

import msgpack
import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from sergeant.worker.exit_codes import ExitCode
from tests.worker.harness import Events, Processes, finished, push, wait_for

EXECUTORS = [{"executor": "process"}, {"executor": "threaded", "number_of_threads": 2}]


@pytest.mark.parametrize("executor", EXECUTORS, ids=["process", "threaded"])
def test_hooks_and_handlers_fire_in_order(executor: dict[str, object], store: Store, queue_name: str,
                                          processes: Processes, events: Events) -> None:
    processes.configure(**executor, tasks_per_transaction=10)
    ok, failed, retried, requeued = push(store, queue_name, [
        {"action": "ok", "n": 1}, {"action": "fail", "handler_raises": True}, {"action": "fail_then_retry"},
        {"action": "requeue", "once": True}], max_attempts=2)
    worker = processes.child()
    wait_for(lambda: finished(store, queue_name, [ok, failed, retried, requeued]), 45, "all four tasks settled")
    worker.terminate()
    assert worker.wait(45) == ExitCode.OK

    assert events.for_task(ok) == ["pre_work", "work", "post_work", "on_success"]
    result = store.get(queue_name, ok).result
    assert result is not None and msgpack.unpackb(result.result) == {"echo": {"action": "ok", "n": 1}}
    assert events.named("post_work", ok)[0]["success"] is True

    # An exception: on_failure (which itself raises: logged, not fatal), then the store's retry policy.
    assert events.for_task(failed) == ["pre_work", "work", "post_work", "on_failure"] * 2
    assert store.get(queue_name, failed).state is TaskState.DEAD
    assert store.get(queue_name, failed).result.error.type == "ValueError"  # type: ignore[union-attr]

    # retry() inside on_failure is routed to on_retry, then on_max_retries once attempts run out.
    run = ["pre_work", "work", "post_work", "on_failure"]
    assert events.for_task(retried) == [*run, "on_retry", *run, "on_max_retries"]
    dead = store.get(queue_name, retried)
    assert dead.state is TaskState.DEAD and dead.result and dead.result.error
    assert dead.result.error.type == "WorkerMaxRetries"

    # requeue() counts no attempt: the second run sees attempt 0 again.
    assert events.for_task(requeued) == ["pre_work", "work", "post_work", "on_requeue",
                                         "pre_work", "work", "post_work", "on_success"]
    assert [e["attempt"] for e in events.named("work", requeued)] == [0, 0]

    lifecycle = [e["event"] for e in events.all() if e["event"] in ("initialize", "on_stop", "finalize")]
    assert lifecycle == ["initialize", "on_stop", "finalize"]
