"""Real worker processes against a real gateway, with the fixtures of tests/worker."""

from tests.worker.conftest import events, gateway, processes, queue_name, store, store_url  # noqa: F401 - fixtures
