"""Every system the benchmark knows, in table order: Sergeant's rows, the ceiling, then the peers."""

from __future__ import annotations

from benchmark.systems import arq, celery, dramatiq, huey, original_sergeant, redis_raw, rq, sergeant
from benchmark.systems.base import System

ALL: tuple[System, ...] = (
    sergeant.GATEWAY,
    sergeant.WORKER_API,
    sergeant.WITH_RESULTS,
    redis_raw.SYSTEM,
    original_sergeant.SYSTEM,
    celery.SYSTEM,
    dramatiq.SYSTEM,
    rq.SYSTEM,
    huey.SYSTEM,
    arq.SYSTEM,
)
BY_KEY = {system.key: system for system in ALL}
OWN = tuple(system for system in ALL if not system.peer)  # --sergeant-only: no venv, no install

__all__ = ["ALL", "BY_KEY", "OWN", "System"]
