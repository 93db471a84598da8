"""The Producer service: push, submit, watch, get and cancel. Thin: parse, call the core, answer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence

from sergeant.errors import InvalidArgument
from sergeant.service import convert
from sergeant.service.config import Role
from sergeant.service.events import EventHub
from sergeant.service.rpc import Caller, Context, Gateway, rpc
from sergeant.store.base import PushResult
from sergeant.task import Task, validate_queue_name, validate_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc, task_pb2


class ProducerService(producer_pb2_grpc.ProducerServicer):
    def __init__(self, gateway: Gateway, hub: EventHub) -> None:
        self.gateway = gateway
        self.hub = hub

    async def _tasks(self, request: producer_pb2.PushRequest, caller: Caller) -> list[Task]:
        settings = self.gateway.settings
        if not request.tasks:
            raise InvalidArgument("a push needs at least one task", op="Producer.Push")
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
        return await self.gateway.call(self.gateway.store.push, tasks, max_depth=self.gateway.settings.max_depth)

    @staticmethod
    def _response(results: Sequence[PushResult]) -> producer_pb2.PushResponse:
        response = producer_pb2.PushResponse()
        add = response.tasks.add  # a third faster than building PushedTask messages for the constructor
        for r in results:
            add(id=r.task_id, created=r.created)
        return response

    @rpc("Producer.Push")
    async def Push(self, request: producer_pb2.PushRequest, context: Context,
                   caller: Caller) -> producer_pb2.PushResponse:
        return self._response(await self._push(await self._tasks(request, caller)))

    @rpc("Producer.PushStream")
    async def PushStream(self, requests: AsyncIterator[producer_pb2.PushRequest],
                         context: Context, caller: Caller) -> producer_pb2.PushResponse:
        results: list[PushResult] = []
        async for request in requests:
            results += await self._push(await self._tasks(request, caller))
        return self._response(results)

    @rpc("Producer.Submit")
    async def Submit(self, request: producer_pb2.SubmitRequest, context: Context,
                     caller: Caller) -> AsyncIterator[task_pb2.TaskEvent]:
        [task] = await self._tasks(producer_pb2.PushRequest(tasks=[request.task]), caller)
        async with self.hub.watching(task.queue, [task.id], request.progress, caller.key) as watcher:
            [pushed] = await self._push([task])
            yield convert.accepted_event(task.queue, pushed.task_id)
            if pushed.task_id != task.id:  # an idempotency key matched: follow the first task instead
                watcher.task_ids = {pushed.task_id}
            async for event, result in self.hub.until_done(task.queue, watcher, {pushed.task_id}):
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
        return producer_pb2.CancelResponse(outcome=convert.CANCEL_PB[outcome])  # type: ignore[arg-type]
