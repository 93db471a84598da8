"""Huey with RedisHuey."""

from benchmark.systems.base import System

SYSTEM = System(
    key="huey", label="Huey", driver="drive_huey", requirements=("huey==3.5.4", "redis==8.1.0"),
    summary="task call; 1 thread (1 process), -k process (N); blocking dequeue; poll -d 0.001 -m 0.01",
)
