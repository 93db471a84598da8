"""The ingest flood of issue 11, item 6: many clients at once, each pushing batches of 10,000 tasks of about 1 KB
(about 10 MB a push, half of them in the repeated form, half packed) to a gateway that runs as its own process,
while its RSS is sampled and its health checked.

    python -m tests.security.flood [--clients 32] [--seconds 20] [--task-bytes 1000] [-- GATEWAY FLAGS...]

runs it against a fresh redis-server and a gateway at its defaults (plus the flags after ``--``) and prints the
figures as JSON. ``tests/security/test_memory_budget.py`` runs it as a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import grpc
import msgpack
import psutil
from grpc_health.v1 import health_pb2, health_pb2_grpc

from sergeant.store import open_store
from sergeant.store.base import StoreSettings
from sergeant.v1 import producer_pb2, task_pb2
from tests.security.served import REPO, served
from tests.servers import redis_server

TASKS = 10_000
MARK = b"MMMMMMMM"  # stands for the (client, push) in every task id of a batch template: 8 characters
FORMS = ("repeated", "packed")
PUSH = "/sergeant.v1.Producer/Push"


def _template(form: str, task_bytes: int) -> bytes:
    """A serialized PushRequest of TASKS tasks whose ids all hold MARK, to be replaced per push (ids stay unique)."""
    ids = [f"{MARK.decode()}-{i:05d}" for i in range(TASKS)]
    kwargs_map = {"i": 0, "s": "x" * task_bytes}
    if form == "repeated":
        kwargs = msgpack.packb(kwargs_map)
        request = producer_pb2.PushRequest(tasks=[task_pb2.Task(queue="flood-repeated", id=task_id, kwargs=kwargs)
                                                  for task_id in ids])
    else:
        records = msgpack.packb([[task_id, kwargs_map] for task_id in ids])
        request = producer_pb2.PushRequest(packed=producer_pb2.PackedTasks(version=1, queue="flood-packed",
                                                                           tasks=records))
    return request.SerializeToString()


@dataclasses.dataclass
class Figures:
    idle_rss: int = 0
    peak_rss: int = 0
    health: list[float] = dataclasses.field(default_factory=list)  # seconds per check
    health_failures: list[str] = dataclasses.field(default_factory=list)  # not SERVING, or no answer in time
    codes: Counter[str] = dataclasses.field(default_factory=Counter)
    details: Counter[str] = dataclasses.field(default_factory=Counter)  # the start of each error's message
    acknowledged: Counter[str] = dataclasses.field(default_factory=Counter)  # tasks acknowledged, per queue
    stored: dict[str, int] = dataclasses.field(default_factory=dict)  # ready tasks found afterwards, per queue

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.health) or [0.0]
        return {"idle_rss_mb": round(self.idle_rss / 2**20), "peak_rss_mb": round(self.peak_rss / 2**20),
                "health_checks": len(self.health), "health_max_s": round(ordered[-1], 3),
                "health_p99_s": round(ordered[int(len(ordered) * 0.99)], 3),
                "health_failures": self.health_failures[:5], "codes": dict(self.codes),
                "details": dict(self.details.most_common(5)), "acknowledged": dict(self.acknowledged),
                "stored": self.stored}


def push(address: str, *, clients: int, seconds: float, task_bytes: int = 1000) -> dict[str, Counter[str]]:
    """Push from ``clients`` threads (each on a connection of its own) for ``seconds``: how many pushes got each
    status code, the start of each error's message, and how many tasks each queue had acknowledged."""
    templates = {form: _template(form, task_bytes) for form in FORMS}
    tally: dict[str, Counter[str]] = {"codes": Counter(), "details": Counter(), "acknowledged": Counter()}
    lock = threading.Lock()
    stop = threading.Event()
    options = [("grpc.max_send_message_length", 64 << 20), ("grpc.use_local_subchannel_pool", 1)]

    def client(number: int) -> None:
        form = FORMS[number % 2]
        with grpc.insecure_channel(address, options=options) as channel:
            call = channel.unary_unary(PUSH, None, producer_pb2.PushResponse.FromString)
            for n in range(1_000_000):
                if stop.is_set():
                    return
                request = templates[form].replace(MARK, f"{number:02d}{n:06d}".encode())
                try:
                    reply = call(request, timeout=120)
                    code, pushed = "OK", reply.count or sum(t.created for t in reply.tasks)
                except grpc.RpcError as exc:
                    code, pushed = exc.code().name, 0
                    with lock:
                        tally["details"][f"{code}: {(exc.details() or '')[:100]}"] += 1
                with lock:
                    tally["codes"][code] += 1
                    tally["acknowledged"][f"flood-{form}"] += pushed
                if code != "OK":
                    stop.wait(0.05)  # a client told to back off does, a little

    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(clients)]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(150)
    return tally


