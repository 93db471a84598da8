"""The README's main command, `./dev demo`, run end to end: gateway, supervisor, producer, results streaming back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
