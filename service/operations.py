"""The Operations service: what an operator drives with grpcurl.

Listing needs the read role (which admin implies), changing a queue needs admin, GetVersion any valid token.
"""

from __future__ import annotations

import bisect

import sergeant
from sergeant.errors import InvalidArgument, PermissionDenied
from sergeant.service import convert
from sergeant.service.config import Role
from sergeant.service.rpc import Caller, Context, Gateway, rpc
from sergeant.task import validate_queue_name, validate_task_id
from sergeant.v1 import operations_pb2 as ops
from sergeant.v1 import operations_pb2_grpc

FEATURES = ["push", "push_stream", "submit", "watch", "cancel", "progress", "idempotency", "priorities",
            "delays", "dead_letters", "pause", "auth", "tls"]


_PAGE = 100
_MAX_PAGE = 1000


class OperationsService(operations_pb2_grpc.OperationsServicer):
    def __init__(self, gateway: Gateway, store_kind: str) -> None:
        self.gateway = gateway
        self.store_kind = store_kind

    def _queue(self, queue: str, caller: Caller, op: str, role: str = Role.ADMIN) -> str:
        validate_queue_name(queue, op=op)
        caller.check(role, queue)
        return queue

    @staticmethod
    def _reader(caller: Caller, op: str) -> None:
        """Listing calls filter by queue; a token that may read no queue at all is refused outright."""
        if caller.grant is not None and Role.READ not in caller.grant.roles:
            raise PermissionDenied(f"token {caller.grant.name!r} has roles {sorted(caller.grant.roles)}; listing "
                                   "needs read (or admin)", op=op)

    @rpc("Operations.GetVersion")
    async def GetVersion(self, request: ops.GetVersionRequest, context: Context,
                         caller: Caller) -> ops.GetVersionResponse:
        return ops.GetVersionResponse(version=sergeant.__version__, protocol="sergeant.v1", store=self.store_kind,
                                      features=FEATURES)

    @rpc("Operations.ListQueues")
    async def ListQueues(self, request: ops.ListQueuesRequest, context: Context,
                         caller: Caller) -> ops.ListQueuesResponse:
        op = "Operations.ListQueues"
        self._reader(caller, op)
        size = request.page_size or _PAGE
        if not 0 < size <= _MAX_PAGE:
            raise InvalidArgument(f"page_size must be 1..{_MAX_PAGE} (0: {_PAGE}), got {request.page_size}", op=op)
        store = self.gateway.store
        names = await self.gateway.call(store.queues)  # sorted
        start = bisect.bisect_right(names, request.page_token) if request.page_token else 0
        page: list[str] = []
        for name in names[start:]:
            if caller.may(Role.READ, name):
                page.append(name)
                if len(page) == size:
                    break
        counts = await self.gateway.call(lambda: [store.counts(q) for q in page])
        more = bool(page) and len(page) == size and any(caller.may(Role.READ, q) for q in
                                                        names[bisect.bisect_right(names, page[-1]):])
        return ops.ListQueuesResponse(queues=[convert.counts_to_pb(c) for c in counts],
                                      next_page_token=page[-1] if more else "")

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
        self._reader(caller, "Operations.ListWorkers")
        if request.queue:
            self._queue(request.queue, caller, "Operations.ListWorkers", Role.READ)
        records = await self.gateway.call(self.gateway.store.workers)
        return ops.ListWorkersResponse(workers=[
            convert.worker_to_pb(r) for r in records
            if (not request.queue or r.queue == request.queue) and caller.may(Role.READ, r.queue)
        ])

    @rpc("Operations.ListDeadLetters")
    async def ListDeadLetters(self, request: ops.ListDeadLettersRequest, context: Context,
                              caller: Caller) -> ops.ListDeadLettersResponse:
        queue = self._queue(request.queue, caller, "Operations.ListDeadLetters", Role.READ)
        limit = request.limit or _PAGE
        if not 0 < limit <= _MAX_PAGE:
            raise InvalidArgument(f"limit must be 1..{_MAX_PAGE} (0: {_PAGE}), got {request.limit}",
                                  op="Operations.ListDeadLetters", queue=queue)
        letters = await self.gateway.call(self.gateway.store.dead_letters, queue, limit=limit,
                                          offset=max(request.offset, 0))
        return ops.ListDeadLettersResponse(dead_letters=[convert.dead_letter_to_pb(d) for d in letters])

    @rpc("Operations.ReplayDeadLetters")
    async def ReplayDeadLetters(self, request: ops.ReplayDeadLettersRequest, context: Context,
                                caller: Caller) -> ops.ReplayDeadLettersResponse:
        queue = self._queue(request.queue, caller, "Operations.ReplayDeadLetters")
        ids = [validate_task_id(i, op="Operations.ReplayDeadLetters", queue=queue) for i in request.task_ids]
        replayed = await self.gateway.call(self.gateway.store.replay_dead, queue, ids)
        return ops.ReplayDeadLettersResponse(replayed=replayed)

    @rpc("Operations.PurgeDeadLetters")
    async def PurgeDeadLetters(self, request: ops.PurgeDeadLettersRequest, context: Context,
                               caller: Caller) -> ops.PurgeDeadLettersResponse:
        queue = self._queue(request.queue, caller, "Operations.PurgeDeadLetters")
        ids = [validate_task_id(i, op="Operations.PurgeDeadLetters", queue=queue) for i in request.task_ids]
        purged = await self.gateway.call(self.gateway.store.purge_dead, queue, ids)
        return ops.PurgeDeadLettersResponse(purged=purged)
