from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sergeant.service.config import GatewaySettings
from sergeant.store import open_store
from sergeant.store.base import Store, StoreSettings
from tests.conftest import store_url
from tests.gateway.harness import gateway


@pytest.fixture
def url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return store_url(backend, request, tmp_path)


@pytest.fixture
def gateway_settings(url: str, settings: StoreSettings) -> GatewaySettings:
    return GatewaySettings(store_url=url, key_prefix=settings.key_prefix, heartbeat_timeout_s=1.0, reclaim_interval_s=0.2,
                           max_batch=1000,
                           max_payload_bytes=64 << 10, max_message_bytes=4 << 20)


@pytest.fixture
def address(gateway_settings: GatewaySettings) -> Iterator[str]:
    with gateway(gateway_settings) as addr:
        yield addr


@pytest.fixture
def direct(url: str, settings: StoreSettings) -> Iterator[Store]:
    """The same store the gateway uses, opened directly: to check what was (not) written."""
    s = open_store(url, settings)
    yield s
    s.close()
