"""Real processes for worker tests: a gateway in a thread, workers and supervisors as subprocesses."""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sergeant.encoder import encode
from sergeant.service.config import GatewaySettings
from sergeant.service.server import running_gateway
from sergeant.store.base import Store
from sergeant.task import Compressor, Serializer, Task, TaskState, new_task_id
from sergeant.worker.resources import kill_tree

REPO = Path(__file__).resolve().parents[2]
WORKER = "tests.worker.workers:ScriptedWorker"


@contextlib.contextmanager
def gateway_thread(store_url: str, **overrides: Any) -> Iterator[str]:
    """A real gateway on a free port, served by an event loop in a thread of this process."""
    settings = GatewaySettings(listen="127.0.0.1:0", store_url=store_url, heartbeat_interval_s=0.5,
                               heartbeat_timeout_s=3.0, reclaim_interval_s=0.5, **overrides)
    started: queue.Queue[tuple[asyncio.AbstractEventLoop, asyncio.Event, int] | BaseException] = queue.Queue()

    async def serve() -> None:
        stop = asyncio.Event()
        try:
            async with running_gateway(settings) as (_, port):
                started.put((asyncio.get_running_loop(), stop, port))
                await stop.wait()
        except BaseException as exc:
            started.put(exc)
            raise

    thread = threading.Thread(target=asyncio.run, args=(serve(),), name="gateway", daemon=True)
    thread.start()
    got = started.get(timeout=30)
    if isinstance(got, BaseException):
        raise got
    loop, stop, port = got
    try:
        yield f"127.0.0.1:{port}"
    finally:
        # Workaround: the gateway closes its store without joining its event-feed threads, and a
        # feed still reading a SQLite subscription then touches a closed connection (a segfault).
        # A feed ends within 0.5 s of its last watcher (a worker session) leaving.
        give_up = time.monotonic() + 3
        while any(t.name.startswith("events-") for t in threading.enumerate()) and time.monotonic() < give_up:
            time.sleep(0.05)
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)


class Events:
    """The JSON lines that tests.worker.workers writes, one per hook call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def all(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        # Only whole lines: a line being appended right now (or cut short by a SIGKILL) is not an event yet.
        text = self.path.read_text()
        lines = text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:
                continue  # a writer killed mid-line
        return events

    def named(self, event: str, task: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.all() if e["event"] == event and (task is None or e.get("task") == task)]

    def for_task(self, task: str) -> list[str]:
        return [e["event"] for e in self.all() if e.get("task") == task]

    def pids(self) -> list[int]:
        """The worker processes that started, in order."""
        return [e["pid"] for e in self.named("initialize")]


def wait_for(predicate: Callable[[], Any], timeout_s: float, what: str, interval_s: float = 0.05) -> Any:
    give_up = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(interval_s)


def push(store: Store, queue_name: str, kwargs_list: list[dict[str, Any]], **fields: Any) -> list[str]:
    """Push tasks that keep their results (the tests follow them by id), unless told otherwise."""
    fields.setdefault("want_result", True)
    tasks = [Task(id=new_task_id(), queue=queue_name, kwargs=encode(kwargs, Serializer.MSGPACK, Compressor.NONE),
                  created_at=time.time(), **fields) for kwargs in kwargs_list]
    store.push(tasks)
    return [t.id for t in tasks]


def finished(store: Store, queue_name: str, task_ids: list[str]) -> bool:
    return all(store.get(queue_name, t).state in (TaskState.SUCCEEDED, TaskState.DEAD, TaskState.CANCELLED)
               for t in task_ids)


class Processes:
    """Starts workers and supervisors with the test's environment, and never leaves one behind."""

    def __init__(self, env: dict[str, str], tmp: Path) -> None:
        self.env = env
        self.tmp = tmp
        self.started: list[subprocess.Popen[bytes]] = []

    def configure(self, **config: Any) -> None:
        """WorkerConfig overrides for the workers started next."""
        self.env["SERGEANT_TEST_CONFIG"] = json.dumps(config)

    def child(self, *args: str, worker: str = WORKER) -> subprocess.Popen[bytes]:
        return self._start([sys.executable, "-m", "sergeant.worker.child", worker, *args], "child")

    def supervisor(self, *args: str, worker: str = WORKER) -> subprocess.Popen[bytes]:
        return self._start([sys.executable, "-m", "sergeant.cli", "supervise", worker, *args], "supervisor")

    def _start(self, command: list[str], name: str) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"{name}-{len(self.started)}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.started.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.tmp.glob("*.log")))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        give_up = time.monotonic() + 15
        for process in self.started:
            try:
                process.wait(max(give_up - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                kill_tree(process.pid)  # a supervisor's children too: nothing may outlive the test
                process.wait()
