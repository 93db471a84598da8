"""The Operations calls (queue counts, pause, workers, dead letters), sync and asyncio. They need the admin role.

    from sergeant.client import Operations

    with Operations("127.0.0.1:50051", token=admin_token) as ops:
        for queue in ops.queues():
            print(queue.name, queue.ready, queue.dead)
        ops.replay_dead_letters("emails")
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sergeant.client.aio import AsyncClient
from sergeant.client.sync import Client
from sergeant.encoder import decode
from sergeant.errors import SergeantError
from sergeant.task import Compressor, Serializer
from sergeant.v1 import operations_pb2 as ops
from sergeant.v1 import operations_pb2_grpc, task_pb2

__all__ = ["AsyncOperations", "DeadLetter", "GatewayVersion", "Operations", "QueueInfo", "WorkerInfo"]


@dataclasses.dataclass(frozen=True, slots=True)
class GatewayVersion:
    version: str
    protocol: str  # "sergeant.v1"
    store: str  # "redis", "mongodb" or "sqlite"
    features: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class QueueInfo:
    name: str
    ready: int
    delayed: int
    leased: int
    dead: int
    paused: bool


@dataclasses.dataclass(frozen=True, slots=True)
class WorkerInfo:
    worker_id: str
    queue: str
    pid: int
    host: str
    executor: str
    concurrency: int
    in_flight: int
    rss_bytes: int
    tasks_done: int
    last_heartbeat: float  # unix s
    current_tasks: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class DeadLetter:
    task_id: str
    queue: str
    kwargs: Any  # decoded from msgpack; the raw bytes when they are pickled (never unpickled here) or undecodable
    attempt: int
    max_attempts: int
    error: tuple[str, str, str] | None  # (type, message, traceback)
    died_at: float  # unix s


def _kwargs(task: task_pb2.Task) -> Any:
    if task.serializer == task_pb2.SERIALIZER_PICKLE:
        return task.kwargs
    try:
        return decode(task.kwargs, Serializer.MSGPACK, Compressor(
            task_pb2.Compressor.Name(task.compressor or task_pb2.COMPRESSOR_NONE).removeprefix("COMPRESSOR_").lower()))
    except (SergeantError, ValueError):
        return task.kwargs


def _queue(m: ops.QueueInfo) -> QueueInfo:
    return QueueInfo(m.name, m.ready, m.delayed, m.leased, m.dead, m.paused)


def _worker(m: ops.WorkerInfo) -> WorkerInfo:
    return WorkerInfo(m.worker_id, m.queue, m.pid, m.host, m.executor, m.concurrency, m.in_flight, m.rss_bytes,
                      m.tasks_done, m.last_heartbeat_unix_s, tuple(m.current_tasks))


def _dead_letter(m: ops.DeadLetter) -> DeadLetter:
    error = (m.error.type, m.error.message, m.error.traceback) if m.HasField("error") else None
    return DeadLetter(m.task.id, m.task.queue, _kwargs(m.task), m.task.attempt, m.task.max_attempts, error,
                      m.died_at_unix_s)


def _version(m: ops.GetVersionResponse) -> GatewayVersion:
    return GatewayVersion(m.version, m.protocol, m.store, tuple(m.features))


class Operations:
    """The blocking Operations client; it takes the same connection settings as ``Client``."""

    def __init__(self, address: str = "127.0.0.1:50051", *, token: str | None = None, tls: bool | bytes = False,
                 timeout_s: float = 30.0, max_message_bytes: int = 16 << 20) -> None:
        self.client = Client(address, token=token, tls=tls, timeout_s=timeout_s, max_message_bytes=max_message_bytes)
        """The producer's calls (get, cancel, push, ...) over the same connection."""
        self._stub = operations_pb2_grpc.OperationsStub(self.client._channel)
        self._call = self.client._call

    def version(self) -> GatewayVersion:
        return _version(self._call(self._stub.GetVersion, ops.GetVersionRequest()))

    def queues(self) -> list[QueueInfo]:
        """Every queue with its counts (ready, delayed, leased, dead) and whether it is paused."""
        return [_queue(q) for q in self._call(self._stub.ListQueues, ops.ListQueuesRequest()).queues]

    def pause(self, queue: str) -> None:
        """Workers lease nothing from a paused queue; pushes are still accepted."""
        self._call(self._stub.PauseQueue, ops.PauseQueueRequest(queue=queue))

    def resume(self, queue: str) -> None:
        self._call(self._stub.ResumeQueue, ops.ResumeQueueRequest(queue=queue))

    def purge(self, queue: str) -> int:
        """Drop every ready and delayed task of ``queue``; returns how many."""
        return int(self._call(self._stub.PurgeQueue, ops.PurgeQueueRequest(queue=queue)).purged)

    def workers(self, queue: str = "") -> list[WorkerInfo]:
        """Connected worker processes (of one queue, or all)."""
        return [_worker(w) for w in self._call(self._stub.ListWorkers, ops.ListWorkersRequest(queue=queue)).workers]

    def dead_letters(self, queue: str, *, limit: int = 100, offset: int = 0) -> list[DeadLetter]:
        reply = self._call(self._stub.ListDeadLetters, ops.ListDeadLettersRequest(queue=queue, limit=limit, offset=offset))
        return [_dead_letter(d) for d in reply.dead_letters]

    def replay_dead_letters(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        """Move dead letters (all of the queue's when ``task_ids`` is empty) back to their queue; returns how many."""
        request = ops.ReplayDeadLettersRequest(queue=queue, task_ids=list(task_ids))
        return int(self._call(self._stub.ReplayDeadLetters, request).replayed)

    def purge_dead_letters(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        """Delete dead letters (all of the queue's when ``task_ids`` is empty); returns how many."""
        request = ops.PurgeDeadLettersRequest(queue=queue, task_ids=list(task_ids))
        return int(self._call(self._stub.PurgeDeadLetters, request).purged)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Operations:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncOperations:
    """The asyncio Operations client: the same calls as ``Operations``, awaitable."""

    def __init__(self, address: str = "127.0.0.1:50051", *, token: str | None = None, tls: bool | bytes = False,
                 timeout_s: float = 30.0, max_message_bytes: int = 16 << 20) -> None:
        self.client = AsyncClient(address, token=token, tls=tls, timeout_s=timeout_s,
                                  max_message_bytes=max_message_bytes)
        """The producer's calls (get, cancel, push, ...) over the same connection."""
        self._stub = operations_pb2_grpc.OperationsStub(self.client._channel)
        self._call = self.client._call

    async def version(self) -> GatewayVersion:
        return _version(await self._call(self._stub.GetVersion, ops.GetVersionRequest()))

    async def queues(self) -> list[QueueInfo]:
        return [_queue(q) for q in (await self._call(self._stub.ListQueues, ops.ListQueuesRequest())).queues]

    async def pause(self, queue: str) -> None:
        await self._call(self._stub.PauseQueue, ops.PauseQueueRequest(queue=queue))

    async def resume(self, queue: str) -> None:
        await self._call(self._stub.ResumeQueue, ops.ResumeQueueRequest(queue=queue))

    async def purge(self, queue: str) -> int:
        return int((await self._call(self._stub.PurgeQueue, ops.PurgeQueueRequest(queue=queue))).purged)

    async def workers(self, queue: str = "") -> list[WorkerInfo]:
        reply = await self._call(self._stub.ListWorkers, ops.ListWorkersRequest(queue=queue))
        return [_worker(w) for w in reply.workers]

    async def dead_letters(self, queue: str, *, limit: int = 100, offset: int = 0) -> list[DeadLetter]:
        reply = await self._call(self._stub.ListDeadLetters,
                                 ops.ListDeadLettersRequest(queue=queue, limit=limit, offset=offset))
        return [_dead_letter(d) for d in reply.dead_letters]

    async def replay_dead_letters(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        request = ops.ReplayDeadLettersRequest(queue=queue, task_ids=list(task_ids))
        return int((await self._call(self._stub.ReplayDeadLetters, request)).replayed)

    async def purge_dead_letters(self, queue: str, task_ids: Sequence[str] = ()) -> int:
        request = ops.PurgeDeadLettersRequest(queue=queue, task_ids=list(task_ids))
        return int((await self._call(self._stub.PurgeDeadLetters, request)).purged)

    async def close(self) -> None:
        await self.client.close()

    async def __aenter__(self) -> AsyncOperations:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
