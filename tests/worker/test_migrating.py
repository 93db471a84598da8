"""Every Sergeant 0.27 name in docs/migrating.md, exercised: it works (warning with its successor's name), or it
fails with an error that names the successor."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

import sergeant
from sergeant.encoder import Encoder
from sergeant.errors import InvalidArgument
from sergeant.store.base import Store
from sergeant.task import Compressor, Serializer, TaskState
from sergeant.worker import OutcomeLogs, Starvation, Timeouts, Worker, WorkerConfig, WorkerRequeue, WorkerRetry
from tests.worker.harness import Events, Processes, finished, push, wait_for

SQLITE = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def test_import_sergeant_exposes_worker_and_config() -> None:
    import sergeant.worker.worker

    assert sergeant.worker.Worker is sergeant.worker.worker.Worker
    assert sergeant.config.WorkerConfig is not WorkerConfig  # the 0.27 one, which builds a 1.x WorkerConfig
    with pytest.raises(AttributeError, match="no attribute 'slave'"):
        sergeant.slave  # noqa: B018 - the access is the test


def test_config_names_build_the_1x_config_and_warn_with_the_successor() -> None:
    config = sergeant.config
    with pytest.warns(DeprecationWarning, match=r"use sergeant.worker.Timeouts\(timeout_s=, grace_period_s=\)"):
        timeouts = config.Timeouts(timeout=1.5, grace_period=3)
    assert timeouts == Timeouts(timeout_s=1.5, grace_period_s=3)
    with pytest.warns(DeprecationWarning, match=r"Starvation\(time_with_no_tasks_s=\)"):
        assert config.Starvation(time_with_no_tasks=7) == Starvation(time_with_no_tasks_s=7)
    with pytest.warns(DeprecationWarning, match="sergeant.encoder.Encoder"):
        encoder = config.Encoder(compressor="gzip", serializer="pickle")
    assert encoder == Encoder(serializer=Serializer.PICKLE, compressor=Compressor.GZIP)
    events = config.LoggingEvents(on_success=True, on_failure=False, on_timeout=True, on_retry=False,
                                  on_max_retries=True, on_requeue=False, on_starvation=True)
    redis = config.Connector(type="redis", params={"nodes": [{"host": "h", "port": 6380, "password": "pw",
                                                              "database": 2}]})
    with pytest.warns(DeprecationWarning, match=r"use sergeant.worker.WorkerConfig\(store_url=, log_level="):
        built = config.WorkerConfig(name="q", connector=redis, max_tasks_per_run=5, max_retries=2,
                                    tasks_per_transaction=3, number_of_threads=4, encoder=encoder,
                                    timeouts=timeouts, starvation=Starvation(time_with_no_tasks_s=7),
                                    logging=config.Logging(level=logging.WARNING, log_to_stdout=True, events=events))
    assert built == WorkerConfig(
        name="q", store_url="redis://:pw@h:6380/2", max_tasks_per_run=5, max_retries=2, tasks_per_transaction=3,
        executor="threaded", number_of_threads=4, encoder=encoder, timeouts=timeouts,
        starvation=Starvation(time_with_no_tasks_s=7), log_level="WARNING",
        outcome_logs=OutcomeLogs(success=True, failure=False, timeout=True, retry=False, dead=True, requeue=False))


@pytest.mark.parametrize(("kind", "params", "url"), [
    ("redis", {"nodes": [{"host": "localhost", "port": 6379, "password": None, "database": 0}]},
     "redis://localhost:6379/0"),
    ("mongo", {"nodes": [{"host": "m", "port": 27017, "replica_set": "rs0"}]}, "mongodb://m:27017/?replicaSet=rs0"),
    ("local", {"file_path": "/tmp/x.sqlite3"}, "sqlite:////tmp/x.sqlite3"),
])
def test_each_connector_becomes_a_store_url(kind: str, params: dict[str, Any], url: str) -> None:
    assert sergeant.config.Connector(type=kind, params=params).store_url() == url


def test_what_has_no_successor_says_what_to_do() -> None:
    two = {"nodes": [{"host": "a", "port": 1}, {"host": "b", "port": 2}]}
    with pytest.raises(InvalidArgument, match="a store_url names one server"):
        sergeant.config.Connector(type="redis", params=two).store_url()
    with pytest.raises(InvalidArgument, match=r"logging.getLogger\('sergeant'\)"):
        sergeant.config.Logging(handlers=[logging.StreamHandler()])


def test_log_levels_as_numbers_or_names() -> None:
    assert WorkerConfig(name="q", log_level=logging.DEBUG).log_level == "DEBUG"
    assert WorkerConfig(name="q", log_level="warning").log_level == "WARNING"
    with pytest.raises(InvalidArgument, match="unknown log_level 5"):
        WorkerConfig(name="q", log_level=5)


def test_the_0_27_on_stop_signature_is_refused_naming_the_new_one() -> None:
    with pytest.raises(TypeError, match=r"OldWorker.on_stop\(self, task\) cannot be called as on_stop\(self\)"):
        class OldWorker(Worker):
            def on_stop(self, task: Any) -> None: ...  # type: ignore[override]

    with pytest.raises(TypeError, match=r"on_failure\(self, task\) cannot be called as "
                                        r"on_failure\(self, task, exception\)"):
        class Narrow(Worker):
            def on_failure(self, task: Any) -> None:  # type: ignore[override]
                ...


class _Local(Worker):
    def generate_config(self) -> WorkerConfig:
        return WorkerConfig(name="legacy")


def test_renamed_keywords_and_task_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERGEANT_STORE", f"sqlite:///{tmp_path / 'store.db'}")
    worker: Any = _Local()  # Any: the 0.27 keywords are not in the typed signatures, on purpose
    try:
        with pytest.warns(DeprecationWarning, match=r"push_task\(task_name=...\) .* use queue="):
            worker.push_task({"a": 1}, task_name="other")
        with pytest.warns(DeprecationWarning, match=r"push_task\(consumable_from=...\) .* use delay_s="):
            worker.push_task({"a": 2}, queue="other", consumable_from=time.time() + 60)
        with pytest.warns(DeprecationWarning, match="push_tasks"):
            worker.push_tasks([{"a": 3}, {"a": 4}], task_name="other")
        with pytest.warns(DeprecationWarning, match="number_of_enqueued_tasks"):
            assert worker.number_of_enqueued_tasks(task_name="other") == 3
        assert worker.number_of_enqueued_tasks("other", include_delayed=True) == 4
        with pytest.warns(DeprecationWarning, match="get_next_tasks"):
            (task,) = worker.get_next_tasks(1, task_name="other")
        assert task.kwargs == {"a": 1}
        with pytest.warns(DeprecationWarning, match=r"task.run_count .* use task.attempt"):
            assert task.run_count == 0
        with pytest.warns(DeprecationWarning, match=r"task.date .* use task.created_at"):
            assert task.date == task.created_at
        with pytest.warns(DeprecationWarning, match=r"retry\(consumable_from=...\)"), \
                pytest.raises(WorkerRetry) as retried:
            worker.retry(task, consumable_from=time.time() + 30)
        assert retried.value.delay_s is not None and 25 < retried.value.delay_s <= 30
        with pytest.warns(DeprecationWarning, match=r"requeue\(consumable_from=...\)"), \
                pytest.raises(WorkerRequeue) as requeued:
            worker.requeue(task, consumable_from=time.time() + 30)
        assert 25 < requeued.value.delay_s <= 30
        assert worker.ack_tasks([task]) == 1
        with pytest.warns(DeprecationWarning, match="purge_tasks"):
            assert worker.purge_tasks(task_name="other") == 3
        lock: Any = worker.lock("l")
        with pytest.warns(DeprecationWarning) as warned:
            assert lock.acquire(timeout=1, check_interval=0.1, ttl=30)
        assert [str(w.message).split(" is ")[0] for w in warned] == [
            "acquire(timeout=...)", "acquire(check_interval=...)", "acquire(ttl=...)"]
        assert lock.is_locked()
        with pytest.warns(DeprecationWarning, match=r"set_ttl\(ttl=...\)"):
            assert lock.set_ttl(ttl=40)
        ttl = lock.get_ttl()
        assert ttl is not None and 30 < ttl <= 40
        assert lock.release()
        worker.set_key("k", {"v": 1})
        assert worker.get_key("k") == {"v": 1}
        assert worker.delete_key("k")
    finally:
        worker.close()


def _outcome_lines(processes: Processes, event: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in processes.logs().splitlines() if f'"event": "{event}"' in line]


@SQLITE
def test_a_0_27_worker_runs_under_the_0_27_supervisor_command(store: Store, queue_name: str, processes: Processes,
                                                             events: Events) -> None:
    ok, failing, retried, slow = push(store, queue_name, [
        {"action": "ok", "n": 1}, {"action": "fail", "n": 2}, {"action": "retry", "n": 3},
        {"action": "sleep", "n": 4}], max_attempts=1, trace_id="trace-27")
    supervisor = processes.legacy_supervisor("--worker-module", "tests.worker.legacy_workers",
                                             "--worker-class", "Worker", "--concurrent-workers", "1")
    wait_for(lambda: finished(store, queue_name, [ok, failing, retried, slow]), 90, "the four tasks")
    push(store, queue_name, [{"action": "stop", "n": 5}])
    assert supervisor.wait(60) == 0  # stop() stops the supervisor, as in 0.27
    assert "sergeant supervise tests.worker.legacy_workers:Worker --workers 1" in processes.logs()
    assert [e["value"] for e in events.named("on_success")] == [1]
    assert [e["exception"] for e in events.named("on_failure")] == ["ValueError"]
    assert [e["task"] for e in events.named("on_max_retries")] == [3]  # max_attempts=1: the first retry() is over
    assert [e["task"] for e in events.named("on_timeout")] == [4]
    assert events.named("on_stop") and events.named("finalize")
    assert store.get(queue_name, retried).state is TaskState.DEAD
    # LoggingEvents(on_success=True, on_retry=False) became OutcomeLogs: a success line, no retry line.
    assert [line["task"] for line in _outcome_lines(processes, "task.succeeded")] == [ok]
    assert not _outcome_lines(processes, "task.retrying")
    # The worker's own lines carry the task, its trace id, the worker and the pid.
    (working,) = [line for line in _outcome_lines(processes, "working on ok")]
    assert working["task"] == ok and working["trace_id"] == "trace-27" and working["pid"] > 0
    assert working["worker"].split("/")[1] == str(working["pid"])
