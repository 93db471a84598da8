"""Task events over Redis pub/sub: one channel per queue, carrying the {queue} hash tag.

Lua scripts publish a compact batch form, ``B|<kind>|<at>|<id>,<id>,...``, so a
lease or an ack of 1,000 tasks is one message; ``publish()`` sends single
events (progress carries a message and data) as packed records.

A subscription to every queue is one pattern subscription on one connection.
Redis may close a subscriber (e.g. past its pub/sub output buffer limit);
redis-py then reconnects and subscribes again by itself, silently, and what was
published meanwhile is lost.  ``get`` turns that into an error, so that the
caller knows to re-read whatever state it was waiting on.
"""

from __future__ import annotations

import time
from typing import Any

from sergeant.errors import StoreUnavailable
from sergeant.store.records import unpack_event
from sergeant.task import EventKind, TaskEvent

_BATCH = b"B|"
MOST_PER_GET = 1000  # events one get returns at most (a batch message may carry more) ...
MOST_BYTES_PER_GET = 1 << 20  # ... and bytes of messages


def unpack_published(queue: str, payload: bytes) -> list[TaskEvent]:
    if payload.startswith(_BATCH):
        _, kind, at, ids = payload.decode().split("|", 3)
        return [TaskEvent(queue, task_id, EventKind(kind), float(at)) for task_id in ids.split(",")]
    return [unpack_event(payload)]


def queue_of(channel: str) -> str:
    """The queue in a channel name: what its ``{queue}`` hash tag holds (queue names cannot contain braces)."""
    return channel[channel.index("{") + 1:channel.index("}")]


class RedisSubscription:
    """A pub/sub connection of its own; ``get`` blocks on the socket, never polls.

    ``channels`` maps channel names to queues; with ``pattern`` instead, every channel matching it is read."""

    def __init__(self, client: Any, channels: dict[str, str], pattern: str = "") -> None:
        self._channels = channels
        self._pubsub = client.pubsub(ignore_subscribe_messages=False)
        if pattern:
            self._pubsub.psubscribe(pattern)
        else:
            self._pubsub.subscribe(*channels)
        self._confirmations = 1 if pattern else len(channels)  # one per channel or pattern, once

    def get(self, timeout_s: float) -> list[TaskEvent]:
        events: list[TaskEvent] = []
        taken = 0
        deadline = time.monotonic() + timeout_s
        wait = timeout_s
        while True:
            message = self._pubsub.get_message(timeout=max(wait, 0.0))
            kind = message["type"] if message is not None else None
            if kind in ("message", "pmessage"):
                channel = message["channel"].decode()
                queue = self._channels.get(channel) or queue_of(channel)
                events.extend(unpack_published(queue, message["data"]))
                taken += len(message["data"])
                if len(events) >= MOST_PER_GET or taken >= MOST_BYTES_PER_GET:
                    return events  # the rest stays buffered in the socket and in Redis, not here
                wait = 0.0  # drain what is already buffered, then return
                continue
            if kind in ("subscribe", "psubscribe"):
                self._confirmations -= 1
                if self._confirmations < 0:  # redis-py subscribed again after losing the connection
                    raise StoreUnavailable("the event subscription was reset by the server; events published "
                                           "meanwhile are lost", op="redis.subscription.get")
                continue
            if events or time.monotonic() >= deadline:
                return events
            wait = deadline - time.monotonic()

    def close(self) -> None:
        self._pubsub.close()
