"""During a store outage the Python clients answer UNAVAILABLE, naming the store, inside the caller's deadline.

The clients retry UNAVAILABLE with backoff, but only while another attempt can finish before the deadline; then
they raise the last real error, never the DEADLINE_EXCEEDED that a retry cut short would end with."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest

from sergeant.client import AsyncClient, Client, ClientError
from tests.servers import free_port, mongo_server, redis_server
from tests.worker.harness import gateway_thread

DEADLINE_S = 3.0  # the caller's deadline, as the outside testers set it
# When an attempt that should have fitted is cut short by the deadline (a loaded machine makes attempts slower than
# the last one), the UNAVAILABLE before it is raised at the deadline, plus the time it takes a thread to wake.
LATE_S = 0.25
STORES: dict[str, tuple[Callable[[], contextlib.AbstractContextManager[str]], str]] = {
    "mongodb": (mongo_server, "MongoDB is unreachable"),
    "redis": (redis_server, "is unreachable"),
}


@pytest.fixture(params=sorted(STORES))
def store_down(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """A real gateway whose store has stopped (after one push went through): its address and what the gateway's
    message says of the store."""
    start, says = STORES[request.param]
    server = contextlib.ExitStack()  # its own stack: the server stops while the gateway runs
    url = server.enter_context(start())
    try:
        with gateway_thread(url) as address:
            with Client(address, timeout_s=DEADLINE_S) as client:
                client.push("outage", {"n": 0})
            server.close()
            yield address, says
    finally:
        server.close()


def _check(error: ClientError, took_s: float, says: str, deadline_s: float = DEADLINE_S) -> None:
    assert error.code is grpc.StatusCode.UNAVAILABLE, error  # not DEADLINE_EXCEEDED
    assert says in error.details, error
    assert took_s < deadline_s + LATE_S, f"the error came {took_s:.2f} s after the call; the deadline was {deadline_s} s"


def _unavailable_in_time(call: Callable[[], Any], says: str, deadline_s: float = DEADLINE_S) -> ClientError:
    started = time.monotonic()
    with pytest.raises(ClientError) as failed:
        call()
    _check(failed.value, time.monotonic() - started, says, deadline_s)
    return failed.value


def test_sync_push_during_an_outage_is_unavailable_before_the_deadline(store_down: tuple[str, str]) -> None:
    address, says = store_down
    with Client(address, timeout_s=DEADLINE_S) as client:
        error = _unavailable_in_time(lambda: client.push("outage", {"n": 1}, task_id="outage-1"), says)
        assert error.ids == ["outage-1"]  # what a later retry passes again, so nothing is stored twice
        _unavailable_in_time(lambda: client.push_many("outage", [{"n": 2}, {"n": 3}]), says)
        _unavailable_in_time(lambda: client.submit("outage", {"n": 4}, timeout_s=DEADLINE_S).result(), says)


def test_async_push_during_an_outage_is_unavailable_before_the_deadline(store_down: tuple[str, str]) -> None:
    address, says = store_down

    async def main() -> None:
        async with AsyncClient(address, timeout_s=DEADLINE_S) as client:
            for push in (lambda: client.push("outage", {"n": 1}),
                         lambda: client.push_many("outage", [{"n": 2}, {"n": 3}]),
                         lambda: client.submit("outage", {"n": 4}, timeout_s=DEADLINE_S)):
                started = time.monotonic()
                with pytest.raises(ClientError) as failed:
                    await push()
                _check(failed.value, time.monotonic() - started, says)

    asyncio.run(main())


def test_no_gateway_is_unavailable_before_a_short_deadline() -> None:
    """Nothing listens: every attempt fails at once, and the backoff between them stops short of the deadline."""
    address = f"127.0.0.1:{free_port()}"
    for _ in range(5):  # the backoff is random: give a sleep past the deadline a few chances to show
        with Client(address, timeout_s=0.3) as client:
            _unavailable_in_time(lambda: client.push("outage", {"n": 1}), "", 0.3)
