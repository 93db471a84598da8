from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from tests.conftest import store_url as isolated_store_url
from tests.worker.conftest import events, queue_name, store
from tests.worker.harness import Events, Processes

__all__ = ["events", "queue_name", "store"]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return isolated_store_url(str(request.param), request, tmp_path)


@pytest.fixture
def processes(store_url: str, queue_name: str, events: Events, tmp_path: Path) -> Iterator[Processes]:
    """Supervisors of tests.worker.workers:ScriptedWorker (the test names the gateway with --gateway)."""
    env = {**os.environ, "SERGEANT_STORE": store_url, "SERGEANT_TEST_QUEUE": queue_name,
           "SERGEANT_TEST_EVENTS": str(events.path), "SERGEANT_TEST_CONFIG": "{}", "PYTHONUNBUFFERED": "1"}
    started = Processes(env, tmp_path)
    yield started
    started.stop_all()
