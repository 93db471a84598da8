"""A MongoDB-protocol outage fails fast: calls answer StoreUnavailable (gRPC UNAVAILABLE) well inside a client's
deadline, instead of waiting for server selection until the client gives up (DEADLINE_EXCEEDED)."""

from __future__ import annotations

import time

import pytest

from sergeant.errors import StoreUnavailable
from sergeant.store import open_store
from sergeant.task import Task, new_task_id
from tests.servers import mongo_server

FAIL_FAST_S = 2.5  # serverSelectionTimeoutMS is 1 s; the rest absorbs a loaded machine


def test_a_push_during_an_outage_fails_fast_and_ping_notices() -> None:
    with mongo_server() as url:
        store = open_store(url)
        store.ping()
    try:  # the server is gone now
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.push([Task(id=new_task_id(), queue="outage", kwargs=b"\x80", created_at=time.time())])
        assert time.monotonic() - started < FAIL_FAST_S
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.ping()  # what health reports NOT_SERVING from
        assert time.monotonic() - started < FAIL_FAST_S
    finally:
        store.close()


def test_a_url_keeps_its_own_timeouts() -> None:
    with mongo_server() as url:
        store = open_store(f"{url}&serverSelectionTimeoutMS=4000")
        try:
            options = store._client.options  # type: ignore[attr-defined]
            assert options.server_selection_timeout == 4.0
            assert options.pool_options.connect_timeout == 1.0
        finally:
            store.close()
