"""The Python client over several gateways: a list of addresses spreads the calls round robin (docs/scaling.md)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from sergeant.client import AsyncClient, Client
from sergeant.client.sync import channel_target
from tests.servers import free_port
from tests.worker.harness import gateway_thread

CALLS = 20


@contextlib.contextmanager
def _gateway(url: str) -> Iterator[tuple[str, str]]:
    """A gateway, and the address of its /metrics."""
    metrics = f"127.0.0.1:{free_port()}"
    with gateway_thread(url, metrics_listen=metrics) as address:
        yield address, metrics


def _pushes_served(metrics: str) -> int:
    """Push calls this gateway answered OK, from its own metrics."""
    with urllib.request.urlopen(f"http://{metrics}/metrics", timeout=10) as reply:
        text = reply.read().decode()
    served = re.findall(r'^sergeant_rpc_total\{(?=[^}]*code="OK")(?=[^}]*method="Producer.Push")[^}]*\} (\S+)$', text,
                        re.MULTILINE)
    return sum(int(float(n)) for n in served)


@pytest.mark.parametrize("kind", ["sync", "asyncio"])
def test_a_client_given_two_gateways_sends_calls_to_both(redis_url: str, kind: str) -> None:
    queue = f"rr-{uuid.uuid4().hex[:8]}"
    with _gateway(redis_url) as (first, first_metrics), _gateway(redis_url) as (second, second_metrics):
        if kind == "sync":
            with Client([first, second], linger_s=0) as client:
                for n in range(CALLS):
                    client.push(queue, {"n": n})
        else:
            async def push_all() -> None:
                client = AsyncClient([first, second], linger_s=0)
                try:
                    for n in range(CALLS):
                        await client.push(queue, {"n": n})
                finally:
                    await client.close()

            asyncio.run(push_all())
        served = _pushes_served(first_metrics), _pushes_served(second_metrics)
        assert sum(served) == CALLS
        assert min(served) > 0, f"every push went to one gateway: {served}"


def test_without_round_robin_a_list_still_reaches_one_gateway_only(redis_url: str) -> None:
    """The control: the same two addresses with round_robin=False (gRPC's pick_first) use the first that answers."""
    queue = f"pf-{uuid.uuid4().hex[:8]}"
    with _gateway(redis_url) as (first, first_metrics), _gateway(redis_url) as (second, second_metrics):
        with Client([first, second], linger_s=0, round_robin=False) as client:
            for n in range(CALLS):
                client.push(queue, {"n": n})
        assert sorted([_pushes_served(first_metrics), _pushes_served(second_metrics)]) == [0, CALLS]


def test_targets() -> None:
    assert channel_target("127.0.0.1:1", None) == ("127.0.0.1:1", False)
    assert channel_target("dns:///gateways.internal:50051", True) == ("dns:///gateways.internal:50051", True)
    assert channel_target(["127.0.0.1:1", "127.0.0.2:2"], None) == ("ipv4:127.0.0.1:1,127.0.0.2:2", True)
    assert channel_target(["[::1]:1", "[::1]:2"], None) == ("ipv6:[::1]:1,[::1]:2", True)
    for bad in (["gw1:1", "gw2:1"], ["127.0.0.1:1", "[::1]:1"], []):
        with pytest.raises(ValueError):
            channel_target(bad, None)
