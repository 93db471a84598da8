"""The Operations service: what an operator drives with grpcurl. Every call needs the admin role."""

from __future__ import annotations

import sergeant
from sergeant.service import convert
from sergeant.service.config import Role
from sergeant.service.rpc import Caller, Context, Gateway, rpc
from sergeant.task import validate_queue_name
from sergeant.v1 import operations_pb2 as ops
from sergeant.v1 import operations_pb2_grpc

FEATURES = ["push", "push_stream", "submit", "watch", "cancel", "progress", "idempotency", "priorities",
            "delays", "dead_letters", "pause", "auth", "tls"]


class OperationsService(operations_pb2_grpc.OperationsServicer):
    def __init__(self, gateway: Gateway, store_kind: str) -> None:
        self.gateway = gateway
        self.store_kind = store_kind

    def _queue(self, queue: str, caller: Caller, op: str) -> str:
        validate_queue_name(queue, op=op)
        caller.check(Role.ADMIN, queue)
        return queue

    @rpc("Operations.GetVersion")
    async def GetVersion(self, request: ops.GetVersionRequest, context: Context,
                         caller: Caller) -> ops.GetVersionResponse:
        return ops.GetVersionResponse(version=sergeant.__version__, protocol="sergeant.v1", store=self.store_kind,
                                      features=FEATURES)

    @rpc("Operations.ListQueues")
    async def ListQueues(self, request: ops.ListQueuesRequest, context: Context,
                         caller: Caller) -> ops.ListQueuesResponse:
        store = self.gateway.store
        names = [q for q in await self.gateway.call(store.queues) if caller.grant is None or caller.grant.allows(Role.ADMIN, q)]
        counts = [await self.gateway.call(store.counts, q) for q in names]
        return ops.ListQueuesResponse(queues=[convert.counts_to_pb(c) for c in counts])

    @rpc("Operations.PurgeQueue")
    async def PurgeQueue(self, request: ops.PurgeQueueRequest, context: Context,
                         caller: Caller) -> ops.PurgeQueueResponse:
        queue = self._queue(request.queue, caller, "Operations.PurgeQueue")
        return ops.PurgeQueueResponse(purged=await self.gateway.call(self.gateway.store.purge, queue))

    @rpc("Operations.PauseQueue")
    async def PauseQueue(self, request: ops.PauseQueueRequest, context: Context,
                         caller: Caller) -> ops.PauseQueueResponse:
        await self.gateway.call(self.gateway.store.pause, self._queue(request.queue, caller, "Operations.PauseQueue"))
        return ops.PauseQueueResponse()

    @rpc("Operations.ResumeQueue")
    async def ResumeQueue(self, request: ops.ResumeQueueRequest, context: Context,
                          caller: Caller) -> ops.ResumeQueueResponse:
        await self.gateway.call(self.gateway.store.resume, self._queue(request.queue, caller, "Operations.ResumeQueue"))
        return ops.ResumeQueueResponse()

    @rpc("Operations.ListWorkers")
    async def ListWorkers(self, request: ops.ListWorkersRequest, context: Context,
                          caller: Caller) -> ops.ListWorkersResponse:
        if request.queue:
            self._queue(request.queue, caller, "Operations.ListWorkers")
        records = await self.gateway.call(self.gateway.store.workers)
        return ops.ListWorkersResponse(workers=[
            convert.worker_to_pb(r) for r in records
            if (not request.queue or r.queue == request.queue)
            and (caller.grant is None or caller.grant.allows(Role.ADMIN, r.queue))
        ])

    @rpc("Operations.ListDeadLetters")
    async def ListDeadLetters(self, request: ops.ListDeadLettersRequest, context: Context,
                              caller: Caller) -> ops.ListDeadLettersResponse:
        queue = self._queue(request.queue, caller, "Operations.ListDeadLetters")
        letters = await self.gateway.call(self.gateway.store.dead_letters, queue, limit=request.limit or 100,
                                          offset=max(request.offset, 0))
        return ops.ListDeadLettersResponse(dead_letters=[convert.dead_letter_to_pb(d) for d in letters])

    @rpc("Operations.ReplayDeadLetters")
    async def ReplayDeadLetters(self, request: ops.ReplayDeadLettersRequest, context: Context,
                                caller: Caller) -> ops.ReplayDeadLettersResponse:
        queue = self._queue(request.queue, caller, "Operations.ReplayDeadLetters")
        replayed = await self.gateway.call(self.gateway.store.replay_dead, queue, list(request.task_ids))
        return ops.ReplayDeadLettersResponse(replayed=replayed)

    @rpc("Operations.PurgeDeadLetters")
    async def PurgeDeadLetters(self, request: ops.PurgeDeadLettersRequest, context: Context,
                               caller: Caller) -> ops.PurgeDeadLettersResponse:
        queue = self._queue(request.queue, caller, "Operations.PurgeDeadLetters")
        purged = await self.gateway.call(self.gateway.store.purge_dead, queue, list(request.task_ids))
        return ops.PurgeDeadLettersResponse(purged=purged)
