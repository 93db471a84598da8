"""Raw redis-py, the physical ceiling: RPUSH msgpack payloads, LPOP them in batches, nothing else.

Producer: one RPUSH per task, or one RPUSH of ``--batch`` values.  Worker: LPOP ``--batch``
values, unpack each, INCRBY the completion counter once per batch (BLPOP for one value
while the list is empty).  Latency: the task names a reply list; the worker RPUSHes to it
and the driver BLPOPs it.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

import msgpack
import redis

from benchmark.drivers import bench_common
from benchmark.drivers.bench_common import COUNTER_KEY, PACKAGE, ROUND_TRIP_TIMEOUT_S, Args, Driver, payload

LIST = "bench:raw"
REPLY = "bench:raw:reply"


class RawRedis(Driver):
    name = "redis-py"
    version = redis.__version__
    ready_key = LIST
    batch_form = "RPUSH of many values"
    completion = "the worker INCRBYs bench:done once per batch"

    def settings(self, scenario: str) -> dict[str, Any]:
        return {"serializer": "msgpack", "pop": f"LPOP count={self.args.batch}, BLPOP when empty",
                "redis-py": redis.__version__, "msgpack": ".".join(map(str, msgpack.version))}

    def push_one(self, i: int) -> None:
        self.redis.rpush(LIST, msgpack.packb(payload(i)))

    def push_batch(self, start: int, count: int) -> None:
        self.redis.rpush(LIST, *[msgpack.packb(payload(i)) for i in range(start, start + count)])

    def worker_commands(self, processes: int) -> list[list[str]]:
        argv = [sys.executable, "-m", f"{PACKAGE}.drive_redis_raw", "worker", "--redis", self.args.redis_url,
                "--batch", str(self.args.batch)]
        return [argv] * processes

    def round_trip(self, i: int) -> None:
        self.redis.rpush(LIST, msgpack.packb({**payload(i), "reply": REPLY}))
        if self.redis.blpop([REPLY], timeout=ROUND_TRIP_TIMEOUT_S) is None:
            raise TimeoutError(f"no reply within {ROUND_TRIP_TIMEOUT_S} s")


def work(args: Args) -> None:
    """The worker process: pop, unpack, count, until SIGTERM."""
    stopping = False

    def on_term(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    r = redis.Redis.from_url(args.redis_url)
    unpackb = msgpack.unpackb
    while not stopping:
        values: Any = r.lpop(LIST, args.batch)
        if not values:
            popped: Any = r.blpop([LIST], timeout=0.1)
            if popped is None:
                continue
            values = [popped[1]]
        for value in values:
            task = unpackb(value)
            if "reply" in task:
                r.rpush(task["reply"], b"1")
        r.incrby(COUNTER_KEY, len(values))


if __name__ == "__main__":
    parsed = bench_common.parse_args()
    if parsed.scenario == "worker":
        work(parsed)
    else:
        bench_common.main(RawRedis)
