"""The one place that turns errors into gRPC statuses, checks bearer tokens, and runs store calls.

Every servicer method is wrapped by ``rpc``: it authenticates the caller, hands
it a ``Caller`` to check per-queue rights, and maps ``SergeantError`` (and
anything unexpected) to a status with a message that says what to do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import inspect
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import grpc

from sergeant.errors import InvalidArgument, LimitExceeded, PermissionDenied, SergeantError, Unauthenticated
from sergeant.limits import MAX_STATUS_CHARS
from sergeant.logs import log
from sergeant.service.config import GatewaySettings, TokenGrant
from sergeant.service.registry import Malformed
from sergeant.task import Serializer

logger = logging.getLogger("sergeant.gateway")
T = TypeVar("T")
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
    """Bounds the calls in progress and their request bytes, so that memory stays under a budget."""

    def __init__(self, max_requests: int, max_bytes: int) -> None:
        self._max_requests = max_requests
        self._max_bytes = max_bytes
        self.requests = 0
        self.bytes = 0

    @contextlib.contextmanager
    def admit(self, nbytes: int, op: str, calls: int = 1) -> Iterator[None]:
        """Hold ``calls`` calls (0: a message of a stream already admitted) and ``nbytes`` until the block ends.

        A message alone larger than the byte budget is admitted when nothing else is in flight; gRPC's message
        limit bounds it."""
        # Runs on the event loop only: no lock needed.
        if self.requests + calls > self._max_requests or (self.bytes and self.bytes + nbytes > self._max_bytes):
            raise LimitExceeded(
                f"the gateway is busy: {self.requests} calls with {self.bytes} request bytes in progress (limits "
                f"{self._max_requests} calls, {self._max_bytes} bytes); retry with backoff", op=op)
        self.requests += calls
        self.bytes += nbytes
        try:
            yield
        finally:
            self.requests -= calls
            self.bytes -= nbytes


class Gateway:
    """What servicers share: settings, the store and the thread pool that runs its (blocking) calls."""

    def __init__(self, settings: GatewaySettings, store: Any) -> None:
        self.settings = settings
        self.store = store
        self.admission = Admission(settings.max_requests, settings.max_inflight_bytes)
        self._pool = concurrent.futures.ThreadPoolExecutor(settings.store_threads, thread_name_prefix="store")
        # The health probe's own thread: a probe queued behind a saturated pool would report a healthy store down.
        self._probe_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="probe")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    async def probe(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._probe_pool, fn)

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


def _parsed(request: Any, op: str, admission: Admission | None = None) -> Any:
    """The request, or for a client stream an iterator over it, refusing corrupt messages.

    With ``admission``, each streamed message counts against the bytes in flight until the next is asked for."""
    if isinstance(request, Malformed):
        raise InvalidArgument(f"the request is not a valid {request.type_name}: {request.reason}", op=op)
    if hasattr(request, "__aiter__"):
        async def checked() -> AsyncIterator[Any]:
            async for item in request:
                item = _parsed(item, op)
                if admission is None:
                    yield item
                    continue
                with admission.admit(item.ByteSize(), op, calls=0):
                    yield item

        return checked()
    return request


def _admitted(gateway: Gateway, request: Any, op: str) -> contextlib.AbstractContextManager[None]:
    """Unary and client-stream calls count against the gateway's admission limits; a stream's messages are
    counted one by one as they are read (``_parsed``)."""
    if isinstance(request, Malformed):
        return contextlib.nullcontext()
    nbytes = 0 if hasattr(request, "__aiter__") else request.ByteSize()
    return gateway.admission.admit(nbytes, op)


def rpc(op: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a servicer method (unary, or an async generator for server streams)."""

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isasyncgenfunction(method):
            @functools.wraps(method)
            async def stream(self: Any, request: Any, context: Context) -> AsyncIterator[Any]:
                try:
                    caller = self.gateway.authenticate(context)
                    async for reply in method(self, _parsed(request, op), context, caller):
                        yield reply
                except (asyncio.CancelledError, grpc.aio.AbortError):
                    raise
                except Exception as exc:
                    await abort(context, op, exc)

            return stream

        @functools.wraps(method)
        async def unary(self: Any, request: Any, context: Context) -> Any:
            try:
                caller = self.gateway.authenticate(context)
                with _admitted(self.gateway, request, op):
                    return await method(self, _parsed(request, op, self.gateway.admission), context, caller)
            except (asyncio.CancelledError, grpc.aio.AbortError):
                raise
            except Exception as exc:
                await abort(context, op, exc)

        return unary

    return wrap
