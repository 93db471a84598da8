"""The operator's CLI and the first-hour commands run against the gateway fixtures of tests/gateway."""

from tests.gateway.conftest import address, direct, gateway_settings, url

__all__ = ["address", "direct", "gateway_settings", "url"]
