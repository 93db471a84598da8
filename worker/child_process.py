"""One worker process as its supervisor sees it: spawned, announced, alive or dead."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from typing import Any

from sergeant.worker.identity import new_nonce, worker_id_for
from sergeant.worker.resources import kill_tree


class ChildProcess:
    def __init__(self, slot: int, process: subprocess.Popen[bytes], nonce: str, announce_fd: int) -> None:
        self.slot = slot
        self.process = process
        self.pid = process.pid
        self.worker_id = worker_id_for(process.pid, nonce)
        self.started_at = time.monotonic()
        self.store_url = ""  # known once the child announced itself (before it leases anything)
        self.key_prefix = ""
        self.killed_for = ""  # why the supervisor killed it, if it did
        self.killed_at = 0.0  # monotonic: when it decided to
        self.ready = False  # it leases: a death from now on is not a crash loop
        self.killer_note: dict[str, Any] | None = None  # its killer's word, when the killer killed it
        self._announce_fd: int | None = announce_fd
        self._announced = b""

    @classmethod
    def spawn(cls, slot: int, argv: list[str], env: Mapping[str, str] | None) -> ChildProcess:
        nonce = new_nonce()
        read_fd, write_fd = os.pipe()
        try:
            process = subprocess.Popen([*argv, "--worker-nonce", nonce, "--announce-fd", str(write_fd)],
                                       pass_fds=(write_fd,), env=None if env is None else dict(env))
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        os.set_blocking(read_fd, False)
        return cls(slot, process, nonce, read_fd)

    def poll(self) -> int | None:
        """The exit code once it exited (negative: killed by that signal), else None."""
        self.read_pipe()
        code = self.process.poll()
        if code is not None:
            self.read_pipe()  # whatever it (or its killer) wrote before dying is still in the pipe
            self._close_pipe()
        return code

    def read_pipe(self) -> None:
        """Take in the lines the child and its killer wrote: its announcement, "ready", a death note."""
        if self._announce_fd is None:
            return
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self._announce_fd, 65536):
                self._announced += chunk
        *lines, self._announced = self._announced.split(b"\n")
        for line in lines:
            message = json.loads(line)
            if "worker_id" in message:
                self.worker_id = message["worker_id"]
                self.store_url = message["store_url"]
                self.key_prefix = message["key_prefix"]
            elif "killed" in message:
                self.killer_note = message
            elif message.get("ready"):
                self.ready = True

    def _close_pipe(self) -> None:
        if self._announce_fd is not None:
            os.close(self._announce_fd)
            self._announce_fd = None

    @property
    def lived_s(self) -> float:
        return time.monotonic() - self.started_at

    def terminate(self) -> None:
        """Ask it to drain (SIGTERM)."""
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)

    def kill(self, reason: str) -> None:
        """SIGKILL it and everything it started."""
        self.killed_for, self.killed_at = reason, time.monotonic()
        kill_tree(self.pid)
