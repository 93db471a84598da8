from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sergeant.store import open_store
from sergeant.store.base import Store
from tests.worker.harness import Events, Processes, gateway_thread


@pytest.fixture(params=["redis", "sqlite", "redis-cluster"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    if request.param == "redis-cluster":
        return str(request.getfixturevalue("redis_cluster_url"))
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def redis_store_url(redis_url: str) -> str:
    return redis_url


@pytest.fixture
def queue_name() -> str:
    return f"w-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def gateway(store_url: str) -> Iterator[str]:
    with gateway_thread(store_url) as address:
        yield address


@pytest.fixture
def events(tmp_path: Path) -> Events:
    return Events(tmp_path / "events.jsonl")


@pytest.fixture
def processes(store_url: str, gateway: str, queue_name: str, events: Events, tmp_path: Path) -> Iterator[Processes]:
    env = {**os.environ, "SERGEANT_STORE": store_url, "SERGEANT_GATEWAY": gateway,
           "SERGEANT_TEST_QUEUE": queue_name, "SERGEANT_TEST_EVENTS": str(events.path),
           "SERGEANT_TEST_CONFIG": "{}", "PYTHONUNBUFFERED": "1"}
    started = Processes(env, tmp_path)
    yield started
    started.stop_all()
