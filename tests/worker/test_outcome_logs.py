"""Outcome logs by default: one structured line per failure, timeout, retry, dead letter and kill, each kind
silenced in WorkerConfig; the task's trace id reaches work(), the worker's lines and the outcome lines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sergeant.store.base import Store
from tests.worker.harness import Events, Processes, finished, push, wait_for

SQLITE = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
CONTEXT = {"queue", "task", "attempt", "worker", "pid", "trace_id", "reason"}


def _lines(processes: Processes, event: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in processes.logs().splitlines() if f'"event": "{event}"' in line]


@SQLITE
def test_each_kind_of_outcome_logs_one_line_with_its_context(store: Store, queue_name: str, processes: Processes,
                                                             events: Events) -> None:
    processes.configure(timeouts={"timeout_s": 0.5, "grace_period_s": 1.0})
    failing, retried, slow = push(store, queue_name, [{"action": "fail", "why": "broken"}, {"action": "retry"},
                                                      {"action": "sleep", "s": 30}],
                                  max_attempts=2, trace_id="trace-1")
    (ignored,) = push(store, queue_name, [{"action": "ignore_timeout"}], max_attempts=1, trace_id="trace-2")
    processes.supervisor("--workers", "1")
    wait_for(lambda: finished(store, queue_name, [failing, retried, slow, ignored]), 120, "every task")

    failed = _lines(processes, "task.failed")
    assert [(line["task"], line["attempt"]) for line in failed] == [(failing, 0), (failing, 1)]
    assert failed[0].keys() >= CONTEXT
    assert failed[0]["queue"] == queue_name and failed[0]["trace_id"] == "trace-1"
    assert failed[0]["reason"] == "ValueError: asked to fail: broken"
    assert failed[0]["worker"].split("/")[1] == str(failed[0]["pid"])
    assert [line["task"] for line in _lines(processes, "task.retrying")] == [retried]
    assert [line["task"] for line in _lines(processes, "task.timed_out")] == [slow, slow]
    dead = {line["task"]: line for line in _lines(processes, "task.dead")}
    assert dead.keys() == {failing, retried, slow}  # the second attempt of each (a kill is logged as such)
    assert dead[failing]["attempt"] == 1 and dead[slow]["reason"].startswith("WorkerTimedout")
    (killed,) = _lines(processes, "task.killed")
    assert (killed["task"], killed["trace_id"], killed["reason"]) == (ignored, "trace-2",
                                                                      "killed: timeout 0.5 s plus grace 1 s")
    assert killed["worker"].split("/")[1] == str(killed["pid"])
    # The trace id reached work() itself.
    assert {e["trace_id"] for e in events.named("work", failing)} == {"trace-1"}


@SQLITE
def test_each_kind_can_be_silenced(store: Store, queue_name: str, processes: Processes, events: Events) -> None:
    processes.configure(outcome_logs={"failure": False, "dead": False, "success": True})
    ok, failing = push(store, queue_name, [{"action": "ok"}, {"action": "fail"}], max_attempts=1)
    processes.supervisor("--workers", "1")
    wait_for(lambda: finished(store, queue_name, [ok, failing]), 60, "both tasks")
    assert [line["task"] for line in _lines(processes, "task.succeeded")] == [ok]
    assert not _lines(processes, "task.failed") and not _lines(processes, "task.dead")
