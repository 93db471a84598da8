"""Register servicers with request parsing that reports corrupt bytes as INVALID_ARGUMENT.

grpcio turns a deserializer exception into UNKNOWN before any handler runs; here
a corrupt message becomes a ``Malformed`` value that ``rpc`` refuses with a
status that says what was wrong.  The stock services (health, reflection) get
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


def _lenient(cls: Any) -> Callable[[bytes], Any]:
    def parse(data: bytes) -> Any:
        try:
            return cls.FromString(data)
        except message.DecodeError as exc:
            return Malformed(cls.DESCRIPTOR.full_name, str(exc))

    return parse


def add_service(server: grpc.aio.Server, servicer: object, service: ServiceDescriptor) -> None:
    """Register one of our servicers, whose methods (wrapped by ``rpc``) refuse ``Malformed`` themselves."""
    _register(server, service, lambda method: getattr(servicer, method.name))


def add_stock_service(server: grpc.aio.Server, servicer: object, service: ServiceDescriptor) -> None:
    """Register a servicer we did not write; corrupt requests get INVALID_ARGUMENT before it runs."""
    _register(server, service, lambda method: _guarded(getattr(servicer, method.name), method.client_streaming))


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


def _register(server: grpc.aio.Server, service: ServiceDescriptor, handler_of: Callable[[Any], Any]) -> None:
    handlers = {}
    for method in service.methods:
        request = message_factory.GetMessageClass(method.input_type)
        response = message_factory.GetMessageClass(method.output_type)
        factory: Any = _HANDLER_FACTORIES[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = factory(handler_of(method), request_deserializer=_lenient(request),
                                        response_serializer=response.SerializeToString)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service.full_name, handlers),))
    server.add_registered_method_handlers(service.full_name, handlers)  # type: ignore[attr-defined]
