"""The killer watchdog: a separate process that enforces hard timeouts on one worker process.

It must live outside the worker: a thread stuck in C code that holds the GIL (a
catastrophic regex) freezes every thread of its process, watchdog threads
included.  The worker tells it over a pipe when each timed task starts and
stops (JSON lines, below).  At a task's soft deadline it sends SIGUSR1, which
the process executor turns into ``WorkerTimedout`` inside work() (the threaded
executor raises that in-process and asks for no signal).  At a task's hard
deadline it SIGKILLs the worker and all its descendants, then records every
overdue task as TIMED_OUT in the store (so it follows the retry policy); the
supervisor hands the dead worker's other leases back and respawns it.  When
the pipe closes (the worker exited, or died) the killer exits too.

Wire, one JSON object per line:
  first:  {"pid": 123, "store_url": "...", "key_prefix": "sergeant", "queue": "q", "soft_signal": true,
           "log_level": "INFO"}
  then:   {"op": "start", "token": 7, "task": "<id>", "lease": "<lease id>", "soft_at": <monotonic s>,
           "hard_at": <monotonic s>, "retry": true, "timeout_s": 30.0}
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


class KillerClient:
    """The worker's handle on its killer process, started on the first timed task."""

    def __init__(self, *, store_url: str, key_prefix: str, queue: str, soft_signal: bool, log_level: str) -> None:
        self._init = {"pid": os.getpid(), "store_url": store_url, "key_prefix": key_prefix, "queue": queue,
                      "soft_signal": soft_signal, "log_level": log_level}
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def arm(self, token: int, task: Task, *, soft_at: float, hard_at: float, retry: bool, timeout_s: float) -> None:
        self._send({"op": "start", "token": token, "task": task.id, "lease": task.lease_id, "soft_at": soft_at,
                    "hard_at": hard_at, "retry": retry, "timeout_s": timeout_s}, start=True)

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

    def _send(self, message: dict[str, Any], *, start: bool) -> None:
        line = (json.dumps(message) + "\n").encode()
        with self._lock:
            if self._process is None:
                if not start:
                    return
                self._process = subprocess.Popen([sys.executable, "-m", "sergeant.worker.process_killer"],
                                                 stdin=subprocess.PIPE)
                line = (json.dumps(self._init) + "\n").encode() + line
            assert self._process.stdin is not None
            try:
                self._process.stdin.write(line)
                self._process.stdin.flush()
            except OSError as exc:  # it died: the next timed task starts a new one
                log(logger, logging.ERROR, "killer.lost", error=str(exc))
                self._process = None


@dataclasses.dataclass
class _Armed:
    task: str
    lease: str
    soft_at: float
    hard_at: float
    retry: bool
    timeout_s: float
    soft_sent: bool = False


class _Watchdog:
    def __init__(self, pid: int, store: Store, queue: str, soft_signal: bool) -> None:
        self.pid = pid
        self.queue = queue
        self.soft_signal = soft_signal
        self.armed: dict[int, _Armed] = {}
        self.store = store

    def handle(self, message: dict[str, Any]) -> None:
        if message["op"] == "start":
            self.armed[message["token"]] = _Armed(message["task"], message["lease"], message["soft_at"],
                                                  message["hard_at"], message["retry"], message["timeout_s"])
        else:
            self.armed.pop(message["token"], None)

    def tick(self) -> float | None:
        """Act on deadlines that passed; returns seconds until the next one (None: none armed)."""
        now = time.monotonic()
        overdue = [a for a in self.armed.values() if now >= a.hard_at]
        if overdue:
            self.kill(overdue)
            return None
        upcoming = []
        for armed in self.armed.values():
            if self.soft_signal and not armed.soft_sent:
                if now >= armed.soft_at:
                    armed.soft_sent = True
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGUSR1)
                else:
                    upcoming.append(armed.soft_at)
            upcoming.append(armed.hard_at)
        return max(min(upcoming) - now, 0.0) if upcoming else None

    def kill(self, overdue: list[_Armed]) -> None:
        # Kill first, settle second: settling first would let another worker start the task
        # while this one still runs it.
        kill_tree(self.pid, spare=os.getpid())
        log(logger, logging.ERROR, "killer.hard_kill", pid=self.pid, queue=self.queue,
            tasks=[a.task for a in overdue])
        failures = [Failure(a.task, a.lease, TaskError(
            "WorkerTimedout", f"still running after its {a.timeout_s} s timeout and the grace period; "
                              "the worker process was killed"), retry=a.retry) for a in overdue]
        try:
            self.store.fail(self.queue, failures)
        except Exception as exc:  # the supervisor's release_owner (or lease expiry) still returns them
            log(logger, logging.ERROR, "killer.settle_failed", queue=self.queue, error=str(exc))
        self.armed.clear()


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
                    watchdog = _Watchdog(message["pid"], store, message["queue"], message["soft_signal"])
                else:
                    watchdog.handle(message)
        if watchdog is not None:
            wait_s = watchdog.tick()  # after a kill nothing is armed: wait for the pipe's EOF


if __name__ == "__main__":
    sys.exit(main())
