"""retry() until max_retries, then on_max_retries and the dead letters."""

from __future__ import annotations

from sergeant.store.base import Store
from sergeant.task import TaskState
from tests.worker.harness import Events, Processes, finished, push, wait_for


def test_retry_then_max_retries_then_dead_letter(store: Store, queue_name: str, processes: Processes,
                                                 events: Events) -> None:
    processes.configure(max_retries=2)
    (task,) = push(store, queue_name, [{"action": "retry", "delay_s": 0.0}], max_attempts=10, trace_id="t-1")
    processes.child()
    wait_for(lambda: finished(store, queue_name, [task]), 45, "three runs, then the dead letters")
    assert [e["attempt"] for e in events.named("work", task)] == [0, 1, 2]
    assert [e["attempt"] for e in events.named("on_retry", task)] == [0, 1]
    assert [e["attempt"] for e in events.named("on_max_retries", task)] == [2]
    got = store.get(queue_name, task)
    assert got.state is TaskState.DEAD and got.result and got.result.error
    assert got.result.error.type == "WorkerMaxRetries"
    (letter,) = store.dead_letters(queue_name)
    assert (letter.task.id, letter.task.trace_id) == (task, "t-1")
    assert {e["trace_id"] for e in events.named("work", task)} == {"t-1"}
