"""The supervisor: keeps N worker processes alive, bounded and honest.

It is assembled from components, one file each, each with start and shutdown:

* ``Spawner``: runs N ``python -m sergeant.worker.child module:Class`` processes and
  respawns them (crash loops back off exponentially);
* ``LeaseReturner``: the moment a child dies, hands its leases back;
* ``MemoryWatchdog``: kills a child whose memory (children included) passes the limit;
* ``Reporter``: logs the children's state (the gateway's ListWorkers shows it too).

SIGTERM (or SIGINT) drains: every child stops leasing, returns its unstarted
tasks at once, and finishes its running tasks within ``drain_timeout_s``; a
child still alive after that (and the time to report its outcomes) is killed
and its leases handed back.  A child that exits with a fatal code (no such
module or class, an import error, a refused session) stops the supervisor with
that code; one that called ``stop()`` stops it with 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Mapping
from types import FrameType

from sergeant.errors import InvalidArgument
from sergeant.logs import log
from sergeant.worker.child_process import ChildProcess
from sergeant.worker.config import ACK_TIMEOUT_S, DEFAULT_DRAIN_TIMEOUT_S
from sergeant.worker.death import death_of
from sergeant.worker.exit_codes import FATAL, ExitCode
from sergeant.worker.lease_returner import LeaseReturner
from sergeant.worker.memory_watchdog import MemoryWatchdog
from sergeant.worker.reporter import Reporter
from sergeant.worker.respawn_backoff import RespawnBackoff
from sergeant.worker.spawner import Spawner
from sergeant.worker.supervisor_metrics import SupervisorMetrics, respawn_cause

logger = logging.getLogger("sergeant.supervisor")

_KILL_MARGIN_S = 5.0  # past a child's drain deadline and outcome flush, before it is killed


class Supervisor:
    def __init__(self, worker: str, *, workers: int = 1, max_memory_bytes: int = 0, max_tasks_per_child: int = 0,
                 drain_timeout_s: float = DEFAULT_DRAIN_TIMEOUT_S, report_interval_s: float = 30.0,
                 env: Mapping[str, str] | None = None, backoff: RespawnBackoff | None = None,
                 poll_interval_s: float = 0.1, metrics_listen: str = "") -> None:
        module, _, cls = worker.partition(":")
        if not module or not cls:
            raise InvalidArgument(f"worker must be 'package.module:WorkerClass', got {worker!r}", op="supervise")
        if workers < 1 or max_memory_bytes < 0 or max_tasks_per_child < 0 or drain_timeout_s < 0:
            raise InvalidArgument("workers must be >= 1; memory, task and drain limits >= 0", op="supervise")
        argv = [sys.executable, "-m", "sergeant.worker.child", worker, "--drain-timeout-s", str(drain_timeout_s)]
        if max_tasks_per_child:
            argv += ["--max-tasks", str(max_tasks_per_child)]
        self.worker = worker
        self.workers = workers
        self._drain_timeout_s = drain_timeout_s
        self._poll_interval_s = poll_interval_s
        self._returner = LeaseReturner()
        self.metrics = SupervisorMetrics(metrics_listen, lambda: len(self._spawner.live())) if metrics_listen else None
        if self.metrics is not None:
            env = self.metrics.child_env(env)
        self._spawner = Spawner(argv, workers, self._child_exited, env=env, backoff=backoff)
        self._watchdog = MemoryWatchdog(self._spawner, max_memory_bytes)
        self._reporter = Reporter(self._spawner, report_interval_s)
        self._stop = threading.Event()
        self._signalled: int | None = None
        self._exit_code = ExitCode.OK

    def run(self) -> int:
        """Supervise until told to stop (SIGTERM, SIGINT, ``shutdown()``, a child's stop or fatal exit)."""
        self._install_signal_handlers()
        log(logger, logging.INFO, "supervisor.started", worker=self.worker, workers=self.workers)
        if self.metrics is not None:
            log(logger, logging.INFO, "supervisor.metrics", port=self.metrics.start())
        self._returner.start()
        self._spawner.start()
        self._watchdog.start()
        self._reporter.start()
        try:
            while not self._stop.is_set():
                if self._signalled is not None:
                    log(logger, logging.INFO, "supervisor.draining", signal=signal.Signals(self._signalled).name)
                    break
                self._spawner.tick()
                self._returner.prepare(self._spawner.live())
                self._stop.wait(self._poll_interval_s)
        finally:
            self._watchdog.shutdown()
            self._reporter.shutdown()
            self._spawner.shutdown(self._drain_timeout_s + ACK_TIMEOUT_S + _KILL_MARGIN_S)
            self._returner.shutdown()
            if self.metrics is not None:
                self.metrics.close()
        log(logger, logging.INFO, "supervisor.stopped", code=self._exit_code.name)
        return int(self._exit_code)

    def shutdown(self) -> None:
        """Drain every worker and return from run(); safe from any thread but a signal handler."""
        self._stop.set()

    def _child_exited(self, child: ChildProcess, code: int) -> bool:
        self._returner.child_exited(child, death_of(child, code))
        if code in FATAL:
            log(logger, logging.ERROR, "supervisor.fatal_exit", worker=self.worker, code=ExitCode(code).name,
                meaning="respawning cannot fix this; see the worker's log above")
            self._exit_code = ExitCode(code)
            self._stop.set()
            return False
        if code == ExitCode.STOP:
            log(logger, logging.INFO, "supervisor.stop_requested", worker=child.worker_id)
            self._stop.set()
            return False
        respawn = not self._stop.is_set() and self._signalled is None
        if respawn and self.metrics is not None:
            self.metrics.respawns.labels(respawn_cause(child, code)).inc()
        return respawn

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def on_signal(signum: int, frame: FrameType | None) -> None:
            self._signalled = signum  # a flag only: the main thread may hold any lock right now

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
