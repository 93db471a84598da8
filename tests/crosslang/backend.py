"""A live backend for the cross-language client tests: redis-server, a gateway and an echo worker.

    python tests/crosslang/backend.py [--store URL] [--tokens-file F] [--down redis|mongodb]

prints ``READY <gateway address>`` once everything serves, then runs until SIGTERM/SIGINT.
``--down STORE`` starts that store (a redis-server, or SecantusDB for mongodb), stops it once the gateway serves,
and runs no worker: a gateway whose store is down, for the clients' outage tests.
The echo worker (queue ``echo``) returns ``{"echo": kwargs, "keys": <number of keys>}``; with ``progress: n`` in the
kwargs it reports n progress steps first, with ``sleep_s`` it sleeps (cancellable), with ``fail`` it raises ValueError.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, mongo_server, redis_server  # noqa: E402


@contextlib.contextmanager
def store(url: str | None, kind: str = "redis") -> Iterator[str]:
    if url:
        yield url
    else:
        with mongo_server() if kind == "mongodb" else redis_server() as started:
            yield started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=os.environ.get("SERGEANT_TEST_REDIS_URL"))
    parser.add_argument("--tokens-file", default="")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--down", choices=["redis", "mongodb"], default="")
    args = parser.parse_args()
    stop = False

    def on_signal(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with contextlib.ExitStack() as servers:
        url = servers.enter_context(store(None, args.down) if args.down else store(args.store))
        address = f"127.0.0.1:{free_port()}"
        prefix = f"x{os.getpid()}"
        env = {**os.environ, "SERGEANT_STORE": url, "SERGEANT_GATEWAY": address, "SERGEANT_KEY_PREFIX": prefix,
               "PYTHONPATH": str(ROOT)}
        serve = ["sergeant", "serve", "--listen", address]
        if args.tokens_file:
            serve += ["--tokens-file", args.tokens_file]
        gateway = subprocess.Popen(serve, env=env, cwd=ROOT)
        while subprocess.run(["sergeant", "health", "--address", address], capture_output=True).returncode != 0:
            if gateway.poll() is not None:
                return 1
            time.sleep(0.2)
        if args.tokens_file:
            env["SERGEANT_TOKEN"] = "worker-token"
        processes = [gateway]
        if args.down:
            servers.close()
        else:
            processes.insert(0, subprocess.Popen(["sergeant", "supervise", "examples.echo_worker:EchoWorker",
                                                  "--workers", str(args.workers)], env=env, cwd=ROOT))
        print(f"READY {address}", flush=True)
        try:
            while not stop and all(process.poll() is None for process in processes):
                time.sleep(0.2)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        process.wait(20)
                if process.poll() is None:
                    process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
