"""The one place that turns errors into gRPC statuses, checks bearer tokens, and runs store calls.

Every servicer method is wrapped by ``rpc``: it authenticates the caller, hands
it a ``Caller`` to check per-queue rights, and maps ``SergeantError`` (and
anything unexpected) to a status with a message that says what to do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import inspect
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, TypeVar

import grpc

from sergeant.errors import InvalidArgument, PermissionDenied, SergeantError, Unauthenticated
from sergeant.limits import MAX_STATUS_CHARS
from sergeant.logs import log
from sergeant.service.admission import admission_for
from sergeant.service.config import GatewaySettings, TokenGrant
from sergeant.service.metrics import GatewayMetrics
from sergeant.service.registry import Malformed, Unparsed
from sergeant.task import Serializer

logger = logging.getLogger("sergeant.gateway")
T = TypeVar("T")
_DECODE_THREADS = 2
Context = grpc.aio.ServicerContext[Any, Any]
_EOF: Any = grpc.aio.EOF  # type: ignore[attr-defined]  # what context.read() gives once the client sent all; not in grpc-stubs


class Caller:
    """The authenticated caller of one RPC."""

    def __init__(self, grant: TokenGrant | None, key: str, pickle_queues: frozenset[str] = frozenset()) -> None:
        self.grant = grant  # None: authentication is off
        self.key = key  # whom per-caller limits count: the token's name, or the peer's address without auth
        self._pickle_queues = pickle_queues

    def may(self, role: str, queue: str) -> bool:
        return self.grant is None or self.grant.allows(role, queue)

    def check(self, role: str, queue: str, *alternatives: str) -> None:
        """Refuse unless the caller has ``role`` (or one of ``alternatives``) on ``queue``."""
        if self.grant is None or any(self.grant.allows(r, queue) for r in (role, *alternatives)):
            return
        needs = " or ".join((role, *alternatives))
        raise PermissionDenied(
            f"token {self.grant.name!r} may not {needs} on this queue; it has roles "
            f"{sorted(self.grant.roles)} on queues {sorted(self.grant.queues)}",
            queue=queue,
        )

    def check_serializer(self, serializer: Serializer, queue: str) -> None:
        """May this caller push kwargs in ``serializer`` to ``queue``?  msgpack: yes.  pickle runs code of the
        producer's choosing in the worker, so only on a queue the operator opened to it (--pickle-queues) or with
        a token that says ``"pickle": true``."""
        if serializer is Serializer.MSGPACK or "*" in self._pickle_queues or queue in self._pickle_queues:
            return
        if self.grant is not None and self.grant.pickle:
            return
        who = f"token {self.grant.name!r}" if self.grant is not None else "this caller"
        raise PermissionDenied(
            f"{who} may not push pickle kwargs: pickle runs the producer's code in the worker. Use msgpack, or "
            "let the operator allow it (gateway --pickle-queues, or \"pickle\": true on the token)", queue=queue)


class AdmissionInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]  # generic only in the stubs
    """Runs the counted methods under ``Admission``: each call is counted, or refused, before its request is read,
    and its request is received only when its turn comes.

    Their handlers are registered as client-streaming whatever the method is: grpcio receives a unary request
    before calling its handler, but hands a client-streaming one a call it reads from when it chooses."""

    def __init__(self, gateway: Gateway, methods: frozenset[str]) -> None:
        self._admission = gateway.admission
        self._caller = gateway.caller_key
        self._methods = methods  # full method names that Admission counts

    async def intercept_service(self, continuation: Callable[[Any], Any], details: Any) -> Any:
        handler = await continuation(details)
        if handler is None or details.method not in self._methods:
            return handler
        method = handler.stream_unary if handler.request_streaming else handler.unary_unary
        return grpc.stream_unary_rpc_method_handler(
            functools.partial(self._admit, method, handler.request_streaming),
            request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer)

    async def _admit(self, method: Callable[[Any, Context], Any], streaming: bool, _: Any, context: Context) -> Any:
        try:
            with self._admission.call():
                if streaming:
                    messages = self._messages(context)
                    try:
                        return await method(messages, context)
                    finally:
                        await messages.aclose()  # now, not when collected: it holds its last message's room
                async with self._admission.request(self._caller(context), context.read, _size) as request:
                    if request is _EOF:
                        raise InvalidArgument("the call ended without its request message", op="gateway")
                    return await method(request, context)
        except SergeantError as exc:
            fail(context, "gateway", exc)
            return None

    async def _messages(self, context: Context) -> AsyncGenerator[Any, None]:
        """A client stream's messages, each received in its turn and held until the next is asked for."""
        caller = self._caller(context)
        while True:
            async with self._admission.request(caller, context.read, _size) as request:
                if request is _EOF:
                    return
                yield request


