"""The asyncio client: the same calls as ``Client``, awaitable."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

import grpc

from sergeant.client.common import (
    ClientError,
    Event,
    TaskFailed,
    TaskStatus,
    client_error,
    credentials,
    event_from_pb,
    metadata,
    outcome,
    push_request,
    status_from_pb,
    submit_error,
    task_message,
)
from sergeant.client.sync import channel_options
from sergeant.task import new_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc

__all__ = ["AsyncClient", "TaskFailed"]


class AsyncClient:
    def __init__(self, address: str = "127.0.0.1:50051", *, token: str | None = None, tls: bool | bytes = False,
                 timeout_s: float = 30.0, max_message_bytes: int = 16 << 20) -> None:
        creds = credentials(tls)
        options = channel_options(max_message_bytes)
        self._channel = (grpc.aio.secure_channel(address, creds, options) if creds
                         else grpc.aio.insecure_channel(address, options))
        self._stub = producer_pb2_grpc.ProducerStub(self._channel)
        self._metadata = metadata(token)
        self.timeout_s = timeout_s

    async def _call(self, method: Any, request: Any) -> Any:
        try:
            return await method(request, timeout=self.timeout_s, metadata=self._metadata)
        except grpc.RpcError as exc:
            raise client_error(exc) from None

    async def push(self, queue: str, kwargs: Mapping[str, Any], **options: Any) -> str:
        return (await self.push_many(queue, [kwargs], **options))[0]

    async def push_many(self, queue: str, many: Sequence[Mapping[str, Any]], **options: Any) -> list[str]:
        request = push_request(queue, many, options)
        for task in request.tasks:
            task.id = task.id or new_task_id()
        return [t.id for t in (await self._call(self._stub.Push, request)).tasks]

    async def submit(self, queue: str, kwargs: Mapping[str, Any], *,
                     on_progress: Callable[[Event], None] | None = None, timeout_s: float | None = None,
                     **options: Any) -> Any:
        """Push one task and wait for its result (raises TaskFailed when it dies or is cancelled, ClientError
        DEADLINE_EXCEEDED naming the task after ``timeout_s``)."""
        task = task_message(queue, kwargs, **options)
        task.id = task.id or new_task_id()
        stream = self._stub.Submit(producer_pb2.SubmitRequest(task=task, progress=on_progress is not None),
                                   timeout=timeout_s, metadata=self._metadata)
        events: list[Event] = []
        try:
            async for message in stream:
                event = event_from_pb(message)
                events.append(event)
                if event.kind == "progress" and on_progress is not None:
                    on_progress(event)
                if event.terminal:
                    return outcome(event)
        except grpc.RpcError as exc:
            raise submit_error(exc, queue, task.id, timeout_s, events) from None
        raise ClientError(grpc.StatusCode.UNKNOWN, "the event stream ended early")

    async def watch(self, queue: str, task_ids: Sequence[str] = (), *, progress: bool = False) -> AsyncIterator[Event]:
        stream = self._stub.Watch(producer_pb2.WatchRequest(queue=queue, task_ids=list(task_ids), progress=progress),
                                  metadata=self._metadata)
        try:
            async for message in stream:
                yield event_from_pb(message)
        except grpc.RpcError as exc:
            raise client_error(exc) from None

    async def get(self, queue: str, task_id: str) -> TaskStatus:
        reply = await self._call(self._stub.GetTask, producer_pb2.GetTaskRequest(queue=queue, task_id=task_id))
        return status_from_pb(task_id, reply)

    async def cancel(self, queue: str, task_id: str) -> str:
        reply = await self._call(self._stub.Cancel, producer_pb2.CancelRequest(queue=queue, task_id=task_id))
        return str(producer_pb2.CancelOutcome.Name(reply.outcome)).removeprefix("CANCEL_OUTCOME_").lower()

    async def close(self) -> None:
        await self._channel.close(None)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
