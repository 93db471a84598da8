"""The operator's CLI (sergeant queues, workers, pause, resume, dead-letters, task) and the Python Operations client,
against a live gateway on every store."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sergeant.cli import build_parser
from sergeant.client import AsyncOperations, Client, Operations
from sergeant.service.config import GatewaySettings, load_tokens
from sergeant.store.base import Failure, Store, StoreSettings
from sergeant.task import Task, TaskError
from tests.gateway.harness import ScriptedWorker, gateway


def sergeant(capsys: pytest.CaptureFixture[str], address: str, *argv: str) -> tuple[int, str, str]:
    """Run a command in this process (main() without its logging set-up, which would write to capsys' stream)."""
    args = build_parser().parse_args([*argv, "--address", address])
    code: int = args.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def bury(store: Store, queue: str, task_id: str, owner: str) -> None:
    """A dead letter: pushed with one attempt, leased, failed."""
    store.push([Task(id=task_id, queue=queue, kwargs=b"\x81\xa2to\xa5alice", max_attempts=1)])
    [task] = store.lease(queue, 1, 30, owner=owner)
    store.fail(queue, [Failure(task.id, task.lease_id, TaskError("ValueError", "bad address"), retry=False)])


def test_every_command_shows_a_table_and_json(address: str, direct: Store, capsys: pytest.CaptureFixture[str]) -> None:
    worker = ScriptedWorker(address, "emails", "ops-host/42/w")
    worker.receive("welcome")
    bury(direct, "emails", "doomed-1", "ops-host/42/w")
    client = Client(address)  # submit: its task keeps a state that `task get` reads (a plain push may not ask for one)
    queued = client.submit("emails", {"to": "bob"}).task_id

    code, out, _ = sergeant(capsys, address, "queues")
    assert code == 0
    header, row = out.splitlines()[:2]
    assert header.split() == ["QUEUE", "READY", "DELAYED", "LEASED", "DEAD", "STATE"]
    assert row.split() == ["emails", "1", "0", "0", "1"]

    code, out, _ = sergeant(capsys, address, "queues", "--json")
    assert code == 0 and json.loads(out) == [
        {"name": "emails", "ready": 1, "delayed": 0, "leased": 0, "dead": 1, "paused": False}]

    code, out, _ = sergeant(capsys, address, "workers")
    assert code == 0 and "ops-host/42/w" in out and "emails" in out and "threaded x1" in out
    code, out, _ = sergeant(capsys, address, "workers", "--json")
    [listed] = json.loads(out)
    assert (listed["worker_id"], listed["host"], listed["queue"]) == ("ops-host/42/w", "test", "emails")

    code, out, _ = sergeant(capsys, address, "pause", "emails")
    assert code == 0 and "paused" in out and direct.counts("emails").paused
    assert "paused" in sergeant(capsys, address, "queues")[1].splitlines()[1]
    code, out, _ = sergeant(capsys, address, "resume", "emails")
    assert code == 0 and not direct.counts("emails").paused

    code, out, _ = sergeant(capsys, address, "dead-letters", "list", "emails")
    assert code == 0 and "doomed-1" in out and "1/1" in out and "ValueError: bad address" in out and "alice" in out
    code, out, _ = sergeant(capsys, address, "dead-letters", "list", "emails", "--json")
    [letter] = json.loads(out)
    assert (letter["task_id"], letter["kwargs"], letter["error"][:2]) == ("doomed-1", {"to": "alice"},
                                                                           ["ValueError", "bad address"])
    code, out, _ = sergeant(capsys, address, "dead-letters", "replay", "emails", "doomed-1")
    assert code == 0 and "replayed 1" in out
    assert direct.counts("emails").dead == 0 and direct.counts("emails").ready == 2

    code, out, _ = sergeant(capsys, address, "task", "get", "emails", queued)
    assert code == 0 and "state:   pending" in out and queued in out
    code, out, _ = sergeant(capsys, address, "task", "get", "emails", queued, "--json")
    assert json.loads(out)["state"] == "pending"
    code, out, _ = sergeant(capsys, address, "task", "cancel", "emails", queued)
    assert code == 0 and "cancelled: it will never run" in out
    assert direct.get("emails", queued).state.value == "cancelled"
    client.close()

    bury(direct, "emails", "doomed-2", "ops-host/42/w")
    code, out, _ = sergeant(capsys, address, "dead-letters", "purge", "emails", "--json")
    assert code == 0 and json.loads(out) == {"purged": 1}
    assert direct.counts("emails").dead == 0
    worker.goodbye()


def test_errors_exit_non_zero_with_the_status(address: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = sergeant(capsys, address, "task", "get", "emails", "no-such-task")
    assert code == 1 and out == "" and err.startswith("sergeant: NOT_FOUND: ") and "no-such-task" in err
    code, _, err = sergeant(capsys, address, "pause", "bad queue!")
    assert code == 1 and "INVALID_ARGUMENT" in err


def test_a_real_process_with_the_environment_and_an_unreachable_gateway(address: str, direct: Store) -> None:
    env = {**os.environ, "SERGEANT_GATEWAY": address}
    bury(direct, "reports", "r-1", "someone/1/x")
    done = subprocess.run([sys.executable, "-m", "sergeant.cli", "dead-letters", "list", "reports", "--json"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [d["task_id"] for d in json.loads(done.stdout)] == ["r-1"]
    down = subprocess.run([sys.executable, "-m", "sergeant.cli", "queues", "--address", "127.0.0.1:1",
                           "--timeout-s", "3"], capture_output=True, text=True, timeout=60)
    assert down.returncode == 1 and "UNAVAILABLE" in down.stderr and "127.0.0.1:1" in down.stderr


def test_token_and_tls_flags(url: str, settings: StoreSettings, tmp_path: Path,
                             certificate: tuple[Path, Path]) -> None:
    """The same token and TLS settings as the clients: --token, --tls-ca (or SERGEANT_TOKEN, SERGEANT_GATEWAY_CA)."""
    cert, key = certificate
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"admin-token": {"name": "ops", "roles": ["admin"]},
                                  "producer-token": {"name": "api", "roles": ["produce"]}}))
    secured = GatewaySettings(store_url=url, key_prefix=settings.key_prefix, tokens=load_tokens(str(tokens)),
                              tls_cert=str(cert), tls_key=str(key))
    with gateway(secured) as address:
        def sergeant_cli(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "sergeant.cli", *argv, "--address", address],
                                  env={**os.environ, **env}, capture_output=True, text=True, timeout=60)

        allowed = sergeant_cli("queues", "--json", "--token", "admin-token", "--tls-ca", str(cert))
        assert allowed.returncode == 0 and json.loads(allowed.stdout) == [], allowed.stderr
        by_env = sergeant_cli("workers", SERGEANT_TOKEN="admin-token", SERGEANT_GATEWAY_CA=str(cert))
        assert by_env.returncode == 0 and "no workers connected" in by_env.stdout, by_env.stderr
        denied = sergeant_cli("pause", "emails", "--token", "producer-token", "--tls-ca", str(cert))
        assert denied.returncode == 1 and "PERMISSION_DENIED" in denied.stderr and "'api'" in denied.stderr
        anonymous = sergeant_cli("queues", "--tls-ca", str(cert))
        assert anonymous.returncode == 1 and "UNAUTHENTICATED" in anonymous.stderr
        plaintext = sergeant_cli("queues", "--token", "admin-token", "--timeout-s", "3")
        assert plaintext.returncode == 1 and "UNAVAILABLE" in plaintext.stderr


def test_python_operations_sync_and_asyncio(address: str, direct: Store) -> None:
    bury(direct, "billing", "b-1", "someone/1/x")
    with Operations(address) as ops:
        assert ops.version().protocol == "sergeant.v1"
        [billing] = [q for q in ops.queues() if q.name == "billing"]
        assert (billing.ready, billing.dead, billing.paused) == (0, 1, False)
        [letter] = ops.dead_letters("billing")
        assert (letter.task_id, letter.kwargs, letter.error) == ("b-1", {"to": "alice"}, ("ValueError", "bad address", ""))
        ops.pause("billing")
        assert direct.counts("billing").paused
        ops.resume("billing")
        assert ops.workers() == []

    async def replay_and_purge() -> tuple[int, int, int]:
        async with AsyncOperations(address) as aops:
            replayed = await aops.replay_dead_letters("billing")
            purged = await aops.purge("billing")
            return replayed, purged, len(await aops.dead_letters("billing"))

    assert asyncio.run(replay_and_purge()) == (1, 1, 0)
    assert direct.counts("billing").ready == 0