class Gateway:
    """What servicers share: settings, the store and the thread pool that runs its (blocking) calls."""

    def __init__(self, settings: GatewaySettings, store: Any) -> None:
        self.settings = settings
        self.store = store
        self.admission = admission_for(settings)
        self.metrics = GatewayMetrics()
        self.metrics.inflight_bytes.set_function(lambda: self.admission.bytes)
        self._pool = concurrent.futures.ThreadPoolExecutor(settings.store_threads, thread_name_prefix="store")
        # The health probe's own thread: a probe queued behind a saturated pool would report a healthy store down.
        self._probe_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="probe")
        # Decoding requests is CPU work under the GIL: two threads keep the event loop's share of the GIL (and
        # so health checks) from shrinking as concurrent pushes grow.
        self._decode_pool = concurrent.futures.ThreadPoolExecutor(_DECODE_THREADS, thread_name_prefix="decode")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    async def probe(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._probe_pool, fn)

    async def decode(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._decode_pool, fn, *args)

    def authenticate(self, context: Context) -> Caller:
        if not self.settings.auth_enabled:
            peer = str(context.peer() or "")
            return Caller(None, peer.rpartition(":")[0] or peer, self.settings.pickle_queues)
        header = dict(context.invocation_metadata() or ()).get("authorization", "")
        scheme, _, token = str(header).partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("missing bearer token: send metadata 'authorization: Bearer <token>'")
        grant = self.settings.tokens.get(token.strip())
        if grant is None:
            raise Unauthenticated("unknown bearer token")
        return Caller(grant, grant.name, self.settings.pickle_queues)

    def caller_key(self, context: Context) -> str:
        """Whom a call counts against in per-caller limits before its handler runs ("" for a bad token)."""
        try:
            return self.authenticate(context).key
        except Unauthenticated:
            return ""

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._probe_pool.shutdown(wait=False, cancel_futures=True)
        self._decode_pool.shutdown(wait=False, cancel_futures=True)


def fail(context: Context, op: str, exc: BaseException) -> None:
    """Set the call's status from ``exc``; the handler returns right after.

    Not ``context.abort``: in a client-streaming handler (every counted call is one, see AdmissionInterceptor) the
    AbortError it raises is kept by grpcio's call state, which the handler's frames in its traceback refer to. That
    cycle kept each refused request (10 MB for a large push) alive until the garbage collector ran: under a flood
    of refused pushes, hundreds of MB."""
    if isinstance(exc, SergeantError):
        if not exc.op:
            exc.op = op
        message = _cut(exc.describe())
        log(logger, logging.INFO, "rpc.refused", op=op, code=exc.code, error=message)
        context.set_code(grpc.StatusCode[exc.code])
        context.set_details(message)
        return
    log(logger, logging.ERROR, "rpc.crashed", op=op, exc_info=exc)
    context.set_code(grpc.StatusCode.INTERNAL)
    context.set_details(f"{op}: internal error ({type(exc).__name__}); see the gateway log")


def _cut(message: str) -> str:
    return message if len(message) <= MAX_STATUS_CHARS else message[:MAX_STATUS_CHARS - 3] + "..."


async def _message(gateway: Gateway, request: Any, op: str) -> Any:
    """The request message: parsed off the event loop if it is large, refused if it is corrupt."""
    if isinstance(request, Unparsed):
        request = await gateway.decode(request.parse)
    if isinstance(request, Malformed):
        raise InvalidArgument(f"the request is not a valid {request.type_name}: {request.reason}", op=op)
    return request


def _size(request: Any) -> int:
    return len(request) if isinstance(request, Unparsed) else 0 if isinstance(request, Malformed) or \
        request is _EOF else int(request.ByteSize())


async def _parsed(gateway: Gateway, request: Any, op: str) -> Any:
    """The request, or for a client stream an iterator over it."""
    if not hasattr(request, "__aiter__"):
        return await _message(gateway, request, op)

    async def checked() -> AsyncIterator[Any]:
        async for item in request:
            yield await _message(gateway, item, op)

    return checked()


def _code(exc: Exception) -> str:
    return exc.code if isinstance(exc, SergeantError) else "INTERNAL"


def rpc(op: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a servicer method (unary, or an async generator for server streams)."""

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isasyncgenfunction(method):
            @functools.wraps(method)
            async def stream(self: Any, request: Any, context: Context) -> AsyncIterator[Any]:
                started, code = time.perf_counter(), "OK"
                try:
                    caller = self.gateway.authenticate(context)
                    async for reply in method(self, await _parsed(self.gateway, request, op), context,
                                              caller):
                        yield reply
                except (asyncio.CancelledError, grpc.aio.AbortError, GeneratorExit):
                    code = "CANCELLED"
                    raise
                except Exception as exc:
                    code = _code(exc)
                    fail(context, op, exc)
                finally:
                    self.gateway.metrics.observe_rpc(op, code, time.perf_counter() - started)

            return stream

        @functools.wraps(method)
        async def unary(self: Any, request: Any, context: Context) -> Any:
            started, code = time.perf_counter(), "OK"
            try:
                caller = self.gateway.authenticate(context)
                return await method(self, await _parsed(self.gateway, request, op), context, caller)
            except (asyncio.CancelledError, grpc.aio.AbortError):
                code = "CANCELLED"
                raise
            except Exception as exc:
                code = _code(exc)
                fail(context, op, exc)
            finally:
                self.gateway.metrics.observe_rpc(op, code, time.perf_counter() - started)

        return unary

    return wrap
