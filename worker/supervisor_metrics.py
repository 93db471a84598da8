"""A supervisor's ``/metrics`` (``sergeant supervise --metrics-listen host:port``).

Its own gauges and counters (worker processes, respawns by cause, its RSS) sit in its own registry; its
children's (``sergeant.worker.metrics``) are summed from the files they keep in a ``PROMETHEUS_MULTIPROC_DIR``
that the supervisor makes for them and removes when it stops.  A child that died still counts: its files stay.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, ProcessCollector, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from sergeant.errors import InvalidArgument, ListenFailed
from sergeant.worker.child_process import ChildProcess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def respawn_cause(child: ChildProcess, code: int) -> str:
    """timeout (its killer killed it), memory (the watchdog did), signal (someone else did), exit (it exited)."""
    if child.killer_note is not None:
        return "timeout"
    if child.killed_for.startswith("killed: RSS"):
        return "memory"
    return "signal" if code < 0 else "exit"


class SupervisorMetrics:
    def __init__(self, listen: str, live: Callable[[], int]) -> None:
        host, _, port = listen.rpartition(":")
        if not port.isdigit():
            raise InvalidArgument(f"--metrics-listen must be host:port, got {listen!r}", op="supervise")
        self._address = (host.strip("[]") or "0.0.0.0", int(port))
        self.directory = tempfile.mkdtemp(prefix="sergeant-metrics-")
        self.registry = CollectorRegistry()
        MultiProcessCollector(self.registry, path=self.directory)  # type: ignore[no-untyped-call]
        ProcessCollector(registry=self.registry)
        Gauge("sergeant_worker_processes", "Worker processes alive", registry=self.registry).set_function(live)
        self.respawns = Counter("sergeant_worker_respawns", "Worker processes respawned, by why the last one ended",
                                ["cause"], registry=self.registry)
        self._server: WSGIServer | None = None

    def child_env(self, env: Mapping[str, str] | None) -> dict[str, str]:
        return {**(os.environ if env is None else env), MULTIPROC_ENV: self.directory}

    def start(self) -> int:
        """Serve; the bound port (useful with port 0)."""
        try:
            self._server, _ = start_http_server(self._address[1], self._address[0], registry=self.registry)
        except OSError as exc:
            self.close()
            raise ListenFailed(f"cannot serve metrics on {self._address[0]}:{self._address[1]}: "
                               f"{exc.strerror or exc}; choose another --metrics-listen", op="supervise") from exc
        return int(self._server.server_port)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        shutil.rmtree(self.directory, ignore_errors=True)
