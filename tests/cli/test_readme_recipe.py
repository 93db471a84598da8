"""The README's "Your own worker" recipe, command by command as written, in a fresh directory."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.servers import free_port

README = Path(__file__).resolve().parents[2] / "README.md"
DOCUMENTED_ADDRESS = "127.0.0.1:50051"


def recipe() -> tuple[str, list[str]]:
    """The heredoc that writes the worker module, and the commands after it."""
    section = README.read_text().split("## Your own worker", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the README's own-worker section has no sh block"
    heredoc, _, rest = block.group(1).partition("\nEOF\n")
    return heredoc + "\nEOF\n", [line for line in rest.splitlines() if line.strip()]


def run(command: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def wait_until(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    give_up = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < give_up, f"timed out after {timeout_s} s waiting for {what}"
        time.sleep(0.2)


def test_the_own_worker_recipe_works_as_written(tmp_path: Path) -> None:
    heredoc, commands = recipe()
    assert [c.split()[0] for c in commands] == ["sergeant", "sergeant", "python3", "grpcurl", "sergeant", "sergeant",
                                                "sergeant"], commands
    address = f"127.0.0.1:{free_port()}"  # the documented port may be taken on a shared machine
    commands = [c.replace(DOCUMENTED_ADDRESS, address) for c in commands]
    bin_dir = Path(sys.executable).parent  # what `source .venv/bin/activate` puts first on PATH
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERGEANT_") and k != "PYTHONPATH"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"

    subprocess.run(["bash", "-c", heredoc], cwd=tmp_path, env=env, check=True, timeout=30)
    serve, supervise, python, grpcurl, get, queues, workers = commands
    assert serve.startswith("sergeant serve --store sqlite:///sergeant.db")
    assert supervise.startswith("sergeant supervise greeter:Greeter --store sqlite:///sergeant.db --gateway")
    background: list[subprocess.Popen[bytes]] = []
    try:
        for command, log in ((serve, "serve.log"), (supervise, "supervise.log")):
            with (tmp_path / log).open("wb") as out:
                background.append(subprocess.Popen(shlex.split(command), cwd=tmp_path, env=env, stdout=out,
                                                   stderr=subprocess.STDOUT, start_new_session=True))
            if command is serve:  # as a person would: the next terminal once the gateway is up
                wait_until(lambda: subprocess.run(["sergeant", "health", "--address", address], env=env,
                                                  capture_output=True).returncode == 0, 60, "the gateway")

        assert run(python, tmp_path, env).strip() == "{'greeting': 'hello ana'}"
        env["SERGEANT_GATEWAY"] = address  # the operator's commands default to the documented address: the one we moved
        assert json.loads(run(grpcurl, tmp_path, env))["tasks"] == [{"id": "hello-bob", "created": True}]
        wait_until(lambda: "succeeded" in run(get, tmp_path, env), 60, "hello-bob to succeed")
        assert '{"greeting": "hello bob"}' in run(get, tmp_path, env)
        assert re.search(r"^greet\s+0\s+0\s+0\s+0", run(queues, tmp_path, env), re.M)
        assert len(re.findall(r"\sgreet\s", run(workers, tmp_path, env))) == 2
    finally:
        for process in reversed(background):
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    assert (tmp_path / "sergeant.db").exists(), "the gateway and the workers share sergeant.db in this directory"
    logs = (tmp_path / "supervise.log").read_text()
    assert "FAILED_PRECONDITION" not in logs and "supervisor.stopped" in logs
