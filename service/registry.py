"""Register servicers with request parsing that reports corrupt bytes as INVALID_ARGUMENT.

grpcio turns a deserializer exception into UNKNOWN before any handler runs; here
a corrupt message becomes a ``Malformed`` value that ``rpc`` refuses with a
status that says what was wrong.  grpcio parses requests on the event loop, so
a large request is left ``Unparsed`` here and parsed in a thread by ``rpc``:
a burst of big pushes does not stall health checks and small calls.  The stock services (health, reflection) get
the same treatment through ``add_stock_service``, which refuses a ``Malformed``
request before their code sees it.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
from google.protobuf import message, message_factory
from google.protobuf.descriptor import ServiceDescriptor

_HANDLER_FACTORIES = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}


@dataclasses.dataclass(frozen=True, slots=True)
class Malformed:
    type_name: str
    reason: str


INLINE_PARSE_BYTES = 64 << 10  # requests up to this size are parsed where they arrive, on the event loop


@dataclasses.dataclass(frozen=True, slots=True)
class Unparsed:
    """A large request, to be parsed off the event loop: ``parse()`` gives the message or ``Malformed``."""

    cls: Any
    data: bytes

    def parse(self) -> Any:
        return _parse(self.cls, self.data)

    def __len__(self) -> int:
        return len(self.data)


def _parse(cls: Any, data: bytes) -> Any:
    try:
        return cls.FromString(data)
    except message.DecodeError as exc:
        return Malformed(cls.DESCRIPTOR.full_name, str(exc))


def _lenient(cls: Any) -> Callable[[bytes], Any]:
    return lambda data: _parse(cls, data)


def _deferred(cls: Any) -> Callable[[bytes], Any]:
    return lambda data: _parse(cls, data) if len(data) <= INLINE_PARSE_BYTES else Unparsed(cls, data)


def add_service(server: grpc.aio.Server, servicer: object, service: ServiceDescriptor) -> None:
    """Register one of our servicers, whose methods (wrapped by ``rpc``) parse ``Unparsed`` and refuse
    ``Malformed`` themselves."""
    _register(server, service, lambda method: getattr(servicer, method.name), _deferred)


def add_stock_service(server: grpc.aio.Server, servicer: object, service: ServiceDescriptor) -> None:
    """Register a servicer we did not write; corrupt requests get INVALID_ARGUMENT before it runs."""
    _register(server, service, lambda method: _guarded(getattr(servicer, method.name), method.client_streaming),
              _lenient)


async def _refuse(context: grpc.aio.ServicerContext[Any, Any], request: Malformed) -> None:
    await context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                        f"the request is not a valid {request.type_name}: {request.reason}")


def _guarded(method: Callable[..., Any], client_streaming: bool) -> Callable[..., Any]:
    async def each(requests: AsyncIterator[Any], context: grpc.aio.ServicerContext[Any, Any]) -> AsyncIterator[Any]:
        async for request in requests:
            if isinstance(request, Malformed):
                await _refuse(context, request)
            yield request

    async def checked(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        if client_streaming:
            return each(request, context)
        if isinstance(request, Malformed):
            await _refuse(context, request)
        return request

    if inspect.isasyncgenfunction(method):
        async def stream(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> AsyncIterator[Any]:
            async for reply in method(await checked(request, context), context):
                yield reply

        return stream

    async def call(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        return await method(await checked(request, context), context)

    return call


def _register(server: grpc.aio.Server, service: ServiceDescriptor, handler_of: Callable[[Any], Any],
              parser: Callable[[Any], Callable[[bytes], Any]]) -> None:
    handlers = {}
    for method in service.methods:
        request = message_factory.GetMessageClass(method.input_type)
        response = message_factory.GetMessageClass(method.output_type)
        factory: Any = _HANDLER_FACTORIES[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = factory(handler_of(method), request_deserializer=parser(request),
                                        response_serializer=response.SerializeToString)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service.full_name, handlers),))
    server.add_registered_method_handlers(service.full_name, handlers)  # type: ignore[attr-defined]
