"""Celery 5 on its Redis transport."""

from benchmark.systems.base import System

SYSTEM = System(
    key="celery", label="Celery", driver="drive_celery", requirements=("celery[redis]==5.7.0",),
    summary="apply_async; solo pool (1 process), prefork (N); prefetch multiplier 100; no gossip/mingle/heartbeat",
)
