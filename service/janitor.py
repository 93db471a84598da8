"""Background duties of the gateway, one component each, with start and shutdown.

* ``Reclaimer``: returns tasks whose lease deadline passed to their queue.
* ``HealthProbe``: pings the store and flips the gRPC health status.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from grpc_health.v1 import health_pb2

from sergeant.logs import log
from sergeant.service.rpc import Gateway

logger = logging.getLogger("sergeant.gateway.janitor")


class _Periodic:
    interval_s: float = 1.0

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as exc:
                log(logger, logging.WARNING, f"{type(self).__name__.lower()}.failed", error=str(exc))
            await asyncio.sleep(self.interval_s)

    async def tick(self) -> None:
        raise NotImplementedError

    async def shutdown(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class Reclaimer(_Periodic):
    def __init__(self, gateway: Gateway) -> None:
        super().__init__()
        self.gateway = gateway
        self.interval_s = gateway.settings.reclaim_interval_s
        # Made-up queues must not cost a sweep each forever: idle ones are forgotten, looked for now and then.
        self._forget_every_s = min(gateway.settings.queue_idle_s / 10, 60.0)
        self._next_forget = time.monotonic() + self._forget_every_s

    async def tick(self) -> None:
        store = self.gateway.store
        if time.monotonic() >= self._next_forget:
            self._next_forget = time.monotonic() + self._forget_every_s
            forgotten = await self.gateway.call(store.forget_idle_queues, self.gateway.settings.queue_idle_s)
            if forgotten:
                log(logger, logging.INFO, "queues.forgotten", count=len(forgotten), first=forgotten[0],
                    idle_s=self.gateway.settings.queue_idle_s)
        for queue in await self.gateway.call(store.queues):
            reclaimed = await self.gateway.call(store.reclaim_expired, queue)
            if reclaimed:
                log(logger, logging.WARNING, "leases.reclaimed", queue=queue, count=reclaimed)


class HealthProbe(_Periodic):
    interval_s = 1.0
    SERVICES = ("", "sergeant.v1.Producer", "sergeant.v1.Workers", "sergeant.v1.Operations")

    def __init__(self, gateway: Gateway, servicer: Any) -> None:  # grpc_health.v1.health.aio.HealthServicer
        super().__init__()
        self.gateway = gateway
        self.servicer = servicer
        self._serving: bool | None = None

    async def tick(self) -> None:
        try:
            await asyncio.wait_for(self.gateway.probe(self.gateway.store.ping), timeout=3)
            serving = True
        except Exception as exc:
            serving = False
            if self._serving is not False:
                log(logger, logging.ERROR, "store.unreachable", error=str(exc))
        if serving != self._serving:
            status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
            for service in self.SERVICES:
                await self.servicer.set(service, status)
            self._serving = serving
