from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gateway.conftest import address, direct, gateway_settings, url  # noqa: F401 - fixtures
from tests.servers import redis_server


@pytest.fixture(scope="module")
def own_redis() -> Iterator[str]:
    """A redis-server of this module's own: the tests change its configuration, kill its clients, add ACL users."""
    with redis_server() as started:
        yield started
