"""How big a run is: the full run (the issue's numbers) and ``--quick``."""

from __future__ import annotations

import dataclasses
import os
from typing import Any


@dataclasses.dataclass(frozen=True)
class RunSettings:
    quick: bool
    n: int  # tasks per produce and consume figure
    latency_n: int  # sequential round trips
    batch: int  # tasks per batch push, and Sergeant's (and the original's) lease batch
    produce_cap_s: float  # a produce figure stops after this long
    prefill_cap_s: float  # filling a consume backlog stops after this long
    consume_cap_s: float  # a consume figure stops after this long
    latency_cap_s: float  # the latency figure stops after this long
    processes_many: int  # the "as many processes as cores" figure
    startup_timeout_s: float  # workers that have not finished their warm-up tasks by then are an error

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def full() -> RunSettings:
    return RunSettings(quick=False, n=100_000, latency_n=2_000, batch=1_000, produce_cap_s=20.0, prefill_cap_s=15.0,
                       consume_cap_s=30.0, latency_cap_s=30.0, processes_many=cores(), startup_timeout_s=120.0)


def quick() -> RunSettings:
    return RunSettings(quick=True, n=2_000, latency_n=200, batch=1_000, produce_cap_s=2.0, prefill_cap_s=2.0,
                       consume_cap_s=3.0, latency_cap_s=5.0, processes_many=cores(), startup_timeout_s=60.0)
