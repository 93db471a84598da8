"""Profile Sergeant's two hot paths with py-spy; write their top frames to benchmark/results/profile_*.txt.

1. Gateway batched push: a client process pushes batches of 1,000 (``Client.push_many``) for
   ``--seconds``; py-spy samples the gateway (``profile_gateway_push.txt``) and the client
   (``profile_client_push.txt``).
2. Worker consume: one worker process (``sergeant supervise ... --workers 1``, lease batch 1,000)
   drains a backlog; py-spy samples the worker (``profile_worker_consume.txt``) and the gateway
   settling its outcomes (``profile_gateway_consume.txt``).

Each file lists the frames with the most samples of their own (self) and the most samples
under them (inclusive), as percentages of the process's samples.  ``pip install py-spy`` is
done into this interpreter's environment when it is missing.

    python benchmark/profile_hot_path.py [--seconds 10] [--backlog 300000] [--out benchmark/results]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmark` is a package of the repository

from benchmark import redis_server, venvs
from benchmark.drivers.bench_common import payload
from benchmark.drivers.drive_sergeant import free_port, wait_serving
from sergeant.client import Client
from sergeant.encoder import Encoder
from sergeant.store import open_store
from sergeant.task import Task, new_task_id

QUEUE = "bench"
BATCH = 1_000
PY_SPY = "py-spy==0.4.3"
RATE_HZ = 250
TOP = 30
RESULTS = Path(__file__).resolve().parent / "results"


def py_spy() -> str:
    found = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if found:
        return found
    print(f"installing {PY_SPY} into {sys.prefix}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", PY_SPY], check=True, timeout=600)
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not found:
        raise SystemExit("py-spy was installed but is not on PATH")
    return found


def record(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate",
                             str(RATE_HZ), "--format", "raw", "--nonblocking", "--output", str(output)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# --- reading py-spy's collapsed stacks ----------------------------------------------------------------

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::\d+)?\)$")


def _short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", str(Path(__file__).resolve().parents[1]) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


def top_frames(raw: Path, title: str, context: str) -> str:
    self_counts: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if f]
        total += count
        self_counts[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    lines = [title, context, f"{total} samples at {RATE_HZ} Hz over all of the process's threads (py-spy drops the "
             "samples it sees as idle; a thread blocked in C, in a socket read, select or a lock wait, may still "
             "count)", ""]
    for heading, counter in (("self (own time)", self_counts), ("inclusive (time under it)", inclusive)):
        lines.append(f"top {TOP} frames by {heading}:")
        for frame, count in counter.most_common(TOP):
            lines.append(f"  {100 * count / max(total, 1):6.2f}%  {frame}")
        lines.append("")
    return "\n".join(lines)


# --- the processes -----------------------------------------------------------------------------------------


@contextmanager
def gateway(url: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "--log-level", "WARNING", "serve", "--listen",
                                address, "--store", url], start_new_session=True)
    try:
        wait_serving(address)
        yield address, process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def push_loop(address: str, seconds: float) -> None:
    """The client of the push profile (run as its own process): push_many batches until the time is up."""
    many = [payload(i) for i in range(BATCH)]
    pushed = 0
    with Client(address) as client:
        give_up = time.monotonic() + seconds
        while time.monotonic() < give_up:
            client.push_many(QUEUE, many)
            pushed += BATCH
    print(pushed)


def profile_push(url: str, seconds: float, out: Path, work: Path) -> None:
    with gateway(url) as (address, gateway_process):
        client = subprocess.Popen([sys.executable, __file__, "--push-loop", address, str(seconds + 2)],
                                  stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)  # past connection set-up
        spies = [record(gateway_process.pid, seconds, work / "gateway_push.raw"),
                 record(client.pid, seconds, work / "client_push.raw")]
        for spy in spies:
            spy.wait(seconds + 60)
        pushed = int((client.communicate(timeout=seconds + 60)[0] or "0").strip() or 0)
    context = f"Client.push_many of {BATCH} tasks in a loop for {seconds + 2:.0f} s: {pushed:,} tasks " \
              f"({pushed / (seconds + 2):,.0f}/s with py-spy attached)"
    (out / "profile_gateway_push.txt").write_text(
        top_frames(work / "gateway_push.raw", "Gateway (`sergeant serve`) during batched push", context) + "\n")
    (out / "profile_client_push.txt").write_text(
        top_frames(work / "client_push.raw", "Python client during batched push", context) + "\n")


def profile_consume(url: str, seconds: float, backlog: int, out: Path, work: Path) -> None:
    store = open_store(url)
    encoder = Encoder()
    store.pause(QUEUE)
    for start in range(0, backlog, BATCH):
        store.push([Task(id=new_task_id(), queue=QUEUE, kwargs=encoder.encode(payload(i)))
                    for i in range(start, min(start + BATCH, backlog))])
    with gateway(url) as (address, gateway_process):
        env = {**os.environ, "SERGEANT_STORE": url, "SERGEANT_GATEWAY": address, "BENCH_BATCH": str(BATCH),
               "PYTHONPATH": os.pathsep.join(p for p in (str(venvs.package_root()), os.environ.get("PYTHONPATH"))
                                             if p)}
        supervisor = subprocess.Popen([sys.executable, "-m", "sergeant.cli", "--log-level", "WARNING", "supervise",
                                       "benchmark.drivers.sergeant_workers:NoopWorker", "--workers", "1",
                                       "--report-interval-s", "0"], env=env, start_new_session=True)
        try:
            give_up = time.monotonic() + 120
            while not (workers := store.workers()):
                if time.monotonic() > give_up or supervisor.poll() is not None:
                    raise SystemExit("the worker did not connect to the gateway")
                time.sleep(0.1)
            store.resume(QUEUE)
            time.sleep(0.5)
            before = store.counts(QUEUE)
            started = time.monotonic()
            spies = [record(workers[0].pid, seconds, work / "worker_consume.raw"),
                     record(gateway_process.pid, seconds, work / "gateway_consume.raw")]
            for spy in spies:
                spy.wait(seconds + 60)
            after = store.counts(QUEUE)
            elapsed = time.monotonic() - started
        finally:
            _stop(supervisor)
    done = (before.ready + before.leased) - (after.ready + after.leased)
    context = f"one worker process, lease batch {BATCH}, backlog {backlog:,}: {done:,} tasks acked in " \
              f"{elapsed:.1f} s ({done / elapsed:,.0f}/s with py-spy attached)"
    (out / "profile_worker_consume.txt").write_text(
        top_frames(work / "worker_consume.raw", "Worker process during batched consume", context) + "\n")
    (out / "profile_gateway_consume.txt").write_text(
        top_frames(work / "gateway_consume.raw", "Gateway (`sergeant serve`) settling outcomes", context) + "\n")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each process is sampled")
    parser.add_argument("--backlog", type=int, default=300_000, help="tasks waiting for the consume profile")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--push-loop", nargs=2, metavar=("ADDRESS", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.push_loop:
        push_loop(args.push_loop[0], float(args.push_loop[1]))
        return
    py_spy()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sergeant-profile-"))
    with redis_server.redis_server() as url:
        profile_push(url, args.seconds, args.out, work)
        redis_server.flush(url)
        profile_consume(url, args.seconds, args.backlog, args.out, work)
    print("wrote " + ", ".join(str(args.out / f"profile_{name}.txt") for name in
                               ("gateway_push", "client_push", "worker_consume", "gateway_consume")))


if __name__ == "__main__":
    main()
