"""Task events on Redis Cluster: sharded pub/sub, one shard channel per queue, read from every master in one thread.

A plain PUBLISH on a cluster is broadcast over the cluster bus to every node, so its cost grows with the cluster.
Scripts on a cluster SPUBLISH instead, on the queue's channel, which carries the ``{queue}`` hash tag: the message
stays on the master (and replicas) of the queue's slot, and a subscriber must SSUBSCRIBE there, channel by channel.

``ShardedSubscription`` is a subscription to the queues it is told to ``follow``: one connection per master that
holds a followed queue, all read by whoever calls ``get`` (the gateway's one feed thread), which also sends the
(un)subscribe commands that other threads queue and wake it for.  A follow is done when its master confirmed it:
from then on no event of the queue is missed.  Anything out of the ordinary (a lost connection, a slot that moved
and the server's unsubscribe that comes with it, a MOVED answer) breaks the subscription: ``get`` raises, and its
owner opens a new one, follows its queues again and re-reads what it waits for (see ``service/events.py``).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import selectors
import socket
import threading
import time
from collections.abc import Sequence
from typing import Any

import redis

from sergeant.errors import StoreUnavailable
from sergeant.store.redis_events import MOST_BYTES_PER_GET, MOST_PER_GET, queue_of, unpack_published
from sergeant.store.redis_keys import queue_keys
from sergeant.task import TaskEvent

_BROKEN = (redis.RedisError, OSError)
_IO_TIMEOUT_S = 5.0
_SUBSCRIBE, _UNSUBSCRIBE = b"SSUBSCRIBE", b"SUNSUBSCRIBE"  # as the replies name them, lower-cased


@dataclasses.dataclass(slots=True)
class _Node:
    """A subscribed connection to one master, and what it carries."""

    name: str
    connection: Any
    channels: set[bytes] = dataclasses.field(default_factory=set)
    # The (un)subscribe replies due, in the order the commands went: a node answers them in that order.
    due: collections.deque[tuple[bytes, bytes, concurrent.futures.Future[None] | None]] = dataclasses.field(
        default_factory=collections.deque)


class ShardedSubscription:
    def __init__(self, client: Any, prefix: str, queues: Sequence[str]) -> None:
        """Follow ``queues`` at once (confirmed on return); more can be followed later."""
        self._client = client
        self._prefix = prefix
        self._nodes: dict[str, _Node] = {}
        self._node_of: dict[bytes, _Node] = {}  # channel -> the node it was subscribed on
        self._commands: collections.deque[tuple[bytes, str, concurrent.futures.Future[None] | None]] = \
            collections.deque()
        self._lock = threading.Lock()  # the command queue, shared with the threads that follow and unfollow
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._broken: StoreUnavailable | None = None
        self._early: list[TaskEvent] = []
        self._closed = False
        started = [self.follow(queue) for queue in queues]
        deadline = time.monotonic() + 10.0
        try:
            while not all(f.done() for f in started) and time.monotonic() < deadline:
                self._early += self._pump(0.1)
            for future in started:
                future.result(0)  # raises what broke the subscription, or a timeout
        except BaseException:
            self.close()
            raise

    def follow(self, queue: str) -> concurrent.futures.Future[None]:
        """Subscribe to a queue's channel (again: no harm); the future is done once its master confirmed it."""
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._queue(_SUBSCRIBE, queue, future)
        return future

    def unfollow(self, queue: str) -> None:
        self._queue(_UNSUBSCRIBE, queue, None)

    def _queue(self, command: bytes, queue: str, future: concurrent.futures.Future[None] | None) -> None:
        with self._lock:
            if self._closed:
                if future is not None:
                    future.set_exception(StoreUnavailable("the event subscription is closed", op="redis.follow",
                                                          queue=queue))
                return
            self._commands.append((command, queue, future))
        # Full of wake-ups already (BlockingIOError), or closed meanwhile (its commands are failed by close()).
        with contextlib.suppress(OSError):
            self._wake_w.send(b"w")

    def get(self, timeout_s: float) -> list[TaskEvent]:
        if self._early:
            events, self._early = self._early, []
            return events
        deadline = time.monotonic() + timeout_s
        while True:
            events = self._pump(max(deadline - time.monotonic(), 0.0))
            if events or time.monotonic() >= deadline:
                return events

    def _pump(self, timeout_s: float) -> list[TaskEvent]:
        """Send what was queued, then read what the nodes sent, waiting up to ``timeout_s`` for something."""
        if self._broken is not None:
            raise self._broken
        try:
            self._send_commands()
            events = self._read_buffered()
            if events:
                return events
            with selectors.DefaultSelector() as selector:
                selector.register(self._wake_r, selectors.EVENT_READ)
                for node in self._nodes.values():
                    selector.register(node.connection._sock, selectors.EVENT_READ)  # redis-py exposes no fileno()
                selector.select(timeout_s)
            with contextlib.suppress(BlockingIOError):
                self._wake_r.recv(4096)
            self._send_commands()
            return self._read_buffered()
        except (*_BROKEN, StoreUnavailable) as exc:
            broken = self._fail(exc)
            with contextlib.suppress(Exception):  # mid-failover it may fail: the next subscription tries again
                self._client.nodes_manager.initialize()  # so that the next subscription asks the right masters
            raise broken from exc

    def _send_commands(self) -> None:
        while True:
            with self._lock:
                if not self._commands:
                    return
                command, queue, future = self._commands.popleft()
            try:
                self._send(command, queue_keys(self._prefix, queue).channel.encode(), future)
            except BaseException as exc:  # its master is unreachable: the follow fails with the subscription
                if future is not None and not future.done():
                    future.set_exception(StoreUnavailable(f"following the queue's events failed: {exc}",
                                                          op="redis.follow", queue=queue))
                raise

    def _send(self, command: bytes, name: bytes, future: concurrent.futures.Future[None] | None) -> None:
        if command == _SUBSCRIBE:
            node = self._node_of.get(name) or self._node_for(name)
            node.connection.send_command(command, name)
            node.due.append((command.lower(), name, future))
            node.channels.add(name)
            self._node_of[name] = node
        elif (held := self._node_of.pop(name, None)) is not None:
            held.channels.discard(name)
            if held.channels:
                held.connection.send_command(command, name)
                held.due.append((command.lower(), name, None))
            else:  # its last channel: the connection goes, with the replies still due on it
                self._drop(held, "unfollowed before its master confirmed it")

    def _node_for(self, channel: bytes) -> _Node:
        master = self._client.nodes_manager.get_node_from_slot(self._client.keyslot(channel))
        node = self._nodes.get(master.name)
        if node is None:
            pool = self._client.get_redis_connection(master).connection_pool
            # A connection of our own, outside the pool, with short timeouts: it is read only once select() says
            # so, and a node that stops answering mid-failover must not hold the gateway's one event thread for the
            # client's minute.
            connection = pool.connection_class(**{**pool.connection_kwargs, "socket_timeout": _IO_TIMEOUT_S,
                                                  "socket_connect_timeout": _IO_TIMEOUT_S})
            connection.connect()
            node = _Node(master.name, connection)
            self._nodes[master.name] = node
        return node

    def _drop(self, node: _Node, why: str) -> None:
        self._nodes.pop(node.name, None)
        for _, name, future in node.due:
            if future is not None and not future.done():
                future.set_exception(StoreUnavailable(why, op="redis.follow", queue=queue_of(name.decode())))
        node.due.clear()
        with contextlib.suppress(*_BROKEN):
            node.connection.disconnect()

    def _read_buffered(self) -> list[TaskEvent]:
        events: list[TaskEvent] = []
        taken = 0
        for node in list(self._nodes.values()):
            while node.name in self._nodes and node.connection.can_read(0):
                reply = node.connection.read_response(push_request=True)  # RESP3: pub/sub messages are pushes
                if not isinstance(reply, list) or len(reply) != 3:
                    continue  # a push of another kind (e.g. a maintenance notice), which the parser handled
                kind, channel, data = reply
                if kind == b"smessage":
                    events += unpack_published(queue_of(channel.decode()), data)
                    taken += len(data)
                    if len(events) >= MOST_PER_GET or taken >= MOST_BYTES_PER_GET:
                        return events  # the rest stays in the socket and in Redis, not here
                elif node.due and node.due[0][:2] == (kind, channel):
                    _, _, future = node.due.popleft()
                    if future is not None and not future.done():
                        future.set_result(None)
                else:  # an unsubscribe not asked for: the slot moved (resharding, failover)
                    raise StoreUnavailable(
                        f"the slot of queue {queue_of(channel.decode())!r} moved away from {node.name} "
                        f"({kind.decode()} {channel.decode()}); events published meanwhile are lost",
                        op="redis.events")
        return events

    def _fail(self, exc: BaseException) -> StoreUnavailable:
        """Break the subscription: every follow not confirmed yet fails, and so does every later ``get``."""
        if self._broken is None:
            self._broken = exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(
                f"the event subscription to the Redis Cluster failed: {exc}; events published meanwhile are lost",
                op="redis.events")
        for node in list(self._nodes.values()):
            self._drop(node, str(self._broken))
        return self._broken

    def close(self) -> None:
        with self._lock:
            self._closed = True
            left = list(self._commands)
            self._commands.clear()
        for _, queue, future in left:
            if future is not None:
                future.set_exception(StoreUnavailable("the event subscription is closed", op="redis.follow",
                                                      queue=queue))
        self._fail(StoreUnavailable("the event subscription is closed", op="redis.events"))
        self._wake_r.close()
        self._wake_w.close()
