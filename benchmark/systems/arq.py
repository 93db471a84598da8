"""arq (asyncio, Redis)."""

from benchmark.systems.base import System

SYSTEM = System(
    key="arq", label="arq", driver="drive_arq", requirements=("arq==0.28.0",),
    summary="enqueue_job / gather of 100; P worker processes; poll_delay 1 ms; max_jobs 10",
)
