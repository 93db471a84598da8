"""The quick start: a gateway and a supervisor on the embedded SQLite store, a producer, results streaming back.

    ./dev demo            (or: python examples/demo.py --tasks 200)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sergeant.client import Client, Event

ROOT = Path(__file__).resolve().parents[1]


def check_port_free(port: int) -> None:
    """A gateway already on the port would answer our probes and take our tasks: refuse to start instead."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the gateway: a closed port in TIME_WAIT is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            sys.exit(f"demo: port {port} is taken ({exc.strerror}); stop what listens there, or run the demo "
                     f"on another port: ./dev demo --port {port + 1}")


def last_line(log: Path) -> str:
    lines = log.read_text(errors="replace").strip().splitlines()
    return lines[-1] if lines else "(nothing logged)"


def wait_healthy(address: str, gateway: subprocess.Popen[bytes], log: Path, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if gateway.poll() is not None:
            sys.exit(f"demo: the gateway exited with {gateway.returncode}: {last_line(log)}")
        probe = subprocess.run(["sergeant", "health", "--address", address], capture_output=True, text=True)
        if probe.returncode == 0:
            return
        time.sleep(0.2)
    sys.exit(f"the gateway at {address} did not become healthy in {timeout_s} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=1000, help="tasks pushed in one batch after the submits")
    parser.add_argument("--port", type=int, default=50051)
    args = parser.parse_args()

    check_port_free(args.port)
    state = ROOT / ".demo"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir()
    address = f"127.0.0.1:{args.port}"
    env = {**os.environ, "SERGEANT_STORE": f"sqlite:///{state / 'sergeant.db'}", "SERGEANT_GATEWAY": address,
           "PYTHONPATH": str(ROOT)}
    print(f"== gateway on {address}, store {env['SERGEANT_STORE']}")
    gateway_log = (state / "gateway.log").open("wb")
    supervisor_log = (state / "supervisor.log").open("wb")
    gateway = subprocess.Popen(["sergeant", "serve", "--listen", address], env=env, cwd=ROOT, stderr=gateway_log)
    supervisor = None
    try:
        wait_healthy(address, gateway, state / "gateway.log")
        print("== supervisor: 2 worker processes of examples.echo_worker:EchoWorker")
        supervisor = subprocess.Popen(
            ["sergeant", "supervise", "examples.echo_worker:EchoWorker", "--workers", "2", "--max-memory", "512MB"],
            env=env, cwd=ROOT, stderr=supervisor_log)
        with Client(address) as client:
            print("== submit 3 tasks and stream their events")
            for n in range(3):
                def show(event: Event, n: int = n) -> None:
                    print(f"   task {n}: progress {event.progress:.0%} {event.message}")

                submission = client.submit("echo", {"n": n, "text": f"hello {n}", "progress": 2}, on_progress=show)
                result = submission.result(timeout=60)
                print(f"   task {n}: {[e.kind for e in submission.events]} -> {result}")
            print(f"== push {args.tasks} tasks in one batch and watch their results arrive")
            started = time.perf_counter()
            ids = client.push_many("echo", [{"n": i} for i in range(args.tasks)], want_results=True)
            pushed = time.perf_counter()
            done = 0
            for event in client.watch("echo", ids, timeout_s=300):
                if event.kind == "succeeded":
                    done += 1
                    if done % max(args.tasks // 5, 1) == 0 or done == len(ids):
                        print(f"   {done}/{len(ids)} results ({event.task_id}: {event.result})")
            finished = time.perf_counter()
            print(f"== pushed {len(ids)} in {pushed - started:.3f} s; all results back after {finished - started:.2f} s "
                  f"({len(ids) / (finished - started):,.0f} tasks/s end to end)")
            return 0 if done == len(ids) else 1
    finally:
        for process in (supervisor, gateway):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
        gateway_log.close()
        supervisor_log.close()
        print(f"== stopped; logs in {state}")


if __name__ == "__main__":
    sys.exit(main())
