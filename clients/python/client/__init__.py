"""The Python producer client: push tasks and await their results through a Sergeant gateway.

    from sergeant.client import Client

    with Client("127.0.0.1:50051") as client:
        task_id = client.push("emails", {"to": "a@example.com"})
        result = client.submit("echo", {"n": 1}).result(timeout=10)

``AsyncClient`` offers the same calls for asyncio.
"""

from sergeant.client.aio import AsyncClient
from sergeant.client.sync import Client, ClientError, Event, Submission, TaskFailed, TaskStatus

__all__ = ["AsyncClient", "Client", "ClientError", "Event", "Submission", "TaskFailed", "TaskStatus"]
