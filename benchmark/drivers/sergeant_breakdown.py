"""Where Sergeant's time goes: each stage of the hot paths timed alone, in microseconds per task.

Produce (batches of ``--batch``): building the packed request as ``push_many`` does (ids,
records, one msgpack pack), serializing it, the whole ``Client.push_many`` round trip through
the gateway, the store's push of a batch the gateway checked (its check included), and one raw
RPUSH of as many values (the ceiling).

Consume (batches of ``--batch``): the store's lease + ack of a batch, decoding each leased
envelope into a ``ReceivedTask``, and building + serializing the outcome messages.  The
harness sets these against the measured worker consume rate: the rest is the worker
runtime (executor, hooks, timers, gateway session) and the gateway's settling.

One task: the gateway's unary Push round trip, the store's push, and lease + ack of one task.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any, Protocol, cast

from benchmark.drivers.bench_common import QUEUE, Args, Driver, Emit, payload, percentiles_ms, progress
from sergeant.client import Client
from sergeant.client.common import packed_request
from sergeant.packed import DEFAULT, check_batch, pack_batch
from sergeant.store.base import PackedBatch, Settlement, Store
from sergeant.task import Task, new_task_id
from sergeant.v1 import producer_pb2
from sergeant.worker import Worker
from sergeant.worker.gateway_session import GatewaySession
from sergeant.worker.received_task import ReceivedTask


class _SergeantParts(Protocol):
    """What the breakdown uses of drive_sergeant.SergeantDriver (run as __main__, so not importable by name)."""

    store: Store
    client: Client
    worker: Worker


def _per_task_us(run: Callable[[int], int], n: int, cap_s: float) -> dict[str, Any]:
    """Call ``run(done)`` (returns how many tasks it covered) until n tasks or cap_s; µs per task.

    One untimed call first: connections, caches and scripts are warm when the clock runs."""
    run(0)
    done, spent = 0, 0.0
    while done < n and spent < cap_s:
        started = time.perf_counter()
        covered = run(done)
        spent += time.perf_counter() - started
        if covered == 0:  # nothing left to lease
            break
        done += covered
        progress(done, n)
    return {"us_per_task": round(spent / max(done, 1) * 1e6, 3), "tasks": done}


def _samples_ms(call: Callable[[int], object], count: int) -> dict[str, float]:
    samples = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - started)
    return percentiles_ms(samples)


def breakdown(driver: Driver, args: Args, emit: Emit) -> None:
    sergeant_driver = cast(_SergeantParts, driver)
    store, client, batch, n, cap = sergeant_driver.store, sergeant_driver.client, args.batch, args.n, args.cap_s
    many = [payload(i) for i in range(batch)]
    encoded = [sergeant_driver.worker.config.encoder.encode(kw) for kw in many]
    raw_values = [kwargs + b"x" * 40 for kwargs in encoded]  # about an envelope's size

    def fresh_envelopes() -> list[Task]:
        return [Task(id=new_task_id(), queue=QUEUE, kwargs=kwargs) for kwargs in encoded]

    def lease_settle(done: int) -> int:
        leased = store.lease(QUEUE, batch, 60.0, owner="bench-breakdown")
        if leased:
            store.settle(QUEUE, [Settlement(leased[0].lease_id)])
        return len(leased)

    def packed_request_of(done: int) -> producer_pb2.PushRequest:  # what push_many builds: ids, records, one pack
        records = DEFAULT.records(new_task_id.many(len(many)), many)
        return packed_request(QUEUE, pack_batch(records), False)

    def checked_batch() -> PackedBatch:  # what the gateway hands the store, checked
        return check_batch(QUEUE, packed_request_of(0).packed.tasks, want_results=False, max_batch=batch,
                           max_payload_bytes=1 << 20, default_max_attempts=5, now=time.time())

    produce = {
        "client_build_request": _per_task_us(lambda d: (packed_request_of(d), batch)[1], n, cap),
        "client_serialize_request": _per_task_us(lambda d: (packed_request_of(d).SerializeToString(), batch)[1],
                                                 n, cap),
        "gateway_push_many_total": _per_task_us(lambda d: (client.push_many(QUEUE, many), batch)[1], n, cap),
        "store_push_prebuilt": _per_task_us(lambda d: (store.push_packed(checked_batch()), batch)[1], n, cap),
        "redis_rpush_ceiling": _per_task_us(lambda d: (driver.redis.rpush("bench:ceiling", *raw_values), batch)[1],
                                            n, cap),
    }
    store.purge(QUEUE)
    pushed = 0
    while pushed < n + 2 * batch:  # a backlog for the sample below, lease + ack and its untimed first batch
        store.push(fresh_envelopes())
        pushed += batch
    leased_sample = store.lease(QUEUE, batch, 60.0, owner="bench-breakdown")
    consume = {
        "store_lease_decode_and_settle": _per_task_us(lease_settle, n, cap),
        "received_task": _per_task_us(
            lambda d: (([ReceivedTask.from_envelope(t) for t in leased_sample]), batch)[1], n, cap),
    }
    store.purge(QUEUE)
    count = min(args.latency_n, 500)

    def lease_settle_one(i: int) -> None:
        store.push([Task(id=new_task_id(), queue=QUEUE, kwargs=encoded[0])])
        [task] = store.lease(QUEUE, 1, 60.0, owner="bench-breakdown")
        store.settle(QUEUE, [Settlement(task.lease_id)])

    one = {"store_push_lease_settle_one": _samples_ms(lease_settle_one, count)}
    one |= {
        "gateway_push_one_rtt": _samples_ms(lambda i: client.push(QUEUE, payload(i)), count),
        "store_push_one": _samples_ms(lambda i: store.push([Task(id=new_task_id(), queue=QUEUE,
                                                                    kwargs=encoded[0])]), count),
    }
    flush_s = inspect.signature(GatewaySession.__init__).parameters["flush_interval_s"].default
    emit("breakdown", {"batch": batch, "produce_us_per_task": produce, "consume_us_per_task": consume, "one_task_ms": one,
            "worker_outcome_flush_interval_ms": flush_s * 1000})
