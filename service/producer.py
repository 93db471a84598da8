"""The Producer service: push, submit, watch, get and cancel. Thin: parse, call the core, answer."""

from __future__ import annotations

import collections
import functools
import time
from collections.abc import AsyncIterator, Sequence

from sergeant import packed as packed_format
from sergeant.errors import InvalidArgument
from sergeant.service import convert
from sergeant.service.coalesce import PushCoalescer
from sergeant.service.config import Role
from sergeant.service.events import EventHub
from sergeant.service.rpc import Caller, Context, Gateway, rpc
from sergeant.store.base import CancelOutcome, PackedBatch, PushResult
from sergeant.task import Serializer, Task, validate_queue_name, validate_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc, task_pb2

# A packed batch larger than this is checked on the store thread pool, not on the event loop: checking costs about
# 1.5 µs per task, a hop to the pool about 50 µs.
_CHECK_INLINE_BYTES = 16 << 10


class ProducerService(producer_pb2_grpc.ProducerServicer):
    def __init__(self, gateway: Gateway, hub: EventHub) -> None:
        self.gateway = gateway
        self.hub = hub
        self._coalescer = PushCoalescer(self._store_push, self._store_push_packed)

    async def _tasks(self, request: producer_pb2.PushRequest, caller: Caller) -> list[Task]:
        settings = self.gateway.settings
        if not request.tasks:
            raise InvalidArgument("a push needs at least one task: send tasks or packed", op="Producer.Push")
        if len(request.tasks) > settings.max_batch:
            raise InvalidArgument(
                f"{len(request.tasks)} tasks in one push; the limit is {settings.max_batch}: split the batch",
                op="Producer.Push",
            )
        # Rights before any decoding: a caller may not make the gateway decompress for a queue it cannot use.
        for queue, serializer in {(m.queue, m.serializer) for m in request.tasks}:
            validate_queue_name(queue, op="Producer.Push")
            caller.check(Role.PRODUCE, queue)
            caller.check_serializer(convert.serializer_of(serializer, queue), queue)
        now = time.time()
        # Decoding runs in a thread, never on the event loop: a slow payload must not stall other calls.
        return await self.gateway.decode(self._convert, request, now)

    def _convert(self, request: producer_pb2.PushRequest, now: float) -> list[Task]:
        settings = self.gateway.settings
        return [convert.task_from_pb(m, default_max_attempts=settings.default_max_attempts, now=now,
                                     max_payload_bytes=settings.max_payload_bytes) for m in request.tasks]

    async def _push(self, tasks: Sequence[Task]) -> list[PushResult]:
        return await self._coalescer.push(tasks)

    async def _store_push(self, tasks: Sequence[Task]) -> list[PushResult]:
        return await self.gateway.call(self.gateway.store.push, tasks, max_depth=self.gateway.settings.max_depth)

    async def _packed(self, packed: producer_pb2.PackedTasks, caller: Caller) -> PackedBatch:
        """The packed form, checked; the queue is authorized before a byte of the batch is decoded."""
        if packed.version != packed_format.VERSION:
            raise InvalidArgument(f"packed batch version {packed.version} is unknown: this gateway reads version "
                                  f"{packed_format.VERSION}", op="Producer.Push")
        queue = validate_queue_name(packed.queue, op="Producer.Push")
        caller.check(Role.PRODUCE, queue)
        settings = self.gateway.settings
        check = functools.partial(
            packed_format.check_batch, queue, packed.tasks, want_results=packed.want_results,
            max_batch=settings.max_batch, max_payload_bytes=settings.max_payload_bytes,
            default_max_attempts=settings.default_max_attempts, now=time.time(),
            on_pickle=functools.partial(caller.check_serializer, Serializer.PICKLE, queue))
        if len(packed.tasks) <= _CHECK_INLINE_BYTES:
            try:
                return check(inline=True)
            except packed_format.Offload:  # compressed kwargs: never decompressed on the event loop
                pass
        return await self.gateway.decode(check)

    async def _store_push_packed(self, batch: PackedBatch) -> list[tuple[int, str]]:
        return await self.gateway.call(self.gateway.store.push_packed, batch, max_depth=self.gateway.settings.max_depth)

    async def _push_request(self, request: producer_pb2.PushRequest, caller: Caller,
                            response: producer_pb2.PushResponse) -> None:
        """Store one request message, in either form, and add its answer to ``response`` (indexes of packed
        duplicates count from the tasks already answered there)."""
        if not request.HasField("packed"):
            tasks = await self._tasks(request, caller)
            results = await self._push(tasks)
            created = collections.Counter(t.queue for t, r in zip(tasks, results, strict=True) if r.created)
            for queue, n in created.items():
                self.gateway.metrics.count(self.gateway.metrics.pushed, queue, n)
            self._add(response, results)
            return
        if request.tasks:
            raise InvalidArgument("send tasks or packed, not both", op="Producer.Push")
        batch = await self._packed(request.packed, caller)
        duplicates = await self._coalescer.push_packed(batch)
        self.gateway.metrics.count(self.gateway.metrics.pushed, request.packed.queue, len(batch.ids) - len(duplicates))
        add, offset = response.duplicates.add, response.count
        for index, first in duplicates:
            add(index=offset + index, id=first)
        response.count += len(batch.ids)

    @staticmethod
    def _add(response: producer_pb2.PushResponse, results: Sequence[PushResult]) -> None:
        add = response.tasks.add  # a third faster than building PushedTask messages for the constructor
        for r in results:
            add(id=r.task_id, created=r.created)

    @rpc("Producer.Push")
    async def Push(self, request: producer_pb2.PushRequest, context: Context,
                   caller: Caller) -> producer_pb2.PushResponse:
        response = producer_pb2.PushResponse()
        await self._push_request(request, caller, response)
        return response

    @rpc("Producer.PushStream")
    async def PushStream(self, requests: AsyncIterator[producer_pb2.PushRequest],
                         context: Context, caller: Caller) -> producer_pb2.PushResponse:
        response = producer_pb2.PushResponse()
        async for request in requests:
            await self._push_request(request, caller, response)
        return response

    @rpc("Producer.Submit")
    async def Submit(self, request: producer_pb2.SubmitRequest, context: Context,
                     caller: Caller) -> AsyncIterator[task_pb2.TaskEvent]:
        [task] = await self._tasks(producer_pb2.PushRequest(tasks=[request.task]), caller)
        task.want_result = True  # a submitter waits for the result: it must be kept
        async with self.hub.watching(task.queue, [task.id], request.progress, caller.key) as watcher:
            [pushed] = await self._push([task])
            if pushed.created:
                self.gateway.metrics.count(self.gateway.metrics.pushed, task.queue)
            yield convert.accepted_event(task.queue, pushed.task_id)
            if pushed.task_id != task.id:  # an idempotency key matched: follow the first task instead
                watcher.task_ids = {pushed.task_id}
            async for event, result in self.hub.until_done(task.queue, watcher, {pushed.task_id},
                                                            pushed_after=True, created=pushed.created):
                yield convert.event_to_pb(event, result)

    @rpc("Producer.Watch")
    async def Watch(self, request: producer_pb2.WatchRequest, context: Context,
                    caller: Caller) -> AsyncIterator[task_pb2.TaskEvent]:
        queue = validate_queue_name(request.queue, op="Producer.Watch")
        caller.check(Role.PRODUCE, queue, Role.READ)
        ids = [validate_task_id(i, op="Producer.Watch", queue=queue) for i in request.task_ids] or None
        async with self.hub.watching(queue, ids, request.progress, caller.key) as watcher:
            await context.send_initial_metadata(())  # headers now say: subscribed, no later event will be missed
            async for event, result in self.hub.until_done(queue, watcher, set(ids) if ids else None):
                yield convert.event_to_pb(event, result)

    @rpc("Producer.GetTask")
    async def GetTask(self, request: producer_pb2.GetTaskRequest, context: Context,
                      caller: Caller) -> producer_pb2.GetTaskResponse:
        queue = validate_queue_name(request.queue, op="Producer.GetTask")
        caller.check(Role.PRODUCE, queue, Role.READ)
        task_id = validate_task_id(request.task_id, op="Producer.GetTask", queue=queue)
        return convert.info_to_pb(await self.gateway.call(self.gateway.store.get, queue, task_id))

    @rpc("Producer.Cancel")
    async def Cancel(self, request: producer_pb2.CancelRequest, context: Context,
                     caller: Caller) -> producer_pb2.CancelResponse:
        queue = validate_queue_name(request.queue, op="Producer.Cancel")
        caller.check(Role.PRODUCE, queue)
        task_id = validate_task_id(request.task_id, op="Producer.Cancel", queue=queue)
        outcome = await self.gateway.call(self.gateway.store.cancel, queue, task_id)
        if outcome is CancelOutcome.CANCELLED:
            self.gateway.metrics.count(self.gateway.metrics.cancelled, queue)
        return producer_pb2.CancelResponse(outcome=convert.CANCEL_PB[outcome])  # type: ignore[arg-type]
