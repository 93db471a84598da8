"""Task events over Redis pub/sub: one channel per queue, carrying the {queue} hash tag.

Lua scripts publish a compact batch form, ``B|<kind>|<at>|<id>,<id>,...``, so a
lease or an ack of 1,000 tasks is one message; ``publish()`` sends single
events (progress carries a message and data) as packed records.
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.store.records import unpack_event
from sergeant.task import EventKind, TaskEvent

_BATCH = b"B|"


def unpack_published(queue: str, payload: bytes) -> list[TaskEvent]:
    if payload.startswith(_BATCH):
        _, kind, at, ids = payload.decode().split("|", 3)
        return [TaskEvent(queue, task_id, EventKind(kind), float(at)) for task_id in ids.split(",")]
    return [unpack_event(payload)]


class RedisSubscription:
    """A pub/sub connection of its own; ``get`` blocks on the socket, never polls."""

    def __init__(self, client: Any, channels: dict[str, str]) -> None:
        self._channels = channels
        self._pubsub = client.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(*channels)

    def get(self, timeout_s: float) -> list[TaskEvent]:
        events: list[TaskEvent] = []
        deadline = time.monotonic() + timeout_s
        wait = timeout_s
        while True:
            message = self._pubsub.get_message(timeout=max(wait, 0.0))
            if message is not None and message["type"] == "message":
                channel = message["channel"].decode()
                events.extend(unpack_published(self._channels[channel], message["data"]))
                wait = 0.0  # drain what is already buffered, then return
                continue
            if events or time.monotonic() >= deadline:
                return events
            wait = deadline - time.monotonic()

    def close(self) -> None:
        self._pubsub.close()
