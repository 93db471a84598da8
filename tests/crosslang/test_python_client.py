"""The Python client against a live backend (gateway on Redis + supervised Python echo workers), as the Go, Node
and Java suites do: every msgpack type Python can express round-trips exactly through a Python worker."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sergeant.client import AsyncClient, Client, ClientError, TaskFailed

BACKEND = Path(__file__).with_name("backend.py")


def start_backend(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, str(BACKEND), *args], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY "), f"backend said {line!r}"
    return proc, line.split()[1]


def stop_backend(proc: subprocess.Popen[str]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(60)
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.fixture(scope="module")
def address(redis_url: str) -> Iterator[str]:
    if os.environ.get("SERGEANT_GATEWAY"):
        yield os.environ["SERGEANT_GATEWAY"]
        return
    proc, addr = start_backend("--store", redis_url)
    try:
        yield addr
    finally:
        stop_backend(proc)


EVERY_TYPE = {
    "nil": None,
    "bools": [True, False],
    "ints": [0, -1, 127, 128, -32, -33, 2**31, -(2**63), 2**63 - 1, 2**64 - 1],
    "floats": [0.0, -0.0, 1.5, -2.25e-300, 1.7976931348623157e308, float("inf"), float("-inf")],
    "bytes": [b"", b"\x00\xff" * 40_000],
    "text": ["", "héllo", "日本語", "emoji 🎉", "nul\x00inside", "x" * 70_000],
    "nested": {"a": {"b": {"c": [1, [2, [3, {"d": None}]]]}}},
    "int_keys": {1: "one", -5: "minus five"},
    "when": datetime.datetime(2026, 11, 27, 3, 4, 5, 678901, tzinfo=datetime.UTC),
    "before_1970": datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC),
    "tuple": (1, "two", b"3"),
    "set": {1, 2, 3},
    "frozenset": frozenset({"a"}),
}


def test_every_msgpack_type_round_trips_through_a_python_worker(address: str) -> None:
    with Client(address) as client:
        result = client.submit("echo", EVERY_TYPE).result(timeout=120)
    assert result == {"echo": EVERY_TYPE, "keys": len(EVERY_TYPE)}
    assert type(result["echo"]["tuple"]) is tuple and type(result["echo"]["frozenset"]) is frozenset


def test_nan_round_trips(address: str) -> None:
    with Client(address) as client:
        result = client.submit("echo", {"nan": float("nan")}).result(timeout=60)
    assert result["echo"]["nan"] != result["echo"]["nan"]


def test_push_many_then_watch_and_get(address: str) -> None:
    with Client(address) as client:
        ids = client.push_many("echo", [{"n": n} for n in range(50)], want_results=True)
        done = {e.task_id: e.result for e in client.watch("echo", ids, timeout_s=120) if e.kind == "succeeded"}
        assert done == {task_id: {"echo": {"n": n}, "keys": 1} for n, task_id in enumerate(ids)}
        assert client.get("echo", ids[7]).state == "succeeded"


def test_progress_and_failure(address: str) -> None:
    progress: list[tuple[float, str]] = []
    with Client(address) as client:
        client.submit("echo", {"progress": 3}, on_progress=lambda e: progress.append((e.progress, e.message))) \
            .result(timeout=60)
        with pytest.raises(TaskFailed) as failed:
            client.submit("echo", {"fail": "on purpose"}, max_attempts=1).result(timeout=60)
    assert [p for p, _ in progress] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert (failed.value.state, failed.value.error_type) == ("dead", "ValueError")
    assert "on purpose" in failed.value.message


def test_cancel_a_queued_and_a_running_task(address: str) -> None:
    with Client(address) as client:
        later = client.push("echo", {"n": 1}, delay_s=300, want_result=True)
        assert client.cancel("echo", later) == "cancelled"
        assert client.get("echo", later).state == "cancelled"
        running = client.submit("echo", {"sleep_s": 30})
        deadline = time.monotonic() + 60
        while not any(e.kind == "started" for e in running.events) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.cancel("echo", running.task_id) == "running"
        with pytest.raises(TaskFailed) as failed:
            running.result(timeout=30)
    assert failed.value.state == "cancelled"


def test_the_asyncio_client(address: str) -> None:
    import asyncio

    async def main() -> object:
        async with AsyncClient(address) as client:
            return await client.submit("echo", {"via": "asyncio"})

    assert asyncio.run(main()) == {"echo": {"via": "asyncio"}, "keys": 1}


def test_auth_failures(tmp_path: Path, redis_url: str) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({
        "producer-token": {"roles": ["produce"], "queues": ["echo"]},
        "other-token": {"roles": ["produce"], "queues": ["billing"]},
        "worker-token": {"roles": ["consume"], "queues": ["*"]},
    }))
    proc, addr = start_backend("--store", redis_url, "--tokens-file", str(tokens), "--workers", "1")
    try:
        for token, code in [(None, "UNAUTHENTICATED"), ("wrong", "UNAUTHENTICATED"), ("other-token", "PERMISSION_DENIED")]:
            with Client(addr, token=token) as client, pytest.raises(ClientError) as raised:
                client.push("echo", {"n": 1}, want_result=True)
            assert raised.value.code.name == code
        with Client(addr, token="producer-token") as client:
            assert client.submit("echo", {"ok": True}).result(timeout=60) == {"echo": {"ok": True}, "keys": 1}
    finally:
        stop_backend(proc)
