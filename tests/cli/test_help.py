"""--help names every flag's environment variable and default, --version answers, and serve on a busy port says so
in one line."""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
from pathlib import Path

import sergeant
from sergeant.cli import build_parser

ENV_FLAGS = {  # command -> flags an environment variable sets
    "serve": ["--listen", "--store", "--key-prefix", "--max-message-bytes", "--max-payload-bytes", "--max-batch",
              "--max-depth", "--result-ttl-s", "--heartbeat-timeout-s", "--tokens-file", "--tls-cert", "--tls-key"],
    "supervise": ["--store", "--gateway", "--key-prefix", "--token"],
    "queues": ["--address", "--token", "--tls-ca", "--tls"],
}


def subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found = {path: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= subcommands(sub, (*path, name))
    return found


def test_every_flag_of_every_command_has_help() -> None:
    for path, parser in subcommands(build_parser()).items():
        for action in parser._actions:
            if action.option_strings and action.help != argparse.SUPPRESS:
                assert action.help, f"sergeant {' '.join(path)} {action.option_strings[0]} has no help text"
                if action.default not in (None, False, argparse.SUPPRESS) and action.dest not in ("help", "version"):
                    assert "default" in action.help, f"sergeant {' '.join(path)} {action.option_strings[0]}: no default"


def test_help_shows_environment_variables_and_defaults() -> None:
    for command, flags in ENV_FLAGS.items():
        text = subprocess.run([sys.executable, "-m", "sergeant.cli", command, "--help"], capture_output=True,
                              text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "COLUMNS": "300"}).stdout
        entries = {m.group(1): " ".join(m.group(0).split()) for m in re.finditer(r"^  (--[\w-]+).*?(?=^  -|\Z)", text,
                                                                                  re.M | re.S)}
        for flag in flags:
            line = entries.get(flag, "")
            variable = "SERGEANT_GATEWAY_CA" if flag == "--tls-ca" else "SERGEANT_GATEWAY_TLS" if flag == "--tls" else \
                "SERGEANT_GATEWAY" if flag == "--address" else "SERGEANT_" + flag[2:].upper().replace("-", "_")
            assert f"env {variable}" in line and "default: " in line, f"{command} {flag}: {line!r}"
    serve = subprocess.run([sys.executable, "-m", "sergeant.cli", "serve", "--help"], capture_output=True, text=True,
                           timeout=60, env={"PATH": "/usr/bin:/bin", "COLUMNS": "300"}).stdout
    assert "default: sqlite:///sergeant.db" in serve and "default: 127.0.0.1:50051" in serve


def test_version() -> None:
    done = subprocess.run([sys.executable, "-m", "sergeant.cli", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"sergeant {sergeant.__version__}"


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sergeant.cli", "serve", "--listen", f"127.0.0.1:{port}",
                               "--store", f"sqlite:///{tmp_path}/store.db"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert re.fullmatch(rf"sergeant: serve: cannot listen on 127\.0\.0\.1:{port}: Address already in use; .*--listen.*",
                        lines[0]), lines[0]
