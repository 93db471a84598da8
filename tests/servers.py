"""Real servers for tests: a redis-server, a Redis Cluster and a SecantusDB (MongoDB wire protocol) subprocess.

``.ci/run`` starts them once and exports SERGEANT_TEST_REDIS_URL / SERGEANT_TEST_REDIS_CLUSTER_URL /
SERGEANT_TEST_MONGO_URL;
run locally without them, the fixtures start their own on free ports.  In CI
(``CI`` set) a missing server is an error, never a skip.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_port(port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout_s} s")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: apt-get install redis-server (or run .ci/run)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free as well."""
    for _ in range(1000):
        port = free_port()
        if port + 10000 < 65536:
            with contextlib.suppress(OSError), socket.socket() as s:
                s.bind(("127.0.0.1", port + 10000))
                return port
    raise RuntimeError("found no free port pair for a Redis Cluster node")


def redis_info(port: int, section: str) -> dict[str, str]:
    """``INFO section`` (or ``CLUSTER INFO`` for "cluster-info") of the node on a loopback port, as a dict."""
    command = ["cluster", "info"] if section == "cluster-info" else ["info", section]
    out = subprocess.run(["redis-cli", "-p", str(port), *command], capture_output=True, text=True, timeout=10).stdout
    return dict(line.split(":", 1) for line in out.replace("\r", "").splitlines() if ":" in line)


def wait_cluster_ready(ports: list[int], masters: int, timeout_s: float = 60.0) -> None:
    """Until every live node sees the cluster ok with ``masters`` masters, each master with its replicas in sync."""
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
            states = [redis_info(p, "cluster-info") for p in ports]
            roles = [redis_info(p, "replication") for p in ports]
            last = f"{[s.get('cluster_state') for s in states]} {[r.get('role') for r in roles]}"
            synced = all(r.get("master_link_status") == "up" for r in roles if r.get("role") == "slave")
            if (all(s.get("cluster_state") == "ok" and s.get("cluster_size") == str(masters) for s in states)
                    and sum(r.get("role") == "master" for r in roles) == masters and synced):
                return
        time.sleep(0.1)
    raise RuntimeError(f"the Redis Cluster on {ports} was not ready after {timeout_s} s: {last}")


@dataclasses.dataclass
class RedisCluster:
    """A running local cluster: its URL for ``open_store`` and its nodes' ports and processes."""

    url: str
    ports: list[int]
    processes: dict[int, subprocess.Popen[bytes]]
    commands: dict[int, list[str]]

    def restart(self, port: int) -> None:
        """Start a stopped node again: with its nodes.conf it rejoins, as a replica if it lost its slots."""
        self.processes[port] = subprocess.Popen(self.commands[port], stdout=subprocess.DEVNULL)
        wait_for_port(port)

    def masters(self) -> list[int]:
        return [p for p, proc in self.processes.items()
                if proc.poll() is None and redis_info(p, "replication").get("role") == "master"]

    def live_ports(self) -> list[int]:
        return [p for p, proc in self.processes.items() if proc.poll() is None]


@contextlib.contextmanager
def redis_cluster(masters: int = 3, node_timeout_ms: int = 2000) -> Iterator[RedisCluster]:
    """3 masters and 3 replicas of Debian's redis-server on loopback, made a cluster by ``redis-cli --cluster``."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        raise RuntimeError("redis-server/redis-cli are not installed: apt-get install redis-server (or run .ci/run)")
    folder = tempfile.mkdtemp(prefix="sergeant-cluster-")
    ports = [cluster_port() for _ in range(masters * 2)]
    processes: dict[int, subprocess.Popen[bytes]] = {}
    commands = {port: ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                       "--cluster-enabled", "yes", "--cluster-config-file", f"{folder}/nodes-{port}.conf",
                       "--cluster-node-timeout", str(node_timeout_ms), "--dir", folder] for port in ports}
    try:
        for port in ports:
            processes[port] = subprocess.Popen(commands[port], stdout=subprocess.DEVNULL)
        for port in ports:
            wait_for_port(port)
        subprocess.run(["redis-cli", "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports),
                        "--cluster-replicas", "1", "--cluster-yes"], check=True, capture_output=True, timeout=60)
        wait_cluster_ready(ports, masters)
        seeds = ",".join(f"127.0.0.1:{p}" for p in ports)  # every node a seed: a client starts while one is down
        yield RedisCluster(f"redis+cluster://{seeds}", ports, processes, commands)
    finally:
        for proc in processes.values():
            proc.terminate()
        for proc in processes.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def mongo_server() -> Iterator[str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="sergeant-secantus-")
    launcher = shutil.which("secantusd-py")
    cmd = [launcher] if launcher else [sys.executable, "-m", "secantus"]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", str(port), "--storage-path", data, "--log-level", "ERROR"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, 60)
        yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()  # reaped: a Popen dropped while its process runs is a ResourceWarning (an error here)
        shutil.rmtree(data, ignore_errors=True)


def in_ci() -> bool:
    return bool(os.environ.get("CI"))
