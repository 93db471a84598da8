"""/metrics of a gateway and of a supervisor after a known workload, on every store: exact counts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from sergeant.client import Client
from sergeant.store.base import Store
from sergeant.task import TaskState
from tests.servers import free_port
from tests.worker.harness import Events, Processes, finished, gateway_thread, push, wait_for


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
        assert reply.status == 200
        text = reply.read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(scraped: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def test_counters_and_gauges_after_a_known_workload(store_url: str, store: Store, queue_name: str,
                                                     processes: Processes) -> None:
    gateway_port, supervisor_port = free_port(), free_port()
    with gateway_thread(store_url, metrics_listen=f"127.0.0.1:{gateway_port}") as address, \
            Client(address) as client:
        q = queue_name
        ok = [client.push(q, {"action": "ok", "n": n}, want_result=True) for n in range(6)]
        doomed = [client.push(q, {"action": "retry", "delay_s": 0.0}, want_result=True, max_attempts=10)
                  for _ in range(2)]
        later = client.push(q, {"action": "ok"}, want_result=True, delay_s=3600)
        assert client.cancel(q, later) == "cancelled"
        # The same idempotency key twice stores one task: counted once.
        keyed = [client.push(q, {"action": "ok", "k": 1}, idempotency_key="once") for _ in range(2)]
        assert keyed[0] == keyed[1]
        before = scrape(gateway_port)
        assert value(before, "sergeant_tasks_pushed_total", queue=q) == 10
        assert value(before, "sergeant_queue_tasks", queue=q, state="ready") == 9

        processes.configure(max_retries=1)
        processes.supervisor("--workers", "2", "--gateway", address, "--metrics-listen",
                             f"127.0.0.1:{supervisor_port}")
        tasks = [*ok, *doomed, keyed[0]]
        wait_for(lambda: finished(store, q, [*ok, *doomed]) and store.counts(q).ready == 0
                 and store.counts(q).leased == 0, 60, "the workload to finish")
        assert all(store.get(q, t).state is TaskState.DEAD for t in doomed)

        gateway = scrape(gateway_port)
        assert value(gateway, "sergeant_tasks_pushed_total", queue=q) == 10
        assert value(gateway, "sergeant_tasks_failed_total", queue=q) == 4  # 2 tasks x (a retry, then dead)
        assert value(gateway, "sergeant_tasks_retried_total", queue=q) == 2
        assert value(gateway, "sergeant_tasks_dead_total", queue=q) == 2
        assert value(gateway, "sergeant_tasks_cancelled_total", queue=q) == 1
        # delayed: what the store says (Redis drops a cancelled delayed task from its count only when it is due)
        for state, expected in (("ready", 0), ("delayed", store.counts(q).delayed), ("leased", 0), ("dead", 2)):
            assert value(gateway, "sergeant_queue_tasks", queue=q, state=state) == expected, state
        assert value(gateway, "sergeant_rpc_total", method="Producer.Cancel", code="OK") == 1
        assert value(gateway, "sergeant_rpc_seconds_count", method="Producer.Cancel", code="OK") == 1
        assert value(gateway, "sergeant_worker_sessions") == 2
        assert value(gateway, "process_resident_memory_bytes") > 0

        def supervisor_counted() -> bool:  # a success is counted a moment after it is settled
            s = scrape(supervisor_port)
            return value(s, "sergeant_tasks_succeeded_total", queue=q) >= len(tasks) - len(doomed)

        wait_for(supervisor_counted, 30, "the supervisor to count the successes")
        supervisor = scrape(supervisor_port)
        assert value(supervisor, "sergeant_tasks_succeeded_total", queue=q) == 7
        assert value(supervisor, "sergeant_tasks_leased_total", queue=q) == 11  # 7 + 2 tasks x 2 attempts
        assert value(supervisor, "sergeant_worker_processes") == 2
        for outcome, runs in (("succeeded", 7), ("retry", 2), ("dead", 2), ("failed", 0)):
            assert value(supervisor, "sergeant_task_run_seconds_count", queue=q, outcome=outcome) == runs, outcome
        assert value(supervisor, "sergeant_task_latency_seconds_count", queue=q, outcome="succeeded") == 7
        assert value(supervisor, "sergeant_task_latency_seconds_count", queue=q, outcome="dead") == 2
        assert 0 < value(supervisor, "sergeant_task_latency_seconds_sum", queue=q, outcome="succeeded") < 7 * 60
        assert value(supervisor, "sergeant_task_latency_seconds_count", queue=q, outcome="retry") == 0  # not final
        assert value(supervisor, "process_resident_memory_bytes") > 0
        # No task ids in any label.
        assert not any(t in str(labels) for t in tasks for (_, labels) in (*gateway, *supervisor))


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_supervisor_counts_respawns_by_cause(store_url: str, store: Store, queue_name: str, processes: Processes,
                                             events: Events) -> None:
    port = free_port()
    with gateway_thread(store_url) as address:
        processes.supervisor("--workers", "1", "--gateway", address, "--metrics-listen", f"127.0.0.1:{port}")
        ids = push(store, queue_name, [{"action": "ok"}])
        wait_for(lambda: finished(store, queue_name, ids), 45, "the first worker to run a task")
        [first] = events.pids()
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: value(scrape(port), "sergeant_worker_respawns_total", cause="signal") == 1, 30,
                 "the respawn to be counted")
        wait_for(lambda: value(scrape(port), "sergeant_worker_processes") == 1, 30, "the new worker")
        scraped = scrape(port)
        assert value(scraped, "sergeant_worker_respawns_total", cause="memory") == 0
        # The dead child's count stays: its multiprocess file outlives it.
        assert value(scraped, "sergeant_tasks_succeeded_total", queue=queue_name) == 1


def test_a_taken_metrics_port_stops_the_gateway_with_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sergeant.cli", "serve", "--listen", f"127.0.0.1:{free_port()}",
                               "--store", f"sqlite:///{tmp_path / 'store.db'}", "--metrics-listen",
                               f"127.0.0.1:{taken}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"cannot serve metrics on 127.0.0.1:{taken}" in done.stderr
    assert "--metrics-listen" in done.stderr


def test_serve_with_processes_refuses_one_metrics_port(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sergeant.cli", "serve", "--processes", "2", "--listen",
                           f"127.0.0.1:{free_port()}", "--store", f"sqlite:///{tmp_path / 'store.db'}",
                           "--metrics-listen", f"127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "--metrics-listen serves one process's metrics" in done.stderr
