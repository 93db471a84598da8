from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sergeant.store import open_store
from sergeant.store.base import Store, StoreSettings
from tests.servers import mongo_server, redis_cluster, redis_server

BACKENDS = ["sqlite", "redis", "mongo", "redis-cluster"]


class FakeClock:
    """An injectable clock, so that lease-expiry and delay tests never sleep."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    url = os.environ.get("SERGEANT_TEST_REDIS_URL")
    if url:
        yield url
        return
    with redis_server() as started:
        yield started


@pytest.fixture(scope="session")
def redis_cluster_url() -> Iterator[str]:
    """A Redis Cluster of 3 masters and 3 replicas (``tests.servers.redis_cluster``), shared by the session."""
    url = os.environ.get("SERGEANT_TEST_REDIS_CLUSTER_URL")
    if url:
        yield url
        return
    with redis_cluster() as started:
        yield started.url


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    url = os.environ.get("SERGEANT_TEST_MONGO_URL")
    if url:
        yield url
        return
    with mongo_server() as started:
        yield started


def store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a store isolated from every other test (its own prefix, database or file)."""
    if backend == "redis":
        return str(request.getfixturevalue("redis_url"))
    if backend == "redis-cluster":
        return str(request.getfixturevalue("redis_cluster_url"))
    if backend == "mongo":
        base = str(request.getfixturevalue("mongo_url"))
        return base.replace("/?", f"/t{uuid.uuid4().hex[:12]}?")
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings() -> StoreSettings:
    return StoreSettings(key_prefix=f"t{uuid.uuid4().hex[:12]}")


@pytest.fixture
def make_store(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, settings: StoreSettings
) -> Iterator[object]:
    opened: list[Store] = []
    url = store_url(backend, request, tmp_path)

    def make(clock: FakeClock | None = None, **overrides: object) -> Store:
        import dataclasses

        s = open_store(url, dataclasses.replace(settings, **overrides), clock=clock)  # type: ignore[arg-type]
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def store(make_store, clock: FakeClock) -> Store:  # type: ignore[no-untyped-def]
    made: Store = make_store(clock)
    return made


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1 and localhost (openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key
