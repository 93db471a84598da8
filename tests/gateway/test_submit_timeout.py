"""A submit whose result does not come in time says which task, on which queue, and what to check."""

from __future__ import annotations

import re

import pytest

from sergeant.client import Client
from sergeant.store.base import Store


def test_a_timeout_names_the_task_and_asks_for_a_worker(address: str, direct: Store) -> None:
    with Client(address) as client:
        submission = client.submit("nobody-consumes", {"n": 1})
        with pytest.raises(TimeoutError) as waited:
            submission.result(timeout=0.5)
    message = str(waited.value)
    assert re.search(rf"task {submission.task_id} on queue 'nobody-consumes' has no result after 0\.5 s", message)
    assert "is a worker consuming queue 'nobody-consumes'" in message and "sergeant workers" in message
