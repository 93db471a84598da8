"""Item 6: 32 clients pushing 10,000-task batches of about 10 MB at once (both wire forms) to a gateway at its
defaults. Its RSS stays under the memory budget; every push is stored whole or refused with RESOURCE_EXHAUSTED; health
answers SERVING within a second throughout. (Before the budget: 1.1-1.2 GB, and health up to 2.4 s.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from sergeant.service.config import GatewaySettings
from tests.security import flood

BUDGET = 512 << 20  # the default --memory-budget


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_push_flood_stays_under_the_memory_budget(own_redis: str, tmp_path: Path) -> None:
    figures = flood.run(own_redis, [], clients=32, seconds=20, log=tmp_path / "gateway.log")
    summary = figures.summary()
    assert set(figures.codes) <= {"OK", "RESOURCE_EXHAUSTED"}, summary
    assert figures.codes["OK"] and figures.codes["RESOURCE_EXHAUSTED"], f"the flood did not saturate: {summary}"
    assert figures.stored == dict(figures.acknowledged), f"stored tasks differ from acknowledged ones: {summary}"
    assert not figures.health_failures, summary
    assert max(figures.health) < 1.0, f"a health check took {max(figures.health):.2f} s: {summary}"
    assert figures.peak_rss < BUDGET, f"the gateway grew to {figures.peak_rss >> 20} MiB: {summary}"
    assert GatewaySettings().memory_budget == BUDGET
