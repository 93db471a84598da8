"""The killer watchdog: a separate process that enforces hard timeouts on one worker process.

It must live outside the worker: a thread stuck in C code that holds the GIL (a
catastrophic regex) freezes every thread of its process, watchdog threads
included.  The worker starts it as the worker starts, and leases nothing until
the killer says it is ready, so no task ever runs unwatched.  The soft timeout
is not the killer's job: it stays in-process (a SIGALRM timer in the process
executor, the thread killer in the threaded one).

The worker tells it over a pipe when each timed task starts and stops (JSON
lines, below).  At a task's hard deadline (its start plus timeout plus grace,
read from the worker's clock) it writes a death note on the supervisor's pipe
(``note_fd``: the timeout and grace that killed the worker, per task), SIGKILLs
the worker and all its descendants, then records every overdue task as
TIMED_OUT in the store (so it follows the retry policy).  The note comes first,
so that whichever of the killer and the supervisor settles a task first, it
records the same cause.  When the pipe closes (the worker exited, or died) the
killer exits too.

Wire, one JSON object per line:
  first:  {"pid": 123, "worker_id": "host/123/ab12", "store_url": "...", "key_prefix": "sergeant", "queue": "q",
           "log_level": "INFO", "log_kills": true, "note_fd": 5 or null}
  answer: "ready" on the killer's stdout once it can kill and settle
  then:   {"op": "start", "token": 7, "task": "<id>", "lease": "<lease id>", "attempt": 0, "trace_id": "",
           "hard_at": <monotonic s>, "retry": true, "timeout_s": 30.0, "grace_s": 10.0}
          {"op": "stop", "token": 7}
Deadlines are CLOCK_MONOTONIC readings, which every process of the host shares.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from sergeant import logs
from sergeant.logs import log
from sergeant.store import open_store
from sergeant.store.base import Failure, Store, StoreSettings
from sergeant.task import Task, TaskError
from sergeant.worker.resources import kill_tree

logger = logging.getLogger("sergeant.worker.killer")

READY = b"ready\n"


def timeout_kill_reason(timeout_s: float, grace_s: float) -> str:
    return f"killed: timeout {timeout_s:g} s plus grace {grace_s:g} s"


class KillerClient:
    """The worker's handle on its killer process."""

    def __init__(self, *, worker_id: str, store_url: str, key_prefix: str, queue: str, log_level: str,
                 log_kills: bool = True, note_fd: int | None = None) -> None:
        self._init = {"pid": os.getpid(), "worker_id": worker_id, "store_url": store_url, "key_prefix": key_prefix,
                      "queue": queue, "log_level": log_level, "log_kills": log_kills, "note_fd": note_fd}
        self._note_fds = () if note_fd is None else (note_fd,)
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._process is None:
                self._spawn()

    def wait_ready(self, timeout_s: float) -> bool:
        """Wait until the killer has opened its store and watches this process."""
        with self._lock:
            process = self._process
        if process is None or process.stdout is None:
            return False
        readable, _, _ = select.select([process.stdout], [], [], timeout_s)
        return bool(readable) and process.stdout.readline() == READY

    def arm(self, token: int, task: Task, *, hard_at: float, retry: bool, timeout_s: float, grace_s: float) -> None:
        self._send({"op": "start", "token": token, "task": task.id, "lease": task.lease_id, "attempt": task.attempt,
                    "trace_id": task.trace_id, "hard_at": hard_at, "retry": retry, "timeout_s": timeout_s,
                    "grace_s": grace_s}, start=True)

    def disarm(self, token: int) -> None:
        self._send({"op": "stop", "token": token}, start=False)

    def close(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None and process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()  # EOF: the killer exits
            try:
                process.wait(5.0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def _spawn(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-m", "sergeant.worker.process_killer"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, pass_fds=self._note_fds)
        assert process.stdin is not None
        process.stdin.write((json.dumps(self._init) + "\n").encode())
        process.stdin.flush()
        self._process = process
        return process

    def _send(self, message: dict[str, Any], *, start: bool) -> None:
        line = (json.dumps(message) + "\n").encode()
        with self._lock:
            process = self._process
            if process is None:
                if not start:
                    return
                process = self._spawn()  # the last one died: a new one, at once
            assert process.stdin is not None
            try:
                process.stdin.write(line)
                process.stdin.flush()
            except OSError as exc:  # it died: the next timed task starts a new one
                log(logger, logging.ERROR, "killer.lost", error=str(exc))
                self._process = None


@dataclasses.dataclass
class _Armed:
    task: str
    lease: str
    attempt: int
    trace_id: str
    hard_at: float
    retry: bool
    timeout_s: float
    grace_s: float

    @property
    def reason(self) -> str:
        return timeout_kill_reason(self.timeout_s, self.grace_s)


class _Watchdog:
    def __init__(self, init: dict[str, Any], store: Store) -> None:
        self.pid: int = init["pid"]
        self.worker_id: str = init["worker_id"]
        self.queue: str = init["queue"]
        self.log_kills: bool = init["log_kills"]
        self.note_fd: int | None = init["note_fd"]
        self.armed: dict[int, _Armed] = {}
        self.store = store

    def handle(self, message: dict[str, Any]) -> None:
        if message["op"] == "start":
            self.armed[message["token"]] = _Armed(
                message["task"], message["lease"], message["attempt"], message["trace_id"], message["hard_at"],
                message["retry"], message["timeout_s"], message["grace_s"])
        else:
            self.armed.pop(message["token"], None)

    def tick(self) -> float | None:
        """Act on deadlines that passed; returns seconds until the next one (None: none armed)."""
        now = time.monotonic()
        overdue = [a for a in self.armed.values() if now >= a.hard_at]
        if overdue:
            self.kill(overdue)
            return None
        return max(min(a.hard_at for a in self.armed.values()) - now, 0.0) if self.armed else None

    def kill(self, overdue: list[_Armed]) -> None:
        self._write_note(overdue)
        # Kill first, settle second: settling first would let another worker start the task
        # while this one still runs it.
        kill_tree(self.pid, spare=os.getpid())
        log(logger, logging.ERROR, "killer.hard_kill", pid=self.pid, worker=self.worker_id, queue=self.queue,
            tasks=[a.task for a in overdue], reason=overdue[0].reason)
        if self.log_kills:
            for a in overdue:
                log(logger, logging.ERROR, "task.killed", queue=self.queue, task=a.task, attempt=a.attempt,
                    trace_id=a.trace_id, worker=self.worker_id, pid=self.pid, reason=a.reason)
        failures = [Failure(a.task, a.lease, TaskError("WorkerTimedout", a.reason), retry=a.retry) for a in overdue]
        try:
            self.store.fail(self.queue, failures)
        except Exception as exc:  # the supervisor (from the note), or lease expiry, still returns them
            log(logger, logging.ERROR, "killer.settle_failed", queue=self.queue, error=str(exc))
        self.armed.clear()

    def _write_note(self, overdue: list[_Armed]) -> None:
        if self.note_fd is None:
            return
        note = {"killed": overdue[0].reason, "at": time.monotonic(), "queue": self.queue,
                "tasks": [{"task": a.task, "lease": a.lease, "retry": a.retry, "reason": a.reason} for a in overdue]}
        with contextlib.suppress(OSError):  # no supervisor reads it: the store settle below still says why
            os.write(self.note_fd, (json.dumps(note) + "\n").encode())


def main() -> int:
    # A Ctrl-C reaches the whole process group: the killer must outlive its worker's wind-down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    fd = sys.stdin.fileno()
    pending = b""
    watchdog: _Watchdog | None = None
    wait_s: float | None = None
    while True:
        readable, _, _ = select.select([fd], [], [], wait_s)
        if readable:
            data = os.read(fd, 65536)
            if not data:
                return 0  # the worker is gone
            pending += data
            *lines, pending = pending.split(b"\n")
            for line in lines:
                message = json.loads(line)
                if watchdog is None:
                    logs.configure(message.get("log_level", "INFO"))
                    # The store is opened now: at kill time every millisecond counts.
                    store = open_store(message["store_url"], StoreSettings(key_prefix=message["key_prefix"]))
                    watchdog = _Watchdog(message, store)
                    with contextlib.suppress(OSError):
                        os.write(sys.stdout.fileno(), READY)
                else:
                    watchdog.handle(message)
        if watchdog is not None:
            wait_s = watchdog.tick()  # after a kill nothing is armed: wait for the pipe's EOF


if __name__ == "__main__":
    sys.exit(main())
