"""What the hardening tests share: raw stubs, a health probe, token files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from sergeant.service.config import load_tokens
from sergeant.v1 import operations_pb2_grpc, producer_pb2_grpc, worker_pb2_grpc


def tokens(tmp_path: Path, spec: dict[str, dict[str, Any]]) -> Any:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(spec))
    return load_tokens(str(path))


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


class Stubs:
    def __init__(self, channel: grpc.Channel) -> None:
        self.producer = producer_pb2_grpc.ProducerStub(channel)
        self.ops = operations_pb2_grpc.OperationsStub(channel)
        self.workers = worker_pb2_grpc.WorkersStub(channel)
        self.health = health_pb2_grpc.HealthStub(channel)

    def health_check(self, timeout_s: float = 5.0) -> tuple[int, float]:
        """(status, seconds it took)."""
        started = time.monotonic()
        reply = self.health.Check(health_pb2.HealthCheckRequest(), timeout=timeout_s)
        return reply.status, time.monotonic() - started


SERVING = health_pb2.HealthCheckResponse.SERVING


def cancel(call: Any) -> None:
    """Cancel a streaming call (its grpcio method is untyped)."""
    call.cancel()


def rss_bytes() -> int:
    """This process's resident set (the gateways under test run in it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")
