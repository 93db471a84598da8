"""The worker tests' fixtures (a real gateway, real worker processes), and a busy machine to run them on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.worker.conftest import events, gateway, processes, queue_name, store, store_url

__all__ = ["busy_cores", "events", "gateway", "processes", "queue_name", "store", "store_url"]


@pytest.fixture
def busy_cores() -> Iterator[int]:
    """One process spinning on each core for the test's length: the load under which killers were late."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]
    try:
        yield len(spinners)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
