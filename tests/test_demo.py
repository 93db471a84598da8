"""The README's main command, `./dev demo`, run end to end: gateway, supervisor, producer, results streaming back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sergeant.service.config import GatewaySettings
from tests.gateway.harness import gateway
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_streams_every_result_back() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("SERGEANT_STORE", None)  # the demo's own embedded SQLite store, whatever the suite runs against
    done = subprocess.run([sys.executable, "examples/demo.py", "--tasks", "200", "--port", str(free_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for n in range(3):  # each submit shows its progress, then its events ending in its result
        assert re.search(rf"task {n}: progress \d+%", out), out
        assert re.search(rf"task {n}: \[.*'accepted'.*'started'.*'succeeded'\] -> {{'echo': {{'n': {n}, 'text': 'hello {n}'",
                         out), out
    assert "200/200 results" in out, out
    assert "== stopped" in out


def test_the_demo_on_a_busy_port_says_so_at_once(tmp_path: Path) -> None:
    """Another gateway on the port would answer the demo's health probes and take its workers: fail instead."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with gateway(GatewaySettings(store_url=f"sqlite:///{tmp_path / 'other.db'}")) as address:
        port = address.rpartition(":")[2]
        started = time.monotonic()
        done = subprocess.run([sys.executable, "examples/demo.py", "--port", port], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        took_s = time.monotonic() - started
    assert done.returncode != 0
    assert f"port {port} is taken" in done.stderr, done.stdout + done.stderr
    assert took_s < 5, f"the demo took {took_s:.1f} s to give up"
