"""The gateway's HTTP side (``--metrics-listen``): ``/metrics`` for Prometheus, and the dashboard.

The dashboard is one static page (``service/static/``) and a small JSON API under ``/api/``, with one live stream
(``/api/task/events``: a looked-up task's progress and states as Server-Sent Events), authorized like the gRPC calls:
``Authorization: Bearer <token>`` from the gateway's tokens file, the read role to look and admin to act (replay and
purge dead letters).  Without a tokens file the gateway has no auth, and neither has its dashboard.
``/metrics`` asks for no token, as Prometheus scrapers expect: bind it where only they reach.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from sergeant.encoder import decode
from sergeant.errors import EncodingError, InvalidArgument, ListenFailed, SergeantError
from sergeant.logs import log
from sergeant.service import convert
from sergeant.service.config import Role
from sergeant.service.events import TERMINAL_KINDS, EventHub, Watcher
from sergeant.service.metrics import GatewayMetrics
from sergeant.service.rpc import Caller, Gateway
from sergeant.store.records import kwargs_bytes
from sergeant.task import (
    TERMINAL_STATES,
    Compressor,
    EventKind,
    Serializer,
    TaskEvent,
    TaskInfo,
    TaskState,
    validate_queue_name,
    validate_task_id,
)

logger = logging.getLogger("sergeant.gateway.http")
STATIC = Path(__file__).parent / "static"
_MAX_QUEUES = 500  # the page lists at most this many queues
_MAX_DEAD = 100
_WAITING = frozenset({TaskState.PENDING, TaskState.SCHEDULED})  # states a task leaves for running, maybe unannounced
_HTTP_STATUS = {"UNAUTHENTICATED": 401, "PERMISSION_DENIED": 403, "INVALID_ARGUMENT": 400, "NOT_FOUND": 404,
                "RESOURCE_EXHAUSTED": 429, "UNAVAILABLE": 503}
Handler = Callable[[web.Request, Caller], Awaitable[Any]]


def _json(message: Message) -> dict[str, Any]:
    return MessageToDict(message, preserving_proto_field_name=True)


class Dashboard:
    def __init__(self, gateway: Gateway, metrics: GatewayMetrics, hub: EventHub) -> None:
        self.gateway = gateway
        self.metrics = metrics
        self.hub = hub
        self._streams: set[asyncio.Task[Any]] = set()  # handlers of open task streams, ended when the server stops

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 << 10)
        app.router.add_get("/metrics", self.scrape)
        app.router.add_get("/", self.page)
        app.router.add_static("/static/", STATIC)
        for path, handler in (("/api/queues", self.queues), ("/api/workers", self.workers),
                              ("/api/dead", self.dead), ("/api/task", self.task)):
            app.router.add_get(path, self._api(handler))
        app.router.add_get("/api/task/events", self.task_events)
        app.router.add_post("/api/replay", self._api(self.replay))
        app.router.add_post("/api/purge-dead", self._api(self.purge_dead))
        app.on_shutdown.append(self._end_streams)
        return app

    async def scrape(self, request: web.Request) -> web.Response:
        # Queue depths are store calls: off the event loop, like every other store call.
        body = await self.gateway.call(self.metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})

    async def page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    def _caller(self, request: web.Request) -> Caller:
        settings = self.gateway.settings
        if not settings.auth_enabled:
            return Caller(None, request.remote or "")
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        grant = settings.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            raise web.HTTPUnauthorized(text="a token is needed: send 'Authorization: Bearer <token>' with a token "
                                            "of the gateway's tokens file that has the read role")
        return Caller(grant, grant.name)

    def _api(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def call(request: web.Request) -> web.Response:
            caller = self._caller(request)
            try:
                return web.json_response(await handler(request, caller))
            except SergeantError as exc:
                return _refused(request, exc)
        return call

    async def queues(self, request: web.Request, caller: Caller) -> Any:
        store = self.gateway.store
        names = [q for q in await self.gateway.call(store.queues) if caller.may(Role.READ, q)][:_MAX_QUEUES]
        counts = await self.gateway.call(lambda: [store.counts(q) for q in names])
        pushed = {labels[0]: child for labels, child in _children(self.metrics.pushed)}
        return {"queues": [{**_json(convert.counts_to_pb(c)), "pushed": pushed.get(c.queue, 0.0)} for c in counts]}

    async def workers(self, request: web.Request, caller: Caller) -> Any:
        records = await self.gateway.call(self.gateway.store.workers)
        return {"workers": [_json(convert.worker_to_pb(r)) for r in records if caller.may(Role.READ, r.queue)]}

    async def dead(self, request: web.Request, caller: Caller) -> Any:
        queue = _queue(request.query.get("queue", ""), caller, Role.READ)
        letters = await self.gateway.call(self.gateway.store.dead_letters, queue, limit=_MAX_DEAD)
        return {"dead_letters": [_json(convert.dead_letter_to_pb(d)) for d in letters]}

    async def task(self, request: web.Request, caller: Caller) -> Any:
        return (await self._lookup(*_task_key(request, caller)))[1]

    async def _lookup(self, queue: str, task_id: str) -> tuple[TaskInfo, dict[str, Any]]:
        info = await self.gateway.call(self.gateway.store.get, queue, task_id)
        answer = _json(convert.info_to_pb(info))
        limit = self.gateway.settings.max_payload_bytes
        # msgpack is shown decoded (pickle never: decoding it runs code); a value that will not decode stays base64.
        if info.task is not None and info.task.serializer is Serializer.MSGPACK:
            with contextlib.suppress(EncodingError):
                answer["task"]["kwargs"] = _plain(decode(kwargs_bytes(info.task), Serializer.MSGPACK,
                                                         info.task.compressor, max_bytes=limit))
        if info.result is not None and info.result.result:
            with contextlib.suppress(EncodingError):
                answer["result"]["result"] = _plain(decode(info.result.result, Serializer.MSGPACK, Compressor.NONE))
        return info, answer

    async def task_events(self, request: web.Request) -> web.StreamResponse:
        """The lookup, live: Server-Sent Events ``task`` (the lookup's answer, at once and after each change of
        state), ``progress`` (each report of the worker) and ``end`` once the task is terminal; ``error`` when the
        stream cannot go on. A watch of the gateway's event hub, counted against the same limits as Watch; it ends
        with the task, when the client goes (its handler is cancelled) or when the server stops."""
        caller = self._caller(request)
        try:
            queue, task_id = _task_key(request, caller)
            async with self.hub.watching(queue, [task_id], progress=True, caller_key=caller.key) as watcher:
                info, answer = await self._lookup(queue, task_id)  # read after subscribing: nothing later is missed
                stream = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
                await stream.prepare(request)
                await self._stream(stream, watcher, info, answer)
                return stream
        except SergeantError as exc:
            return _refused(request, exc)

    async def _stream(self, stream: web.StreamResponse, watcher: Watcher, info: TaskInfo,
                      answer: dict[str, Any]) -> None:
        handler = asyncio.current_task()
        assert handler is not None  # aiohttp runs every handler in a task
        self._streams.add(handler)
        try:
            await _send(stream, "task", answer)
            if info.state not in TERMINAL_STATES:
                await self._follow(stream, watcher, info)
            await _send(stream, "end", {})
        except SergeantError as exc:  # the watch fell behind, or the store failed
            with contextlib.suppress(ConnectionError):
                await _send(stream, "error", {"error": exc.describe(), "code": exc.code})
        except ConnectionError:
            pass  # the client went between two events
        finally:
            self._streams.discard(handler)

    async def _follow(self, stream: web.StreamResponse, watcher: Watcher, info: TaskInfo) -> None:
        """Send the task's events until it is terminal, with the task read again when its state changed: after a
        state event, and at progress while it showed as waiting (not every store announces a start). A read that
        finds the task terminal before its terminal event came is not sent: the events still on their way are, in
        order, and the terminal one is read again."""
        waiting = info.state in _WAITING
        # Read after subscribing and not terminal then: if the hub finds the task terminal now, its events are on
        # their way (Submit's case), and are awaited so that they are told first.
        async for event, _ in self.hub.until_done(info.queue, watcher, {info.task_id}, pushed_after=True):
            if event.kind is EventKind.PROGRESS:
                await _send(stream, "progress", _progress(event))
                if not waiting:
                    continue
            info, answer = await self._lookup(info.queue, info.task_id)
            ahead = info.state in TERMINAL_STATES and event.kind not in TERMINAL_KINDS
            waiting = info.state in _WAITING
            if not ahead:
                await _send(stream, "task", answer)

    async def _end_streams(self, app: web.Application) -> None:
        for task in list(self._streams):
            task.cancel()

    async def replay(self, request: web.Request, caller: Caller) -> Any:
        queue, ids = await self._letters(request, caller)
        return {"replayed": await self.gateway.call(self.gateway.store.replay_dead, queue, ids)}

    async def purge_dead(self, request: web.Request, caller: Caller) -> Any:
        queue, ids = await self._letters(request, caller)
        return {"purged": await self.gateway.call(self.gateway.store.purge_dead, queue, ids)}

    @staticmethod
    async def _letters(request: web.Request, caller: Caller) -> tuple[str, list[str]]:
        try:
            body = await request.json()
        except ValueError as exc:
            raise InvalidArgument(f"the body is not JSON: {exc}", op=f"dashboard.{request.path}") from exc
        queue = _queue(str(body.get("queue", "")), caller, Role.ADMIN)
        ids = body.get("ids", [])
        if not isinstance(ids, list) or not ids:
            raise InvalidArgument("name the dead letters to act on: {\"queue\": ..., \"ids\": [...]}",
                                  op=f"dashboard.{request.path}", queue=queue)
        return queue, [validate_task_id(str(i), op=f"dashboard.{request.path}", queue=queue) for i in ids]


def _refused(request: web.Request, exc: SergeantError) -> web.Response:
    log(logger, logging.INFO, "http.refused", path=request.path, code=exc.code, error=exc.describe())
    return web.json_response({"error": exc.describe(), "code": exc.code}, status=_HTTP_STATUS.get(exc.code, 500))


async def _send(stream: web.StreamResponse, name: str, data: dict[str, Any]) -> None:
    await stream.write(f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode())


def _progress(event: TaskEvent) -> dict[str, Any]:
    detail = None
    if event.data:  # msgpack from the worker's report_progress
        with contextlib.suppress(EncodingError):
            detail = _plain(decode(event.data, Serializer.MSGPACK, Compressor.NONE))
    return {"progress": event.progress, "message": event.message, "data": detail, "at_unix_s": event.at}


def _task_key(request: web.Request, caller: Caller) -> tuple[str, str]:
    queue = _queue(request.query.get("queue", ""), caller, Role.READ)
    return queue, validate_task_id(request.query.get("id", ""), op="dashboard.task", queue=queue)


def _plain(value: Any) -> Any:
    """A decoded value as JSON can carry it (bytes, dates and the like as their text)."""
    return json.loads(json.dumps(value, default=str))


def _queue(queue: str, caller: Caller, role: str) -> str:
    validate_queue_name(queue, op="dashboard")
    caller.check(role, queue)
    return queue


def _children(counter: Any) -> list[tuple[tuple[str, ...], float]]:
    """A labelled counter's current values."""
    return [(tuple(s.labels.values()), s.value) for m in counter.collect() for s in m.samples
            if s.name.endswith("_total")]


@contextlib.asynccontextmanager
async def serving_http(dashboard: Dashboard, listen: str) -> AsyncIterator[int]:
    """Serve /metrics and the dashboard on ``listen`` (host:port); yield the bound port (useful with port 0)."""
    host, _, port = listen.rpartition(":")
    if not port.isdigit():
        raise InvalidArgument(f"--metrics-listen must be host:port, got {listen!r}", op="serve")
    # Handlers are cancelled when their client goes: a task stream must not hold its watch until the task ends.
    runner = web.AppRunner(dashboard.app(), access_log=None, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, host.strip("[]") or None, int(port))
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ListenFailed(f"cannot serve metrics on {listen}: {exc.strerror or exc}; choose another address with "
                           "--metrics-listen (env SERGEANT_METRICS_LISTEN)", op="serve") from exc
    bound = int(runner.addresses[0][1])
    log(logger, logging.INFO, "gateway.http_started", listen=listen, port=bound)
    try:
        yield bound
    finally:
        await runner.cleanup()
