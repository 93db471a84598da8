"""The Workers service: one bidirectional session per worker process.

Connection states: AWAITING_HELLO -> ACTIVE -> (GOODBYE | LOST).  A session
that ends without a goodbye, or goes quiet for longer than the heartbeat
timeout, is LOST: once the timeout has passed with no newer heartbeat from that
worker (it may have reconnected to another gateway), its leases are released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from sergeant.errors import InvalidArgument, TimedOut
from sergeant.limits import MAX_RESULT_BYTES, MAX_WORKER_ID_CHARS
from sergeant.logs import log
from sergeant.service import convert
from sergeant.service.config import Role
from sergeant.service.events import EventHub
from sergeant.service.rpc import Caller, Context, Gateway, rpc
from sergeant.service.store_check import check_worker_store
from sergeant.store.base import Ack, Disposition, Failure, Release, WorkerRecord, lease_owner
from sergeant.task import EventKind, TaskError, finite_non_negative, short_text, validate_queue_name
from sergeant.v1 import worker_pb2, worker_pb2_grpc

logger = logging.getLogger("sergeant.gateway.workers")
K = worker_pb2


class _Session:
    def __init__(self, hello: worker_pb2.Hello) -> None:
        self.hello = hello
        self.outbox: asyncio.Queue[worker_pb2.GatewayMessage | None] = asyncio.Queue()
        self.heartbeat = worker_pb2.Heartbeat()
        self.said_goodbye = False

    def record(self) -> WorkerRecord:
        h, b = self.hello, self.heartbeat
        return WorkerRecord(
            worker_id=h.worker_id, queue=h.queue, pid=h.pid, host=h.host, executor=h.executor,
            concurrency=h.concurrency, in_flight=b.in_flight, rss_bytes=b.rss_bytes, tasks_done=b.tasks_done,
            last_heartbeat=time.time(), current_tasks=tuple(b.current_tasks),
        )


class WorkersService(worker_pb2_grpc.WorkersServicer):
    def __init__(self, gateway: Gateway, hub: EventHub) -> None:
        self.gateway = gateway
        self.hub = hub
        self.sessions: dict[str, _Session] = {}
        self._background: set[asyncio.Task[Any]] = set()

    @rpc("Workers.Session")
    async def Session(self, requests: AsyncIterator[worker_pb2.WorkerMessage], context: Context,
                      caller: Caller) -> AsyncIterator[worker_pb2.GatewayMessage]:
        settings = self.gateway.settings
        try:
            first = await asyncio.wait_for(anext(aiter(requests), None), settings.hello_timeout_s)
        except TimeoutError:
            raise TimedOut(f"no hello within {settings.hello_timeout_s} s of opening the session",
                           op="Workers.Session") from None
        if first is None or first.WhichOneof("body") != "hello":
            raise InvalidArgument("the first message of a worker session must be hello", op="Workers.Session")
        hello = first.hello
        validate_queue_name(hello.queue, op="Workers.Session")
        caller.check(Role.CONSUME, hello.queue)
        if not hello.worker_id:
            raise InvalidArgument("hello.worker_id is required (it prefixes the worker's lease ids)",
                                  op="Workers.Session", queue=hello.queue)
        short_text(hello.worker_id, "hello.worker_id", limit=MAX_WORKER_ID_CHARS, op="Workers.Session",
                   queue=hello.queue)
        check_worker_store(hello, self.gateway.store.identity())
        session = self.sessions[hello.worker_id] = _Session(hello)
        await self.gateway.call(self.gateway.store.heartbeat_worker, session.record(), settings.heartbeat_timeout_s)
        log(logger, logging.INFO, "worker.connected", worker=hello.worker_id, queue=hello.queue, pid=hello.pid)
        reader = asyncio.create_task(self._read(requests, session, caller))
        following = asyncio.Event()
        cancels = asyncio.create_task(self._forward_cancels(session, following))
        try:
            await following.wait()  # a welcomed worker hears of every cancel asked after (a cluster takes a round trip)
            yield K.GatewayMessage(welcome=K.Welcome(session_id=hello.worker_id,
                                                     heartbeat_interval_s=settings.heartbeat_interval_s))
            while (message := await session.outbox.get()) is not None:
                yield message
            await asyncio.wait({reader})
            if (error := reader.exception()) is not None:
                raise error
        finally:
            reader.cancel()
            cancels.cancel()
            if self.sessions.get(hello.worker_id) is session:
                del self.sessions[hello.worker_id]
            self._spawn(self._after_disconnect(session))

    async def _read(self, requests: AsyncIterator[worker_pb2.WorkerMessage], session: _Session,
                    caller: Caller) -> None:
        timeout = self.gateway.settings.heartbeat_timeout_s
        try:
            while True:
                try:
                    message = await asyncio.wait_for(anext(requests), timeout)
                except (TimeoutError, StopAsyncIteration):
                    return
                kind = message.WhichOneof("body")
                if kind == "outcomes":
                    await session.outbox.put(await self._settle(session, message.outcomes, caller))
                elif kind == "heartbeat":
                    session.heartbeat = message.heartbeat
                    await self.gateway.call(self.gateway.store.heartbeat_worker, session.record(), timeout)
                elif kind == "progress":
                    queue = validate_queue_name(message.progress.queue or session.hello.queue, op="Workers.progress")
                    caller.check(Role.CONSUME, queue)  # every message, not just hello: no forged events
                    limit = self.gateway.settings.max_payload_bytes
                    events = [convert.event_from_progress(queue, u, limit) for u in message.progress.updates]
                    await self.gateway.call(self.gateway.store.publish, events)
                elif kind == "goodbye":
                    session.said_goodbye = True
                    return
        finally:
            await session.outbox.put(None)

    async def _settle(self, session: _Session, batch: worker_pb2.OutcomeBatch,
                      caller: Caller) -> worker_pb2.GatewayMessage:
        queue = validate_queue_name(batch.queue or session.hello.queue, op="Workers.outcomes")
        caller.check(Role.CONSUME, queue)
        owner = session.hello.worker_id
        store = self.gateway.store
        acks: list[tuple[int, Ack]] = []
        failures: list[tuple[int, Failure]] = []
        releases: list[tuple[int, Release]] = []
        for n, o in enumerate(batch.outcomes):
            _check_outcome(n, o, queue)
            if lease_owner(o.lease_id) != owner:
                continue  # another worker's lease: LEASE_LOST, the store untouched
            if o.kind == K.OUTCOME_KIND_SUCCEEDED:
                acks.append((n, Ack(o.task_id, o.lease_id, o.result or None)))
            elif o.kind == K.OUTCOME_KIND_CANCELLED:
                error = convert.error_from_pb(o.error, "TaskCancelled") if o.HasField("error") else \
                    TaskError("TaskCancelled", "cancelled while it ran")
                acks.append((n, Ack(o.task_id, o.lease_id, cancelled=error)))
            elif o.kind == K.OUTCOME_KIND_REQUEUE:
                releases.append((n, Release(o.task_id, o.lease_id, delay_s=o.delay_s)))
            elif o.kind in (K.OUTCOME_KIND_FAILED, K.OUTCOME_KIND_TIMED_OUT, K.OUTCOME_KIND_RETRY,
                            K.OUTCOME_KIND_DEAD):
                default = "WorkerTimedout" if o.kind == K.OUTCOME_KIND_TIMED_OUT else "TaskFailed"
                error = convert.error_from_pb(o.error, default) if o.HasField("error") else TaskError(default, "")
                delay = o.delay_s if o.kind == K.OUTCOME_KIND_RETRY and o.delay_s > 0 else None
                failures.append((n, Failure(o.task_id, o.lease_id, error, retry=o.kind != K.OUTCOME_KIND_DEAD,
                                            delay_s=delay)))
        dispositions = [Disposition.LEASE_LOST] * len(batch.outcomes)
        for items, method in ((acks, store.ack), (failures, store.fail), (releases, store.release)):
            if items:
                for (n, _), d in zip(items, await self.gateway.call(method, queue, [i for _, i in items]), strict=True):
                    dispositions[n] = d
        self.gateway.metrics.settled(queue, [(o.kind, d) for o, d in zip(batch.outcomes, dispositions, strict=True)])
        return K.GatewayMessage(outcome_ack=K.OutcomeAck(
            sequence=batch.sequence, dispositions=[convert.DISPOSITION_PB[d] for d in dispositions]))  # type: ignore[misc]

    async def _forward_cancels(self, session: _Session, following: asyncio.Event) -> None:
        """Tell the worker about cancel requests for its queue; it ignores ids it does not hold."""
        try:
            async with self.hub.watching(session.hello.queue, None, progress=False) as watcher:
                following.set()
                while True:
                    event = await watcher.next()
                    if event is not None and event.kind is EventKind.CANCEL_REQUESTED:
                        await session.outbox.put(
                            K.GatewayMessage(command=K.Command(cancel=K.CancelTask(task_id=event.task_id))))
        finally:
            following.set()  # the watch failed (the store is down): the session goes on without cancels, as before

    async def _after_disconnect(self, session: _Session) -> None:
        worker_id = session.hello.worker_id
        store = self.gateway.store
        if session.said_goodbye:
            await self.gateway.call(store.remove_worker, worker_id)
            log(logger, logging.INFO, "worker.left", worker=worker_id)
            return
        lost_at = time.time()
        log(logger, logging.WARNING, "worker.lost", worker=worker_id, queue=session.hello.queue)
        await asyncio.sleep(self.gateway.settings.heartbeat_timeout_s)
        if worker_id in self.sessions:
            return  # it reconnected here
        records = await self.gateway.call(store.workers)
        if any(r.worker_id == worker_id and r.last_heartbeat > lost_at for r in records):
            return  # it reconnected to another gateway
        released = await self.gateway.call(store.release_owner, worker_id)
        await self.gateway.call(store.remove_worker, worker_id)
        log(logger, logging.WARNING, "worker.leases_released", worker=worker_id, released=released)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def broadcast(self, command: worker_pb2.Command) -> None:
        for session in list(self.sessions.values()):
            await session.outbox.put(K.GatewayMessage(command=command))

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


_KINDS = frozenset({K.OUTCOME_KIND_SUCCEEDED, K.OUTCOME_KIND_CANCELLED, K.OUTCOME_KIND_REQUEUE, K.OUTCOME_KIND_FAILED,
                    K.OUTCOME_KIND_TIMED_OUT, K.OUTCOME_KIND_RETRY, K.OUTCOME_KIND_DEAD})


def _check_outcome(n: int, o: worker_pb2.Outcome, queue: str) -> None:
    if o.kind not in _KINDS:
        raise InvalidArgument(f"outcome {n} has no kind", op="Workers.outcomes", queue=queue, task_id=o.task_id)
    finite_non_negative(o.delay_s, "delay_s", op="Workers.outcomes", queue=queue, task_id=o.task_id[:128])
    if len(o.result) > MAX_RESULT_BYTES:
        raise InvalidArgument(f"the result is {len(o.result)} bytes, over the limit of {MAX_RESULT_BYTES}",
                              op="Workers.outcomes", queue=queue, task_id=o.task_id)
