"""A submit whose result does not come in time says which task, on which queue, and what to check."""

from __future__ import annotations

import asyncio
import re

import grpc
import pytest

from sergeant.client import AsyncClient, Client, ClientError
from sergeant.store.base import Store


def test_a_timeout_names_the_task_and_asks_for_a_worker(address: str, direct: Store) -> None:
    with Client(address) as client:
        submission = client.submit("nobody-consumes", {"n": 1})
        with pytest.raises(TimeoutError) as waited:
            submission.result(timeout=0.5)
    message = str(waited.value)
    assert re.search(rf"task {submission.task_id} on queue 'nobody-consumes' has no result after 0\.5 s", message)
    assert "is a worker consuming queue 'nobody-consumes'" in message and "sergeant workers" in message


def test_a_submit_deadline_names_the_task_too_sync_and_asyncio(address: str, direct: Store) -> None:
    with Client(address) as client:
        submission = client.submit("nobody-consumes", {"n": 2}, timeout_s=0.5)
        with pytest.raises(ClientError) as failed:
            submission.result(timeout=30)
    assert failed.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert f"task {submission.task_id} on queue 'nobody-consumes'" in failed.value.details

    async def submit() -> None:
        async with AsyncClient(address) as client:
            await client.submit("nobody-consumes", {"n": 3}, timeout_s=0.5)

    with pytest.raises(ClientError) as failed:
        asyncio.run(submit())
    assert failed.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "on queue 'nobody-consumes' has no result after 0.5 s" in failed.value.details
    assert "is a worker consuming queue 'nobody-consumes'" in failed.value.details
