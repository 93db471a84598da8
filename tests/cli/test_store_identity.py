"""A worker on another store than its gateway's is refused with a message naming both, and its supervisor exits 8."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest

from sergeant.client import Client
from sergeant.service.config import GatewaySettings
from sergeant.store.base import Store
from sergeant.v1 import worker_pb2
from sergeant.worker.exit_codes import ExitCode
from tests.gateway.harness import ScriptedWorker, gateway

REPO = Path(__file__).resolve().parents[2]


def identity_pb(store: Store, **changes: str) -> worker_pb2.StoreIdentity:
    return worker_pb2.StoreIdentity(**dataclasses.asdict(dataclasses.replace(store.identity(), **changes)))


def test_the_gateway_checks_the_store_in_the_hello(address: str, direct: Store) -> None:
    own = ScriptedWorker(address, "q", "h/1/own", store=identity_pb(direct))
    own.receive("welcome")
    older = ScriptedWorker(address, "q", "h/1/older")  # no store in its hello: a worker from before the check
    older.receive("welcome")
    # One server reached by another name is the same store: only the database part of a location must match.
    kind, location = direct.identity().kind, direct.identity().location
    cluster = location.startswith("cluster ")  # a Redis Cluster is its cluster id, whatever node names reach it
    if kind != "sqlite" and not cluster:
        aliased = ScriptedWorker(address, "q", "h/1/alias",
                                 store=identity_pb(direct, location="other-name:1/" + location.rpartition("/")[2]))
        aliased.receive("welcome")
        aliased.goodbye()

    prefixed = ScriptedWorker(address, "q", "h/1/prefix", store=identity_pb(direct, key_prefix="elsewhere"))
    with pytest.raises(grpc.RpcError) as refused:
        prefixed.receive("welcome")
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    details = refused.value.details() or ""
    assert "key prefix 'elsewhere'" in details and f"key prefix {direct.identity().key_prefix!r}" in details
    assert location in details

    database = "/elsewhere.db" if kind == "sqlite" else location.rpartition("/")[0] + "/elsewhere"
    others = [database] if kind == "sqlite" else ["cluster another-id"] if cluster else \
        [database, "localhost:1/" + location.rpartition("/")[2]]
    # Another file, another database on the server, another server on this machine's loopback (another port), or
    # another cluster.
    for n, elsewhere in enumerate(others):
        other = ScriptedWorker(address, "q", f"h/1/other{n}", store=identity_pb(direct, location=elsewhere))
        with pytest.raises(grpc.RpcError) as refused:
            other.receive("welcome")
        assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert elsewhere in (refused.value.details() or "")
    own.goodbye()
    older.goodbye()


def supervise(cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERGEANT_")}
    env.update(PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "sergeant.cli", "supervise", "examples.echo_worker:EchoWorker",
                             *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def refused(supervisor: subprocess.Popen[str]) -> str:
    try:
        output, _ = supervisor.communicate(timeout=90)
    finally:
        supervisor.kill()
    assert supervisor.returncode == ExitCode.GATEWAY_REFUSED, output
    assert "FAILED_PRECONDITION" in output, output
    assert "sergeant supervise: exit 8: the gateway refused the workers" in output, output
    return output


def test_a_relative_sqlite_path_from_another_directory_is_refused(tmp_path: Path) -> None:
    """The reported case: the gateway's sergeant.db is in one directory, the worker started in another."""
    (tmp_path / "gateway").mkdir()
    (tmp_path / "worker").mkdir()
    with gateway(GatewaySettings(store_url=f"sqlite:///{tmp_path / 'gateway' / 'sergeant.db'}")) as address:
        output = refused(supervise(tmp_path / "worker", "--store", "sqlite:///sergeant.db", "--gateway", address))
    assert f"this worker uses sqlite at {tmp_path / 'worker' / 'sergeant.db'}" in output
    assert f"this gateway uses sqlite at {tmp_path / 'gateway' / 'sergeant.db'}" in output


def test_a_sqlite_worker_next_to_a_redis_gateway_is_refused(tmp_path: Path, redis_url: str) -> None:
    with gateway(GatewaySettings(store_url=redis_url)) as address:
        output = refused(supervise(tmp_path, "--store", f"sqlite:///{tmp_path / 'w.db'}", "--gateway", address))
    assert "this worker uses sqlite at" in output and "this gateway uses redis at" in output


def test_the_same_file_by_a_relative_path_is_accepted(tmp_path: Path) -> None:
    with gateway(GatewaySettings(store_url=f"sqlite:///{tmp_path / 'sergeant.db'}")) as address:
        supervisor = supervise(tmp_path, "--store", "sqlite:///sergeant.db", "--gateway", address)
        try:
            with Client(address) as client:
                assert client.submit("echo", {"n": 1}).result(timeout=90) == {"echo": {"n": 1}, "keys": 1}
        finally:
            supervisor.terminate()
            output, _ = supervisor.communicate(timeout=60)
    assert supervisor.returncode == 0, output
    assert "FAILED_PRECONDITION" not in output


def test_the_gateway_and_supervise_flags_reach_the_workers(tmp_path: Path, redis_url: str) -> None:
    """Flags, not the environment: the supervisor's workers get --store, --gateway and --key-prefix."""
    prefix = f"flags{int(time.time() * 1000) % 100_000}"
    with gateway(GatewaySettings(store_url=redis_url, key_prefix=prefix)) as address:
        supervisor = supervise(tmp_path, "--store", redis_url, "--gateway", address, "--key-prefix", prefix)
        try:
            with Client(address) as client:
                assert client.submit("echo", {"n": 2}).result(timeout=90)["echo"] == {"n": 2}
        finally:
            supervisor.terminate()
            supervisor.communicate(timeout=60)
