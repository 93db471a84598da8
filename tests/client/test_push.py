"""The Python client's pushes: push_many in the packed form, caller ids and safe retries, and single pushes from many
threads or coroutines coalesced into shared Pushes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.client import AsyncClient, Client, ClientError
from sergeant.service.config import GatewaySettings
from sergeant.store import open_store
from sergeant.store.base import Store
from sergeant.task import Priority, TaskState, new_task_id
from tests.gateway.harness import gateway


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def address(url: str) -> Iterator[str]:
    with gateway(GatewaySettings(store_url=url, max_batch=500)) as addr:
        yield addr


@pytest.fixture
def direct(url: str) -> Iterator[Store]:
    store = open_store(url)
    yield store
    store.close()


def kwargs_of(store: Store, queue: str, task_id: str) -> Any:
    info = store.get(queue, task_id)
    assert info.task is not None
    return msgpack.unpackb(info.task.kwargs)


class CountingSends:
    """Wraps a client's real send to count Pushes and their sizes; ``hold`` keeps the first send from returning,
    so that other pushes find one in flight."""

    def __init__(self, client: Client, hold: threading.Event | None = None) -> None:
        self.sizes: list[int] = []
        self._real, self._hold = client._coalescer._send, hold
        client._coalescer._send = self

    def __call__(self, queue: str, want: bool, ids: list[str], records: list[bytes]) -> list[str]:
        self.sizes.append(len(ids))
        answer = self._real(queue, want, ids, records)
        if self._hold is not None and len(self.sizes) == 1:
            assert self._hold.wait(30)
        return answer


def waiting(client: Client, queue: str) -> int:
    """Pushes waiting in the open group of a queue."""
    group = client._coalescer._open.get((queue, False))
    return 0 if group is None else len(group.ids)


def test_push_many_splits_keeps_order_and_answers_earlier_ids(address: str, direct: Store) -> None:
    many = [{"i": i} for i in range(1_234)]
    with Client(address, batch_size=100, in_flight=4) as client:
        ids = client.push_many("q", many, priority="high", max_attempts=2, trace_id="t-1")
        assert len(set(ids)) == 1_234
        leased = direct.lease("q", 2_000, 60, owner="w")
        assert sorted(t.id for t in leased) == sorted(ids)
        assert {(t.priority, t.max_attempts, t.trace_id) for t in leased} == {(Priority.HIGH, 2, "t-1")}
        batches: dict[int, list[int]] = {}  # several Pushes in flight: each batch in order, batches in any order
        for t in leased:
            i = msgpack.unpackb(t.kwargs)["i"]
            batches.setdefault(i // 100, []).append(i)
        assert all(batch == sorted(batch) for batch in batches.values())
    with Client(address, batch_size=100, in_flight=1) as client:
        ids = client.push_many("fifo", many)
        assert [t.id for t in direct.lease("fifo", 2_000, 60, owner="w")] == ids
        first = client.push("q", {"n": 1}, idempotency_key="order-9")
        again = client.push_many("q", [{"n": 2}, {"n": 3}], idempotency_key="order-9")
    assert again == [first, first]


def test_a_retry_with_the_same_ids_stores_nothing_twice(address: str, direct: Store) -> None:
    """Issue 13, item 7: the answer to a push was lost (UNAVAILABLE, a deadline); the retry reuses the ids."""
    many = [{"i": i} for i in range(700)]
    ids = [f"order-{i}" for i in range(700)]
    with Client(address, batch_size=250) as client:
        assert client.push_many("q", many[:300], ids=ids[:300]) == ids[:300]  # stored; the caller never heard
        assert client.push_many("q", many, ids=ids) == ids  # the retry of the whole input
    assert direct.counts("q").ready == 700
    assert kwargs_of(direct, "q", "order-299") == {"i": 299}


def test_a_failed_push_many_carries_its_ids_for_the_retry(url: str, direct: Store) -> None:
    with gateway(GatewaySettings(store_url=url)) as first:
        pass  # the gateway is gone: its port refuses
    many = [{"i": i} for i in range(10)]
    with Client(first, timeout_s=5) as client, pytest.raises(ClientError) as raised:
        client.push_many("q", many)
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
    assert len(raised.value.ids) == 10
    with gateway(GatewaySettings(store_url=url)) as second, Client(second) as client:
        assert client.push_many("q", many, ids=raised.value.ids) == raised.value.ids
        assert client.push_many("q", many, ids=raised.value.ids) == raised.value.ids
    assert direct.counts("q").ready == 10


def test_a_refused_batch_names_every_id(address: str) -> None:
    with Client(address) as client, pytest.raises(ClientError) as raised:
        client.push_many("q", [{"i": 1}, {"i": 2}], ids=["ok-1", "ok-2"], trace_id="t" * 300)
    assert raised.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.ids == ["ok-1", "ok-2"]


def test_a_lone_push_is_sent_at_once(address: str) -> None:
    with Client(address, linger_s=5.0) as client:
        client.push("q", {"warm": 1})
        started = time.monotonic()
        client.push("q", {"n": 1})
        assert time.monotonic() - started < 2.0, "a push with nothing in flight must not linger"


def test_pushes_from_many_threads_share_pushes(address: str, direct: Store) -> None:
    hold = threading.Event()
    with Client(address, linger_s=1.0) as client:
        sends = CountingSends(client, hold)
        answers: dict[int, str] = {}
        first = threading.Thread(target=lambda: answers.update({-1: client.push("q", {"n": -1})}))
        first.start()
        while not sends.sizes:
            time.sleep(0.001)  # the first push is in flight, held

        def push(n: int) -> None:
            answers[n] = client.push("q", {"n": n})

        threads = [threading.Thread(target=push, args=(n,)) for n in range(32)]
        for t in threads:
            t.start()
        hold.set()
        for t in [first, *threads]:
            t.join(60)
    assert len(answers) == 33 and len(set(answers.values())) == 33
    assert sum(sends.sizes) == 33 and len(sends.sizes) < 33 and max(sends.sizes) > 1
    assert all(kwargs_of(direct, "q", task_id) == {"n": n} for n, task_id in answers.items())


def test_linger_zero_sends_every_push_alone(address: str) -> None:
    with Client(address, linger_s=0) as client:
        sends = CountingSends(client)
        threads = [threading.Thread(target=client.push, args=("q", {"n": n})) for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sends.sizes == [1] * 16


def test_a_bad_push_in_a_shared_batch_fails_alone(address: str, direct: Store) -> None:
    hold = threading.Event()
    outcomes: dict[str, object] = {}
    with Client(address, linger_s=10.0) as client:  # the group closes once the held push returns
        sends = CountingSends(client, hold)
        first = threading.Thread(target=client.push, args=("q", {"n": 0}))
        first.start()
        while not sends.sizes:
            time.sleep(0.001)

        def push(name: str, **options: Any) -> None:
            try:
                outcomes[name] = client.push("q", {"name": name}, task_id=name, **options)
            except ClientError as exc:
                outcomes[name] = exc

        threads = [threading.Thread(target=push, args=(f"good-{n}",)) for n in range(4)]
        threads.append(threading.Thread(target=push, args=("bad",), kwargs={"idempotency_key": "k" * 300}))
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while waiting(client, "q") < 5 and time.monotonic() < deadline:
            time.sleep(0.001)
        hold.set()
        for t in [first, *threads]:
            t.join(60)
    bad = outcomes.pop("bad")
    assert isinstance(bad, ClientError) and bad.code == grpc.StatusCode.INVALID_ARGUMENT and bad.ids == ["bad"]
    assert outcomes == {f"good-{n}": f"good-{n}" for n in range(4)}
    assert direct.get("q", "good-3").state == TaskState.PENDING


def test_asyncio_pushes_coalesce_and_push_many_stores_all(address: str, direct: Store) -> None:
    async def main() -> tuple[list[str], list[str], list[int]]:
        async with AsyncClient(address, batch_size=64, in_flight=2) as client:
            sizes: list[int] = []
            real = client._coalescer._send

            async def counting(queue: str, want: bool, ids: list[str], records: list[bytes]) -> list[str]:
                sizes.append(len(ids))
                return await real(queue, want, ids, records)

            client._coalescer._send = counting
            singles = await asyncio.gather(*(client.push("singles", {"n": n}) for n in range(200)))
            many = await client.push_many("many", [{"i": i} for i in range(300)], ids=[new_task_id() for _ in range(300)])
            return list(singles), many, sizes

    singles, many, sizes = asyncio.run(main())
    assert len(set(singles)) == 200 and direct.counts("singles").ready == 200
    assert sum(sizes) == 200 and len(sizes) < 200, "concurrent coroutines share Pushes"
    assert sorted(t.id for t in direct.lease("many", 500, 60, owner="w")) == sorted(many)


def test_a_cancelled_leader_leaves_its_group_answered(address: str, direct: Store) -> None:
    """The coroutine that leads a group is cancelled while it lingers: the others of its group still get stored."""

    async def main() -> str:
        async with AsyncClient(address, linger_s=30.0) as client:
            release = asyncio.Event()
            real = client._coalescer._send

            async def held(queue: str, want: bool, ids: list[str], records: list[bytes]) -> list[str]:
                answer = await real(queue, want, ids, records)
                if ids == ["held"]:
                    await release.wait()
                return answer

            client._coalescer._send = held
            first = asyncio.ensure_future(client.push("q", {}, task_id="held"))
            while not client._coalescer._in_flight:
                await asyncio.sleep(0.001)
            leader = asyncio.ensure_future(client.push("q", {}, task_id="leader"))
            follower = asyncio.ensure_future(client.push("q", {}, task_id="follower"))
            while waiting(client, "q") < 2:  # type: ignore[arg-type]
                await asyncio.sleep(0.001)
            leader.cancel()
            answer = await asyncio.wait_for(follower, 30)
            release.set()
            await first
            with pytest.raises(asyncio.CancelledError):
                await leader
            return answer

    assert asyncio.run(main()) == "follower"
    assert direct.get("q", "follower").state == TaskState.PENDING