def flood(address: str, pid: int, *, clients: int, seconds: float, task_bytes: int = 1000,
          health_timeout_s: float = 5.0) -> Figures:
    """Push from ``clients`` threads of another process for ``seconds`` (their GIL is not this one's, so that health
    checks time the gateway, not the pushers); sample the RSS of ``pid`` every 10 ms and check health every 100 ms
    meanwhile."""
    figures = Figures()
    process = psutil.Process(pid)
    figures.idle_rss = figures.peak_rss = process.memory_info().rss
    pushers = subprocess.Popen([sys.executable, "-m", "tests.security.flood", "--push", address, "--clients",
                                str(clients), "--seconds", str(seconds), "--task-bytes", str(task_bytes)], cwd=REPO,
                               stdout=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.01):
            figures.peak_rss = max(figures.peak_rss, process.memory_info().rss)

    def check_health() -> None:
        with grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while not stop.wait(0.1):
                started = time.monotonic()
                try:
                    status = health.Check(health_pb2.HealthCheckRequest(), timeout=health_timeout_s).status
                except grpc.RpcError as exc:
                    figures.health_failures.append(f"{exc.code().name} after {time.monotonic() - started:.2f} s")
                    continue
                figures.health.append(time.monotonic() - started)
                if status != health_pb2.HealthCheckResponse.SERVING:
                    figures.health_failures.append(f"status {status}")

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=check_health, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        out, _ = pushers.communicate(timeout=seconds + 180)
    finally:
        stop.set()
        pushers.kill()
    for thread in threads:
        thread.join(30)
    tally = json.loads(out)
    figures.codes, figures.details, figures.acknowledged = (Counter(tally[k]) for k in ("codes", "details",
                                                                                         "acknowledged"))
    return figures


def count_stored(figures: Figures, store_url: str, prefix: str) -> None:
    store = open_store(store_url, StoreSettings(key_prefix=prefix))
    try:
        figures.stored = {f"flood-{form}": store.counts(f"flood-{form}").ready for form in FORMS}
    finally:
        store.close()


def run(store_url: str, gateway_flags: list[str], *, clients: int, seconds: float, log: Path, task_bytes: int = 1000,
        env: dict[str, str] | None = None) -> Figures:
    prefix = f"f{uuid.uuid4().hex[:12]}"
    with served(store_url, "--key-prefix", prefix, *gateway_flags, log=log,
                env={**os.environ, "SERGEANT_LOG_LEVEL": "WARNING", **(env or {})}) as (address, process):
        figures = flood(address, process.pid, clients=clients, seconds=seconds, task_bytes=task_bytes)
    count_stored(figures, store_url, prefix)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--task-bytes", type=int, default=1000, help="kwargs per task (10,000 tasks a push)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--push", metavar="ADDRESS", help="only push to this gateway; print the tally as JSON")
    parser.add_argument("gateway_flags", nargs="*")
    args = parser.parse_args()
    if args.push:
        print(json.dumps(push(args.push, clients=args.clients, seconds=args.seconds, task_bytes=args.task_bytes)))
        return 0
    with redis_server() as url, tempfile.TemporaryDirectory() as tmp:
        figures = run(url, args.gateway_flags, clients=args.clients, seconds=args.seconds,
                      log=Path(tmp) / "gateway.log", task_bytes=args.task_bytes)
        print(json.dumps(figures.summary(), indent=1))
        print(*(Path(tmp) / "gateway.log").read_text().splitlines()[-5:], sep="\n", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
