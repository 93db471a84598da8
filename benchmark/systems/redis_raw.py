"""Raw redis-py: RPUSH and LPOP of msgpack payloads, the physical ceiling of a Redis list queue."""

from benchmark.systems.base import System

SYSTEM = System(
    key="redis-py", label="redis-py RPUSH/LPOP (ceiling)", driver="drive_redis_raw", peer=False,
    summary="RPUSH per task / RPUSH of 1000; workers LPOP 1000 + msgpack unpack, no acks, no results",
)
