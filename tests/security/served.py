"""A gateway as its own process (``sergeant serve``), as it runs in production: its RSS is its own, and the test's
client threads do not share its GIL."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.servers import free_port, wait_for_port

REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def served(store_url: str, *args: str, log: Path,
           env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "serve", "--listen", f"127.0.0.1:{port}",
                                    "--store", store_url, *args], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_port(port, 60)
        yield f"127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for pid {pid}")
