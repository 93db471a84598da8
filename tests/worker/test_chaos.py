"""Chaos and soak: processes die at random while thousands of tasks flow, and nothing is lost.

Slow (about a minute each): run by ``./dev slow``, a job of its own in ``.ci/run``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sergeant.store.base import Store
from sergeant.task import TaskState
from tests.servers import free_port, wait_for_port
from tests.worker.harness import REPO, Events, Processes, finished, push, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def settle(store: Store, queue_name: str, ids: list[str], timeout_s: float) -> None:
    wait_for(lambda: finished(store, queue_name, ids), timeout_s, f"all {len(ids)} tasks to settle", interval_s=0.5)
    states = [store.get(queue_name, t).state for t in ids]
    assert states.count(TaskState.SUCCEEDED) == len(ids), {s: states.count(s) for s in set(states)}
    counts = store.counts(queue_name)
    assert (counts.ready, counts.delayed, counts.leased, counts.dead) == (0, 0, 0, 0)


def test_random_kill_9_of_workers_loses_no_task(store: Store, queue_name: str, processes: Processes,
                                                events: Events) -> None:
    processes.configure(executor="threaded", number_of_threads=4, tasks_per_transaction=50, lease_s=60)
    ids = push(store, queue_name, [{"action": "sleep", "s": 0.003, "n": n} for n in range(3_000)], max_attempts=50)
    processes.supervisor("--workers", "2")
    wait_for(lambda: events.named("work"), 60, "work to start")
    rng = random.Random(7)
    killed: set[int] = set()
    while len(killed) < 8 and not finished(store, queue_name, ids):
        time.sleep(rng.uniform(0.5, 1.5))
        alive = [pid for pid in set(events.pids()) - killed if _alive(pid)]
        if alive:
            victim = rng.choice(alive)
            os.kill(victim, signal.SIGKILL)
            killed.add(victim)
    assert killed, "the chaos loop killed nobody"
    settle(store, queue_name, ids, 240)
    ran = {r["task"] for r in events.named("work")}
    assert ran == set(ids)


def test_gateway_killed_and_restarted_mid_run_loses_no_outcome(store_url: str, store: Store, queue_name: str,
                                                               events: Events, tmp_path: Path) -> None:
    port = free_port()
    address = f"127.0.0.1:{port}"
    env = {**os.environ, "SERGEANT_STORE": store_url, "SERGEANT_GATEWAY": address, "SERGEANT_TEST_QUEUE": queue_name,
           "SERGEANT_TEST_EVENTS": str(events.path), "PYTHONUNBUFFERED": "1",
           "SERGEANT_TEST_CONFIG": '{"executor": "threaded", "number_of_threads": 4, "tasks_per_transaction": 50}'}

    def start_gateway() -> subprocess.Popen[bytes]:
        gateway = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "serve", "--listen", address], env=env,
                                   cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(port)
        return gateway

    gateway = start_gateway()
    workers = Processes(env, tmp_path)
    try:
        ids = push(store, queue_name, [{"action": "sleep", "s": 0.002, "n": n} for n in range(2_000)], max_attempts=50)
        workers.supervisor("--workers", "2")
        wait_for(lambda: len(events.named("work")) > 200, 60, "200 tasks to run")
        for _ in range(2):
            gateway.send_signal(signal.SIGKILL)
            gateway.wait(10)
            time.sleep(1.0)  # workers keep their outcomes while the gateway is away
            gateway = start_gateway()
            time.sleep(2.0)
        settle(store, queue_name, ids, 240)
    finally:
        workers.stop_all()
        gateway.send_signal(signal.SIGTERM)
        gateway.wait(20)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
