"""``sergeant serve --processes N``: N gateway processes on one port.

A gateway keeps no state of its own (the store holds everything), so N processes can share one port with
SO_REUSEPORT: the kernel spreads incoming connections over them, and each process has its own event loop and GIL.
This parent only starts them and stops them: SIGINT/SIGTERM is passed on, and when one process dies the others are
stopped too, so that whatever supervises ``sergeant serve`` (Docker, systemd) sees the failure and restarts it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import time
from multiprocessing.process import BaseProcess

from sergeant import logs
from sergeant.errors import InvalidArgument
from sergeant.logs import log
from sergeant.service.config import GatewaySettings

logger = logging.getLogger("sergeant.gateway")
_STOP_S = 20.0  # each process gets this long to stop before it is killed


def _one(settings: GatewaySettings, log_level: str) -> None:
    from sergeant.service.server import serve

    logs.configure(log_level)
    asyncio.run(serve(settings, reuse_port=True))


def serve_processes(settings: GatewaySettings, processes: int, log_level: str) -> int:
    """Run ``processes`` gateways on ``settings.listen`` until SIGINT/SIGTERM or until one of them exits."""
    if settings.listen.rpartition(":")[2] in ("", "0"):
        raise InvalidArgument(f"--processes {processes} needs a fixed port in --listen, got {settings.listen!r}",
                              op="serve")
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # spawn, not fork: a fresh interpreter per process, with no gRPC or store state inherited from this one.
    context = multiprocessing.get_context("spawn")
    children: list[BaseProcess] = [context.Process(target=_one, args=(settings, log_level), name=f"gateway-{n}")
                                   for n in range(processes)]
    for child in children:
        child.start()
    log(logger, logging.INFO, "gateway.processes_started", listen=settings.listen,
        pids=[child.pid for child in children])
    while not stopping and all(child.is_alive() for child in children):
        time.sleep(0.2)
    code = 0 if stopping else 1
    if not stopping:
        dead = [(child.name, child.exitcode) for child in children if not child.is_alive()]
        log(logger, logging.ERROR, "gateway.process_died", processes=dead, consequence="stopping the others")
    for child in children:
        if child.is_alive() and child.pid is not None:
            child.terminate()  # SIGTERM: a graceful stop
    deadline = time.monotonic() + _STOP_S
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join()
    return code
