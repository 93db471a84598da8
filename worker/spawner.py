"""Keeps N worker processes running: spawns them, reaps them, respawns them with backoff."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from sergeant.logs import log
from sergeant.worker.child_process import ChildProcess
from sergeant.worker.death import describe_exit
from sergeant.worker.exit_codes import ExitCode
from sergeant.worker.respawn_backoff import RespawnBackoff

logger = logging.getLogger("sergeant.supervisor.spawner")

ExitHandler = Callable[[ChildProcess, int], bool]
"""Told of every exit (code < 0: killed by that signal); returns whether to respawn the slot."""

_PLANNED_EXITS = frozenset({ExitCode.OK, ExitCode.RESPAWN})


class Spawner:
    def __init__(self, argv: list[str], workers: int, on_exit: ExitHandler, *,
                 env: Mapping[str, str] | None = None, backoff: RespawnBackoff | None = None) -> None:
        self._argv = argv
        self._workers = workers
        self._on_exit = on_exit
        self._env = env
        self._backoff = backoff or RespawnBackoff()
        self._children: dict[int, ChildProcess] = {}  # slot -> its live process
        self._respawn_at: dict[int, float] = {}  # slot -> monotonic time to respawn it
        self._lock = threading.Lock()

    def start(self) -> None:
        for slot in range(self._workers):
            self._spawn(slot)

    def live(self) -> list[ChildProcess]:
        with self._lock:
            return list(self._children.values())

    def tick(self) -> None:
        """Reap exited children (telling the exit handler) and respawn slots whose wait is over."""
        for child in self.live():
            code = child.poll()
            if code is not None:
                self._reaped(child, code, respawn=True)
        now = time.monotonic()
        for slot, due in list(self._respawn_at.items()):
            if now >= due:
                del self._respawn_at[slot]
                self._spawn(slot)

    def shutdown(self, deadline_s: float) -> None:
        """SIGTERM every child (they drain), wait up to ``deadline_s``, then SIGKILL what is left."""
        self._respawn_at.clear()
        for child in self.live():
            child.terminate()
        give_up = time.monotonic() + deadline_s
        while self.live() and time.monotonic() < give_up:
            for child in self.live():
                code = child.poll()
                if code is not None:
                    self._reaped(child, code, respawn=False)
            time.sleep(0.05)
        for child in self.live():
            log(logger, logging.WARNING, "supervisor.drain_deadline_passed", pid=child.pid, worker=child.worker_id)
            child.kill("killed: still running when the supervisor's drain deadline passed")
            self._reaped(child, child.process.wait(), respawn=False)

    def _spawn(self, slot: int) -> None:
        child = ChildProcess.spawn(slot, self._argv, self._env)
        with self._lock:
            self._children[slot] = child
        log(logger, logging.INFO, "supervisor.spawned", slot=slot, pid=child.pid, worker=child.worker_id)

    def _reaped(self, child: ChildProcess, code: int, *, respawn: bool) -> None:
        with self._lock:
            if self._children.get(child.slot) is child:
                del self._children[child.slot]
        planned = code in _PLANNED_EXITS and not child.killed_for
        log(logger, logging.INFO if planned else logging.WARNING, "supervisor.child_exited", slot=child.slot,
            pid=child.pid, worker=child.worker_id, exit=describe_exit(code), killed_for=child.killed_for or None,
            lived_s=round(child.lived_s, 2))
        if self._on_exit(child, code) and respawn:
            # A worker that had been leasing and was killed (memory, timeout, from outside) is no crash loop.
            crash_loop = not planned and not (child.ready and code < 0)
            delay_s = self._backoff.delay_s(child.slot, crashed=crash_loop, lived_s=child.lived_s)
            if delay_s:
                log(logger, logging.WARNING, "supervisor.respawn_delayed", slot=child.slot, delay_s=delay_s)
            self._respawn_at[child.slot] = time.monotonic() + delay_s
