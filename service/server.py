"""Assemble and run the gateway: servicers, health, reflection, TLS, limits, background duties."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2
from grpc_reflection.v1alpha import reflection, reflection_pb2

from sergeant.errors import ListenFailed
from sergeant.logs import log
from sergeant.service.config import GatewaySettings
from sergeant.service.dashboard import Dashboard, serving_http
from sergeant.service.events import EventHub
from sergeant.service.janitor import HealthProbe, Reclaimer
from sergeant.service.metrics import QueueDepths
from sergeant.service.operations import OperationsService
from sergeant.service.producer import ProducerService
from sergeant.service.registry import add_service, add_stock_service
from sergeant.service.rpc import AdmissionInterceptor, Gateway
from sergeant.service.workers import WorkersService
from sergeant.store import open_store
from sergeant.store.base import StoreSettings
from sergeant.v1 import operations_pb2, producer_pb2, worker_pb2

logger = logging.getLogger("sergeant.gateway")
_GRACE_S = 2.0  # in-flight RPCs get this long to finish when the gateway stops


def store_kind(url: str) -> str:
    scheme = url.partition("://")[0]
    return {"rediss": "redis", "unix": "redis", "mongodb+srv": "mongodb"}.get(scheme, scheme)


@contextlib.asynccontextmanager
async def running_gateway(settings: GatewaySettings, *,
                          reuse_port: bool = False) -> AsyncIterator[tuple[grpc.aio.Server, int]]:
    """Start a gateway; yield the server and the port it bound (useful with port 0). ``reuse_port``: share the port
    with other gateway processes (SO_REUSEPORT; the kernel spreads connections over them). Without it, a second
    gateway on a taken port fails to start instead of silently sharing it."""
    store = open_store(settings.store_url, StoreSettings(
        result_ttl_s=settings.result_ttl_s, max_payload_bytes=settings.max_payload_bytes,
        key_prefix=settings.key_prefix))
    gateway = Gateway(settings, store)
    hub = EventHub(gateway)
    workers = WorkersService(gateway, hub)
    services = [producer_pb2.DESCRIPTOR.services_by_name["Producer"], worker_pb2.DESCRIPTOR.services_by_name["Workers"],
                operations_pb2.DESCRIPTOR.services_by_name["Operations"]]
    admitted = frozenset(f"/{s.full_name}/{m.name}" for s in services for m in s.methods if not m.server_streaming)
    server = grpc.aio.server(interceptors=[AdmissionInterceptor(gateway, admitted)], options=[
        ("grpc.max_receive_message_length", settings.max_message_bytes),
        ("grpc.max_send_message_length", settings.max_message_bytes),
        ("grpc.so_reuseport", int(reuse_port)),
        # Without BDP probing a stream's window stays at 64 KiB until its handler reads: a call waiting for its
        # turn to be received (service/admission.py) holds no more than that. With it, gRPC buffered megabytes of
        # each waiting call.
        ("grpc.http2.bdp_probe", 0),
    ])
    add_service(server, ProducerService(gateway, hub), producer_pb2.DESCRIPTOR.services_by_name["Producer"])
    add_service(server, workers, worker_pb2.DESCRIPTOR.services_by_name["Workers"])
    add_service(server, OperationsService(gateway, store_kind(settings.store_url)),
                operations_pb2.DESCRIPTOR.services_by_name["Operations"])
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    add_stock_service(server, health_servicer, health_pb2.DESCRIPTOR.services_by_name["Health"])
    add_stock_service(server, reflection.aio.ReflectionServicer([  # type: ignore[attr-defined]
        producer_pb2.DESCRIPTOR.services_by_name["Producer"].full_name,
        worker_pb2.DESCRIPTOR.services_by_name["Workers"].full_name,
        operations_pb2.DESCRIPTOR.services_by_name["Operations"].full_name,
        health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
        reflection.SERVICE_NAME,
    ]), reflection_pb2.DESCRIPTOR.services_by_name["ServerReflection"])
    try:
        port = _bind(server, settings, reuse_port=reuse_port)
    except ListenFailed:
        gateway.shutdown()
        store.close()
        raise
    gateway.metrics.watchers.set_function(lambda: hub.open_watches)
    gateway.metrics.worker_sessions.set_function(lambda: len(workers.sessions))
    gateway.metrics.registry.register(QueueDepths(store.queues, store.counts))
    duties = [Reclaimer(gateway), HealthProbe(gateway, health_servicer)]
    http = contextlib.AsyncExitStack()
    if settings.metrics_listen:
        try:
            await http.enter_async_context(
                serving_http(Dashboard(gateway, gateway.metrics, hub), settings.metrics_listen))
        except ListenFailed:
            await server.stop(None)
            gateway.shutdown()
            store.close()
            raise
    await server.start()
    for duty in duties:
        duty.start()
    log(logger, logging.INFO, "gateway.started", listen=settings.listen, port=port,
        store=str(store.identity()), auth=settings.auth_enabled, tls=bool(settings.tls_cert))
    try:
        yield server, port
    finally:
        for duty in duties:
            await _bounded(f"stop {type(duty).__name__}", duty.shutdown(), 5.0)
        await _bounded("tell workers to stop", workers.broadcast(
            worker_pb2.Command(stop=worker_pb2.Stop(reason="gateway shutting down"))), 2.0)
        await _bounded("stop the gRPC server", server.stop(grace=_GRACE_S), _GRACE_S + 8.0)
        await _bounded("end worker sessions", workers.close(), 5.0)
        await _bounded("stop the HTTP server", http.aclose(), 5.0)
        hub.close()
        gateway.shutdown()
        store.close()
        log(logger, logging.INFO, "gateway.stopped")


def _listen_failed(listen: str, why: str) -> ListenFailed:
    return ListenFailed(f"cannot listen on {listen}: {why}; stop what holds it, or choose another address "
                        "with --listen (env SERGEANT_LISTEN)", op="serve")


def _probe(listen: str, *, reuse_port: bool) -> None:
    """Bind the address once ourselves: gRPC would only log "Failed to bind" to stderr, without the reason.
    With ``reuse_port`` the probe shares the port as gRPC will (the sibling gateway processes hold it too)."""
    host, _, port = listen.rpartition(":")
    if not port.isdigit():
        return  # not host:port (a unix socket, say): gRPC decides
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]") or None, int(port),
                                                             type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gRPC does: TIME_WAIT is no obstacle
            if reuse_port:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            probe.bind(address)
    except OSError as exc:
        raise _listen_failed(listen, exc.strerror or str(exc)) from exc


def _bind(server: grpc.aio.Server, settings: GatewaySettings, *, reuse_port: bool) -> int:
    _probe(settings.listen, reuse_port=reuse_port)
    try:
        if settings.tls_cert:
            credentials = grpc.ssl_server_credentials([(Path(settings.tls_key).read_bytes(),
                                                        Path(settings.tls_cert).read_bytes())])
            return server.add_secure_port(settings.listen, credentials)
        return server.add_insecure_port(settings.listen)
    except RuntimeError as exc:  # taken since the probe
        raise _listen_failed(settings.listen, "gRPC failed to bind it") from exc


async def _bounded(step: str, awaitable: Awaitable[object], timeout_s: float) -> None:
    """Run one shutdown step, abandoning it after ``timeout_s``: a gateway asked to stop must stop, even when a
    step hangs (grpc.aio's server.stop has been seen to, rarely, in a process that ran many servers)."""
    try:
        await asyncio.wait_for(awaitable, timeout_s)
    except TimeoutError:
        log(logger, logging.ERROR, "gateway.shutdown_step_timeout", step=step, timeout_s=timeout_s,
            consequence="abandoned; shutdown goes on")


async def serve(settings: GatewaySettings, *, reuse_port: bool = False) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_gateway(settings, reuse_port=reuse_port):
        await stop.wait()
