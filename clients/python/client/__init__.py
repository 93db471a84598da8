"""The Python producer client: push tasks and await their results through a Sergeant gateway.

    from sergeant.client import Client

    with Client("127.0.0.1:50051") as client:
        task_id = client.push("emails", {"to": "a@example.com"})
        result = client.submit("echo", {"n": 1}).result(timeout=10)

``AsyncClient`` offers the same calls for asyncio; ``Operations`` and ``AsyncOperations`` the operator's calls
(queue counts, pause and resume, workers, dead letters).
"""

from sergeant.client.aio import AsyncClient
from sergeant.client.operations import AsyncOperations, DeadLetter, GatewayVersion, Operations, QueueInfo, WorkerInfo
from sergeant.client.sync import Client, ClientError, Event, Submission, TaskFailed, TaskStatus

__all__ = ["AsyncClient", "AsyncOperations", "Client", "ClientError", "DeadLetter", "Event", "GatewayVersion",
           "Operations", "QueueInfo", "Submission", "TaskFailed", "TaskStatus", "WorkerInfo"]
