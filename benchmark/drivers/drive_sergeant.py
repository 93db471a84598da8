"""Sergeant (this repository), in two modes, with one gateway (``sergeant serve``) on the run's Redis.

* ``--mode gateway``: produce with the Python gRPC client (``Client.push`` / ``push_many``),
  latency with ``Client.submit(...).result()``;
* ``--mode direct``: produce with the worker API straight to the store (``Worker.push_task`` /
  ``push_tasks``), latency as a store push followed by the task's SUCCEEDED event from a
  store subscription.

Consume is the same in both modes (only the backlog's producer differs): ``sergeant supervise
sergeant_workers:NoopWorker --workers P``; each worker leases ``--batch`` tasks per store
round trip and reports outcomes (acks with results) through the gateway.  The gate is the
queue's own pause/resume; a task counts as done once the store no longer holds it as ready
or leased (its ack stored its result).
"""

from __future__ import annotations

import os
import socket
import sys
import time
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

import sergeant
from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import QUEUE, ROUND_TRIP_TIMEOUT_S, Args, Driver, WorkerGroup, payload
from benchmark.drivers.sergeant_workers import NoopWorker
from sergeant.client import Client
from sergeant.store.base import Store, Subscription
from sergeant.task import EventKind

EXECUTOR = "process"
LOG_LEVEL = "WARNING"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_serving(address: str, timeout_s: float = 60.0) -> None:
    give_up = time.monotonic() + timeout_s
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if time.monotonic() > give_up:
                raise RuntimeError(f"the gateway at {address} is not SERVING after {timeout_s} s")
            time.sleep(0.05)


class SergeantDriver(Driver):
    name = "sergeant"
    version = sergeant.__version__
    gate = "pause"
    completion = "store counts: pushed - (ready + leased + delayed), i.e. acked with a stored result"

    def __init__(self, args: Args) -> None:
        super().__init__(args)
        if args.mode not in ("gateway", "direct"):
            raise SystemExit("--mode must be gateway or direct")
        self.address = f"127.0.0.1:{free_port()}"
        os.environ.update({"SERGEANT_STORE": args.redis_url, "SERGEANT_GATEWAY": self.address,
                           "BENCH_BATCH": str(args.batch), "BENCH_EXECUTOR": EXECUTOR})
        self.gateway = WorkerGroup(args.pgid_file)
        self.gateway.start([sys.executable, "-m", "sergeant.cli", "--log-level", LOG_LEVEL, "serve",
                            "--listen", self.address, "--store", args.redis_url])
        wait_serving(self.address)
        self.worker = NoopWorker()  # the worker API, for direct pushes
        self.store: Store = self.worker.store
        self.client = Client(self.address)
        self.pushed = 0
        self._subscription: Subscription | None = None  # direct latency: the store's events of the queue
        self.batch_form = "Client.push_many" if args.mode == "gateway" else "Worker.push_tasks (one store round trip)"

    def settings(self, scenario: str) -> dict[str, Any]:
        config = self.worker.config
        return {"mode": self.args.mode, "store": "redis", "tasks_per_transaction": config.tasks_per_transaction,
                "executor": config.executor, "lease_s": config.lease_s, "serializer": "msgpack",
                "log_level": LOG_LEVEL, "gateway": "one `sergeant serve` process",
                "consume": "sergeant supervise --workers P", "gate": "pause/resume of the queue"}

    # --- producing ----------------------------------------------------------------------------

    def push_one(self, i: int) -> None:
        if self.args.mode == "gateway":
            self.client.push(QUEUE, payload(i))
        else:
            self.worker.push_task(payload(i))
        self.pushed += 1

    def push_batch(self, start: int, count: int) -> None:
        many = [payload(i) for i in range(start, start + count)]
        if self.args.mode == "gateway":
            self.client.push_many(QUEUE, many)
        else:
            self.worker.push_tasks(many)
        self.pushed += count

    # --- consuming ------------------------------------------------------------------------------

    def worker_commands(self, processes: int) -> list[list[str]]:
        return [[sys.executable, "-m", "sergeant.cli", "--log-level", LOG_LEVEL, "supervise",
                 f"{bench_common.PACKAGE}.sergeant_workers:NoopWorker", "--workers", str(processes), "--report-interval-s", "0"]]

    def _outstanding(self) -> int:
        counts = self.store.counts(QUEUE)
        return counts.ready + counts.leased + counts.delayed

    def completed(self) -> int:
        return self.pushed - self._outstanding()

    def reset_completed(self) -> None:
        self.pushed = self._outstanding()

    def backlog(self) -> int:
        return self.store.counts(QUEUE).ready

    def hide(self) -> None:
        self.store.pause(QUEUE)

    def reveal(self) -> float:
        started = time.perf_counter()
        self.store.resume(QUEUE)
        return started

    # --- latency ------------------------------------------------------------------------------------

    def round_trip(self, i: int) -> None:
        if self.args.mode == "gateway":
            self.client.submit(QUEUE, payload(i)).result(timeout=ROUND_TRIP_TIMEOUT_S)
            return
        if self._subscription is None:
            self._subscription = self.store.subscribe([QUEUE])
        task_id = self.worker.push_task(payload(i), want_result=True)
        give_up = time.monotonic() + ROUND_TRIP_TIMEOUT_S
        while time.monotonic() < give_up:
            for event in self._subscription.get(timeout_s=max(give_up - time.monotonic(), 0.001)):
                if event.task_id == task_id and event.kind is EventKind.SUCCEEDED:
                    return
        raise TimeoutError(f"task {task_id} did not succeed within {ROUND_TRIP_TIMEOUT_S} s")

    def close(self) -> None:
        try:
            if self._subscription is not None:
                self._subscription.close()
            self.client.close()
            self.worker.close()
        finally:
            self.gateway.stop()
            super().close()


if __name__ == "__main__":
    from benchmark.drivers.sergeant_breakdown import breakdown

    bench_common.main(SergeantDriver, extra={"breakdown": breakdown})
