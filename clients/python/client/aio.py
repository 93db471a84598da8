"""The asyncio client: the same calls as ``Client``, awaitable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

import grpc

from sergeant.client.coalesce import AsyncCoalescer
from sergeant.client.common import (
    BATCH,
    IN_FLIGHT,
    LINGER_S,
    ClientError,
    Event,
    TaskFailed,
    TaskStatus,
    answered,
    client_error,
    credentials,
    event_from_pb,
    joined,
    metadata,
    outcome,
    packed_options,
    packed_request,
    status_from_pb,
    submit_error,
    task_ids,
    task_message,
)
from sergeant.client.retry import Attempts
from sergeant.client.sync import channel_options, channel_target
from sergeant.packed import pack_batch, pack_record
from sergeant.task import new_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc

__all__ = ["AsyncClient", "TaskFailed"]


class AsyncClient:
    """The asyncio client; use it from one event loop. The options are ``Client``'s."""

    def __init__(self, address: str | Sequence[str] = "127.0.0.1:50051", *, token: str | None = None,
                 tls: bool | bytes = False, timeout_s: float = 30.0, max_message_bytes: int = 16 << 20,
                 linger_s: float = LINGER_S, batch_size: int = BATCH, in_flight: int = IN_FLIGHT,
                 round_robin: bool | None = None) -> None:
        creds = credentials(tls)
        target, balanced = channel_target(address, round_robin)
        options = channel_options(max_message_bytes, balanced)
        self._channel = (grpc.aio.secure_channel(target, creds, options) if creds
                         else grpc.aio.insecure_channel(target, options))
        self._stub = producer_pb2_grpc.ProducerStub(self._channel)
        self._metadata = metadata(token)
        self.timeout_s = timeout_s
        self.batch_size, self.in_flight = batch_size, in_flight
        self._coalescer = AsyncCoalescer(self._send_records, linger_s, batch_size)

    async def _call(self, method: Any, request: Any) -> Any:
        """A unary call, retried within its deadline (see ``retry``)."""
        attempts = Attempts(self.timeout_s)
        while True:
            try:
                return await method(request, timeout=attempts.timeout(), metadata=self._metadata)
            except grpc.RpcError as exc:
                await asyncio.sleep(attempts.pause(exc))

    async def _stream(self, method: Any, request: Any, timeout_s: float | None) -> AsyncIterator[Any]:
        """A server stream's messages; opened again (within ``timeout_s``) while it fails before its first one."""
        attempts = Attempts(timeout_s)
        while True:
            received = False
            try:
                async for message in method(request, timeout=attempts.timeout(), metadata=self._metadata):
                    received = True
                    yield message
                return
            except grpc.RpcError as exc:
                if received:
                    raise client_error(exc) from None
                await asyncio.sleep(attempts.pause(exc))

    async def push(self, queue: str, kwargs: Mapping[str, Any], *, task_id: str = "", want_result: bool = False,
                   **options: Any) -> str:
        """Push one task; concurrent pushes of other coroutines share Pushes (see ``Client``)."""
        task_id = task_id or new_task_id()
        record = pack_record(packed_options(**options).record(task_id, kwargs))
        return await self._coalescer.push(queue, want_result, task_id, record)

    async def _send_records(self, queue: str, want_results: bool, ids: list[str], records: list[bytes]) -> list[str]:
        try:
            reply = await self._call(self._stub.Push, packed_request(queue, joined(records), want_results))
        except ClientError as exc:
            raise ClientError(exc.code, exc.details, ids) from None
        answer = list(ids)
        answered(answer, 0, reply)
        return answer

    async def push_many(self, queue: str, many: Sequence[Mapping[str, Any]], *, ids: Sequence[str] | None = None,
                        want_results: bool = False, **options: Any) -> list[str]:
        """As ``Client.push_many``: retry a failure with ``ids=error.ids`` and nothing is stored twice."""
        ids = task_ids(len(many), ids)
        answer = list(ids)
        fields = packed_options(**options)
        slots = asyncio.Semaphore(self.in_flight)

        async def one(start: int) -> None:
            async with slots:
                end = min(start + self.batch_size, len(many))
                tasks = pack_batch(fields.records(ids[start:end], many[start:end]))
                answered(answer, start, await self._call(self._stub.Push, packed_request(queue, tasks, want_results)))

        try:
            async with asyncio.TaskGroup() as group:
                for start in range(0, len(many), self.batch_size):
                    group.create_task(one(start))
        except ExceptionGroup as failed:  # the first failure stands for all: an EncodingError, or a ClientError
            first = failed.exceptions[0]
            if isinstance(first, ClientError):
                raise ClientError(first.code, first.details, ids) from None
            raise first from None
        return answer

    async def submit(self, queue: str, kwargs: Mapping[str, Any], *,
                     on_progress: Callable[[Event], None] | None = None, timeout_s: float | None = None,
                     **options: Any) -> Any:
        """Push one task and wait for its result (raises TaskFailed when it dies or is cancelled, ClientError
        DEADLINE_EXCEEDED naming the task after ``timeout_s``)."""
        task = task_message(queue, kwargs, **options)
        task.id = task.id or new_task_id()  # made here, so that a Submit retried after UNAVAILABLE follows one task
        request = producer_pb2.SubmitRequest(task=task, progress=on_progress is not None)
        events: list[Event] = []
        try:
            async for message in self._stream(self._stub.Submit, request, timeout_s):
                event = event_from_pb(message)
                events.append(event)
                if event.kind == "progress" and on_progress is not None:
                    on_progress(event)
                if event.terminal:
                    return outcome(event)
        except ClientError as exc:
            raise submit_error(exc, queue, task.id, timeout_s, events) from None
        raise ClientError(grpc.StatusCode.UNKNOWN, "the event stream ended early")

    async def watch(self, queue: str, task_ids: Sequence[str] = (), *, progress: bool = False) -> AsyncIterator[Event]:
        request = producer_pb2.WatchRequest(queue=queue, task_ids=list(task_ids), progress=progress)
        async for message in self._stream(self._stub.Watch, request, None):
            yield event_from_pb(message)

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
