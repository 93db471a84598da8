"""Dramatiq on its Redis broker."""

from benchmark.systems.base import System

SYSTEM = System(
    key="dramatiq", label="Dramatiq", driver="drive_dramatiq", requirements=("dramatiq[redis]==2.2.1",),
    summary="actor.send; --processes P --threads 8; queue prefetch 1000; idle backoff capped at 1 ms",
)
