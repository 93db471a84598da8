"""``sergeant serve --processes N``: N gateway processes share one port, and each of them serves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import grpc
import psutil
import pytest

from sergeant.v1 import operations_pb2, operations_pb2_grpc, producer_pb2, producer_pb2_grpc, task_pb2
from tests.servers import free_port


def wait_serving(address: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while subprocess.run([sys.executable, "-m", "sergeant.cli", "health", "--address", address],
                         capture_output=True).returncode != 0:
        assert proc.poll() is None, "sergeant serve --processes exited"
        assert time.monotonic() < deadline, "the gateway processes never became healthy"
        time.sleep(0.2)


def connections_by_process(parent: psutil.Process, port: int) -> dict[int, int]:
    return {child.pid: sum(1 for c in child.net_connections(kind="tcp")
                           if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED)
            for child in parent.children() if "resource_tracker" not in " ".join(child.cmdline())}


@pytest.mark.timeout(180)
def test_two_processes_share_the_port_and_both_serve(tmp_path: Path) -> None:
    port = free_port()
    address = f"127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "--log-level", "WARNING", "serve", "--processes",
                             "2", "--listen", address, "--store", f"sqlite:///{tmp_path / 'store.db'}"],
                            start_new_session=True)
    channels: list[grpc.Channel] = []
    served: dict[int, int] = {}
    try:
        wait_serving(address, proc)
        # A channel of its own connection each (no shared subchannels): the kernel spreads connections over the
        # processes, so with 16 of them both processes get some (all on one: a chance of 1 in 32,768).
        for n in range(16):
            channel = grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
            channels.append(channel)
            operations_pb2_grpc.OperationsStub(channel).GetVersion(operations_pb2.GetVersionRequest(), timeout=30)
            reply = producer_pb2_grpc.ProducerStub(channel).Push(producer_pb2.PushRequest(
                tasks=[task_pb2.Task(id=f"t-{n}", queue="q", kwargs=b"\x80")]), timeout=30)
            assert reply.tasks[0].created
        served = connections_by_process(psutil.Process(proc.pid), port)
        assert len(served) == 2, f"expected 2 gateway processes, found {served}"
        assert all(n > 0 for n in served.values()), f"one process got every connection: {served}"
        assert sum(served.values()) == 16
    finally:
        for channel in channels:
            channel.close()
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0
    assert not any(psutil.pid_exists(pid) for pid in served), "every gateway process stops with the parent"


def test_processes_need_a_fixed_port(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sergeant.cli", "serve", "--processes", "2", "--listen",
                           "127.0.0.1:0", "--store", f"sqlite:///{tmp_path / 'store.db'}"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "fixed port" in done.stderr
