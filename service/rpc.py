"""The one place that turns errors into gRPC statuses, checks bearer tokens, and runs store calls.

Every servicer method is wrapped by ``rpc``: it authenticates the caller, hands
it a ``Caller`` to check per-queue rights, and maps ``SergeantError`` (and
anything unexpected) to a status with a message that says what to do.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import functools
import inspect
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import grpc

from sergeant.errors import InvalidArgument, LimitExceeded, PermissionDenied, SergeantError, Unauthenticated
from sergeant.limits import MAX_STATUS_CHARS
from sergeant.logs import log
from sergeant.service.config import GatewaySettings, TokenGrant
from sergeant.service.metrics import GatewayMetrics
from sergeant.service.registry import Malformed, Unparsed
from sergeant.task import Serializer

logger = logging.getLogger("sergeant.gateway")
T = TypeVar("T")
_DECODE_THREADS = 2
_RESERVATION_S = 10.0  # a call let in whose handler has not run by then (its client went away) no longer counts
Context = grpc.aio.ServicerContext[Any, Any]


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


class Admission:
    """Bounds the calls in progress and their request bytes, so that memory stays under a budget.

    A call is counted from the moment the interceptor lets it in (its request still to be received: a
    reservation) until its handler returns.  A reservation whose handler never ran (the client went away while
    sending) lapses after ``_RESERVATION_S``."""

    def __init__(self, max_requests: int, max_bytes: int) -> None:
        self._max_requests = max_requests
        self._max_bytes = max_bytes
        self.requests = 0  # handlers running
        self.bytes = 0  # their request bytes
        self._reserved: collections.deque[float] = collections.deque()  # when each waiting call was let in

    def _calls(self) -> int:
        expired = time.monotonic() - _RESERVATION_S
        while self._reserved and self._reserved[0] < expired:
            self._reserved.popleft()
        return self.requests + len(self._reserved)

    def reserve(self) -> bool:
        """Let a call in (True) unless the gateway is at a limit; its handler's ``admit`` takes the place over."""
        if self._calls() >= self._max_requests or self.bytes >= self._max_bytes:
            return False
        self._reserved.append(time.monotonic())
        return True

    def busy(self, op: str) -> LimitExceeded:
        return LimitExceeded(
            f"the gateway is busy: {self._calls()} calls with {self.bytes} request bytes in progress (limits "
            f"{self._max_requests} calls, {self._max_bytes} bytes); retry with backoff", op=op)

    @contextlib.contextmanager
    def admit(self, nbytes: int, op: str, calls: int = 1) -> Iterator[None]:
        """Hold ``calls`` calls (0: a message of a stream already admitted) and ``nbytes`` until the block ends.

        A message alone larger than the byte budget is admitted when nothing else is in flight; gRPC's message
        limit bounds it."""
        # Runs on the event loop only: no lock needed.
        if calls and self._reserved:
            self._reserved.popleft()
        elif self._calls() + calls > self._max_requests:
            raise self.busy(op)
        if self.bytes and self.bytes + nbytes > self._max_bytes:
            raise self.busy(op)
        self.requests += calls
        self.bytes += nbytes
        try:
            yield
        finally:
            self.requests -= calls
            self.bytes -= nbytes


class AdmissionInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]  # generic only in the stubs
    """Refuses a call that ``Admission`` would refuse before its request is read, so that a busy gateway does not
    receive (and hold) request bytes only to refuse them.

    The refusing handler is registered as client-streaming whatever the method is: grpcio reads a unary request
    before calling its handler, but hands a client-streaming one an iterator it need not read."""

    def __init__(self, admission: Admission, methods: frozenset[str]) -> None:
        self._admission = admission
        self._methods = methods  # full method names that Admission counts

    async def intercept_service(self, continuation: Callable[[Any], Any], details: Any) -> Any:
        if details.method in self._methods and not self._admission.reserve():
            return grpc.stream_unary_rpc_method_handler(self._refuse)
        return await continuation(details)

    async def _refuse(self, requests: Any, context: Context) -> None:
        error = self._admission.busy("gateway")
        log(logger, logging.INFO, "rpc.refused", code=error.code, error=error.describe())
        await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, error.describe())


class Gateway:
    """What servicers share: settings, the store and the thread pool that runs its (blocking) calls."""

    def __init__(self, settings: GatewaySettings, store: Any) -> None:
        self.settings = settings
        self.store = store
        self.admission = Admission(settings.max_requests, settings.max_inflight_bytes)
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

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._probe_pool.shutdown(wait=False, cancel_futures=True)
        self._decode_pool.shutdown(wait=False, cancel_futures=True)


async def abort(context: Context, op: str, exc: BaseException) -> None:
    if isinstance(exc, SergeantError):
        if not exc.op:
            exc.op = op
        code = grpc.StatusCode[exc.code]
        message = _cut(exc.describe())
        log(logger, logging.INFO, "rpc.refused", op=op, code=exc.code, error=message)
        await context.abort(code, message)
    log(logger, logging.ERROR, "rpc.crashed", op=op, exc_info=exc)
    await context.abort(grpc.StatusCode.INTERNAL, f"{op}: internal error ({type(exc).__name__}); see the gateway log")


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
    return len(request) if isinstance(request, Unparsed) else 0 if isinstance(request, Malformed) else \
        int(request.ByteSize())


async def _parsed(gateway: Gateway, request: Any, op: str, admitted: bool) -> Any:
    """The request, or for a client stream an iterator over it.

    With ``admitted``, each streamed message counts against the bytes in flight until the next is asked for."""
    if not hasattr(request, "__aiter__"):
        return await _message(gateway, request, op)

    async def checked() -> AsyncIterator[Any]:
        async for item in request:
            if not admitted:
                yield await _message(gateway, item, op)
                continue
            with gateway.admission.admit(_size(item), op, calls=0):
                yield await _message(gateway, item, op)

    return checked()


def _admitted(gateway: Gateway, request: Any, op: str) -> contextlib.AbstractContextManager[None]:
    """Unary and client-stream calls count against the gateway's admission limits; a stream's messages are
    counted one by one as they are read (``_parsed``)."""
    return gateway.admission.admit(0 if hasattr(request, "__aiter__") else _size(request), op)


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
                    async for reply in method(self, await _parsed(self.gateway, request, op, False), context,
                                              caller):
                        yield reply
                except (asyncio.CancelledError, grpc.aio.AbortError, GeneratorExit):
                    code = "CANCELLED"
                    raise
                except Exception as exc:
                    code = _code(exc)
                    await abort(context, op, exc)
                finally:
                    self.gateway.metrics.observe_rpc(op, code, time.perf_counter() - started)

            return stream

        @functools.wraps(method)
        async def unary(self: Any, request: Any, context: Context) -> Any:
            started, code = time.perf_counter(), "OK"
            try:
                with _admitted(self.gateway, request, op):  # first: it takes over the interceptor's reservation
                    caller = self.gateway.authenticate(context)
                    return await method(self, await _parsed(self.gateway, request, op, True), context, caller)
            except (asyncio.CancelledError, grpc.aio.AbortError):
                code = "CANCELLED"
                raise
            except Exception as exc:
                code = _code(exc)
                await abort(context, op, exc)
            finally:
                self.gateway.metrics.observe_rpc(op, code, time.perf_counter() - started)

        return unary

    return wrap
