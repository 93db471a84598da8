"""A master killed (-9) while a gateway ingests and workers consume: its replica takes over, nobody restarts.

Every push the gateway acknowledged must end SUCCEEDED.  With ``wait_replicas`` none may be lost.  Without it
a push acknowledged by the master but not yet copied to its replica when the master died can be lost
(docs/scaling.md, "The loss window"): the test reports any such loss and checks that it precedes the kill.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis.cluster

from sergeant.client import Client, ClientError
from sergeant.errors import StoreUnavailable, TaskNotFound
from sergeant.store import open_store
from sergeant.store import redis_keys as keys
from sergeant.store.base import Store
from sergeant.task import TaskState, new_task_id
from tests.servers import redis_cluster, wait_cluster_ready
from tests.worker.harness import Events, Processes, gateway_thread

BEFORE_KILL = 150  # acknowledged pushes before the master dies ...
AFTER_KILL = 150  # ... and after its replica took over


class Producer(threading.Thread):
    """Pushes one task at a time through the gateway, noting which pushes were acknowledged and when."""

    def __init__(self, address: str, queue: str) -> None:
        super().__init__(name="producer", daemon=True)
        self.address, self.queue = address, queue
        self.acked: list[tuple[str, float]] = []  # (task id, monotonic time of the acknowledgement)
        self.refused = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with Client(self.address) as client:
            while not self.stop.is_set():
                task_id = new_task_id()
                try:
                    client.push(self.queue, {"action": "ok"}, task_id=task_id, want_result=True)
                except ClientError:  # the store was failing over: not acknowledged, so not owed
                    self.refused += 1
                    self.stop.wait(0.05)
                    continue
                self.acked.append((task_id, time.monotonic()))

    def wait_for(self, count: int, timeout_s: float) -> None:
        give_up = time.monotonic() + timeout_s
        while len(self.acked) < count:
            assert time.monotonic() < give_up, f"only {len(self.acked)} of {count} pushes acknowledged in time"
            time.sleep(0.05)


def _state(store: Store, queue: str, task_id: str) -> TaskState | None:
    try:
        return store.get(queue, task_id).state
    except TaskNotFound:
        return None


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("wait", [True, False], ids=["wait_replicas", "async_replication"])
def test_a_master_killed_during_ingest_and_consumption(wait: bool, tmp_path: Path) -> None:
    queue = f"f-{uuid.uuid4().hex[:8]}"
    with redis_cluster() as cluster:
        url = cluster.url + ("?wait_replicas=1&wait_timeout_ms=3000" if wait else "")
        seed: Any = redis.cluster.RedisCluster(host="127.0.0.1", port=cluster.ports[0])
        victim = seed.get_node_from_key(keys.queue_keys("sergeant", queue).counts).port
        seed.close()
        with gateway_thread(url) as address:
            events = Events(tmp_path / "events.jsonl")
            processes = Processes({**os.environ, "SERGEANT_STORE": url, "SERGEANT_GATEWAY": address,
                                   "SERGEANT_TEST_QUEUE": queue, "SERGEANT_TEST_EVENTS": str(events.path),
                                   "SERGEANT_TEST_CONFIG": "{}", "PYTHONUNBUFFERED": "1"}, tmp_path)
            producer = Producer(address, queue)
            store = open_store(url)
            try:
                processes.supervisor("--workers", "2")
                producer.start()
                producer.wait_for(BEFORE_KILL, 120)
                first = producer.acked[0][0]
                give_up = time.monotonic() + 120
                while _state(store, queue, first) is not TaskState.SUCCEEDED:  # consuming, not just starting
                    assert time.monotonic() < give_up, "the workers did not start:\n" + processes.logs()
                    time.sleep(0.1)
                cluster.processes[victim].kill()  # SIGKILL: no goodbye to its replica
                cluster.processes[victim].wait(10)
                killed_at = time.monotonic()
                wait_cluster_ready(cluster.live_ports(), masters=3, timeout_s=60)
                promoted_after_s = time.monotonic() - killed_at
                if wait:  # the promoted master has no replica left to WAIT for: writes to it fail until one rejoins
                    cluster.restart(victim)
                    wait_cluster_ready(cluster.ports, masters=3, timeout_s=60)
                producer.wait_for(len(producer.acked) + AFTER_KILL, 120)
                producer.stop.set()
                producer.join(30)
                owed = dict(producer.acked)

                give_up = time.monotonic() + 180
                states: dict[str, TaskState | None] = {}
                while time.monotonic() < give_up:
                    try:
                        states = {t: _state(store, queue, t) for t in owed}
                    except StoreUnavailable:
                        continue
                    if all(s in (TaskState.SUCCEEDED, None) for s in states.values()):
                        break
                    time.sleep(0.2)
                lost = [t for t, s in states.items() if s is None]
                late = [t for t, s in states.items() if s not in (TaskState.SUCCEEDED, None)]
                print(f"\nfailover ({'wait_replicas' if wait else 'async'}): {len(owed)} acknowledged, "
                      f"{producer.refused} refused while failing over, replica promoted in {promoted_after_s:.1f} s, "
                      f"lost {len(lost)}: {lost[:10]}")
                assert not late, f"{len(late)} acknowledged tasks never finished: {late[:10]}"
                if wait:
                    assert not lost, f"with wait_replicas, {len(lost)} acknowledged pushes were lost: {lost[:10]}"
                else:  # only what the dead master had not yet copied: acknowledged before the kill
                    assert all(owed[t] <= killed_at for t in lost), "a push acknowledged after the failover was lost"
                assert processes.started[0].poll() is None, "the supervisor did not carry on:\n" + processes.logs()
            finally:
                producer.stop.set()
                processes.stop_all()
                store.close()
