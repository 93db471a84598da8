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
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import grpc

from sergeant.errors import InvalidArgument, PermissionDenied, SergeantError, Unauthenticated
from sergeant.logs import log
from sergeant.service.config import GatewaySettings, TokenGrant
from sergeant.service.registry import Malformed

logger = logging.getLogger("sergeant.gateway")
T = TypeVar("T")
Context = grpc.aio.ServicerContext[Any, Any]


class Caller:
    """The authenticated caller of one RPC."""

    def __init__(self, grant: TokenGrant | None) -> None:
        self.grant = grant  # None: authentication is off

    def check(self, role: str, queue: str) -> None:
        if self.grant is not None and not self.grant.allows(role, queue):
            raise PermissionDenied(
                f"token {self.grant.name!r} may not {role} on this queue; it has roles "
                f"{sorted(self.grant.roles)} on queues {sorted(self.grant.queues)}",
                queue=queue,
            )


class Gateway:
    """What servicers share: settings, the store and the thread pool that runs its (blocking) calls."""

    def __init__(self, settings: GatewaySettings, store: Any) -> None:
        self.settings = settings
        self.store = store
        self._pool = concurrent.futures.ThreadPoolExecutor(settings.store_threads, thread_name_prefix="store")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def authenticate(self, context: Context) -> Caller:
        if not self.settings.auth_enabled:
            return Caller(None)
        header = dict(context.invocation_metadata() or ()).get("authorization", "")
        scheme, _, token = str(header).partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("missing bearer token: send metadata 'authorization: Bearer <token>'")
        grant = self.settings.tokens.get(token.strip())
        if grant is None:
            raise Unauthenticated("unknown bearer token")
        return Caller(grant)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def abort(context: Context, op: str, exc: BaseException) -> None:
    if isinstance(exc, SergeantError):
        if not exc.op:
            exc.op = op
        code = grpc.StatusCode[exc.code]
        log(logger, logging.INFO, "rpc.refused", op=op, code=exc.code, error=exc.describe())
        await context.abort(code, exc.describe())
    log(logger, logging.ERROR, "rpc.crashed", op=op, exc_info=exc)
    await context.abort(grpc.StatusCode.INTERNAL, f"{op}: internal error ({type(exc).__name__}); see the gateway log")


def _parsed(request: Any, op: str) -> Any:
    """The request, or for a client stream an iterator over it, refusing corrupt messages."""
    if isinstance(request, Malformed):
        raise InvalidArgument(f"the request is not a valid {request.type_name}: {request.reason}", op=op)
    if hasattr(request, "__aiter__"):
        async def checked() -> AsyncIterator[Any]:
            async for item in request:
                yield _parsed(item, op)

        return checked()
    return request


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
                return await method(self, _parsed(request, op), context, caller)
            except (asyncio.CancelledError, grpc.aio.AbortError):
                raise
            except Exception as exc:
                await abort(context, op, exc)

        return unary

    return wrap
