"""Two gateways on one cluster behind one client address: gRPC's client-side ``round_robin`` (docs/scaling.md)."""

from __future__ import annotations

import contextlib
import json
import uuid

import grpc
import psutil

from sergeant.client.common import joined, packed_options, packed_request
from sergeant.packed import pack_record
from sergeant.store import open_store
from sergeant.task import new_task_id
from sergeant.v1 import producer_pb2_grpc
from tests.worker.harness import gateway_thread

ROUND_ROBIN = json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})


def _gateway_ports_connected_to() -> set[int]:
    """Ports this process holds a client connection to (the gateways' own sockets have their port on our side)."""
    return {c.raddr.port for c in psutil.Process().net_connections("tcp")
            if c.status == psutil.CONN_ESTABLISHED and c.raddr}


def _push(stub: producer_pb2_grpc.ProducerStub, queue: str, n: int) -> str:
    task_id = new_task_id()
    record = pack_record(packed_options().record(task_id, {"n": n}))
    # wait_for_ready: a call that meets a gateway going away waits for a ready one instead of failing
    stub.Push(packed_request(queue, joined([record]), False), timeout=30, wait_for_ready=True)
    return task_id


def test_round_robin_over_two_gateways_uses_both_and_survives_one(redis_cluster_url: str) -> None:
    queue = f"g-{uuid.uuid4().hex[:8]}"
    with gateway_thread(redis_cluster_url) as first, contextlib.ExitStack() as second_running:
        second = second_running.enter_context(gateway_thread(redis_cluster_url))
        ports = {int(first.rsplit(":", 1)[1]), int(second.rsplit(":", 1)[1])}
        # One target naming both gateways; the default policy (pick_first) would send everything to the first.
        channel = grpc.insecure_channel(f"ipv4:{first},{second}", options=[("grpc.service_config", ROUND_ROBIN)])
        try:
            stub = producer_pb2_grpc.ProducerStub(channel)
            for n in range(20):
                _push(stub, queue, n)
            assert ports <= _gateway_ports_connected_to(), "round_robin keeps a connection to every gateway"
            second_running.close()  # one gateway goes away: the other takes every call, the client unchanged
            for n in range(20, 30):
                _push(stub, queue, n)
            store = open_store(redis_cluster_url)
            try:
                assert store.counts(queue).ready == 30
            finally:
                store.close()
        finally:
            channel.close()


def test_without_round_robin_one_gateway_takes_everything(redis_cluster_url: str) -> None:
    """The control: the same target under the default policy connects to the first gateway only."""
    queue = f"g-{uuid.uuid4().hex[:8]}"
    with gateway_thread(redis_cluster_url) as first, gateway_thread(redis_cluster_url) as second:
        channel = grpc.insecure_channel(f"ipv4:{first},{second}")
        try:
            stub = producer_pb2_grpc.ProducerStub(channel)
            for n in range(5):
                _push(stub, queue, n)
            connected = _gateway_ports_connected_to()
            assert int(first.rsplit(":", 1)[1]) in connected
            assert int(second.rsplit(":", 1)[1]) not in connected
        finally:
            channel.close()
