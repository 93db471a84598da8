"""The worker's end of ``Workers.Session``: outcomes (all but successes, which the settler settles in the store)
and heartbeats up, commands down.

Outcomes are batched: a batch is sealed ``flush_interval_s`` after its first
outcome, or at ``flush_max`` outcomes, whichever comes first.  A sealed batch
stays here until the gateway acknowledges its sequence number; after a
reconnect every unacknowledged batch is sent again, in order (outcomes are
idempotent per lease, so a batch the gateway had already settled comes back
as LEASE_LOST and does no harm).  At most ``max_unacked`` outcomes wait here;
the runner stops leasing well before that, and ``submit`` past it raises
``OutcomeBufferFull``.

Connection states: CONNECTING -> (hello sent) -> ACTIVE (welcome received) ->
BROKEN (reconnect with backoff) | CLOSED (goodbye sent once nothing is
unacknowledged).  A refusal (bad token, no right to consume the queue) is not
retried: ``refused`` is set and the worker exits with GATEWAY_REFUSED.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import grpc

from sergeant.errors import SergeantError
from sergeant.logs import log
from sergeant.v1 import worker_pb2, worker_pb2_grpc

logger = logging.getLogger("sergeant.worker.session")

_REFUSALS = frozenset({grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED,
                       grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.UNIMPLEMENTED,
                       grpc.StatusCode.FAILED_PRECONDITION})  # FAILED_PRECONDITION: another store than the gateway's
_FLUSH_BYTES = 4 << 20  # seal a batch early past this much result data: gRPC messages are capped at 16 MiB
_BACKOFF_MAX_S = 5.0


class OutcomeBufferFull(SergeantError):
    """Too many outcomes wait for the gateway to acknowledge them."""

    code = "RESOURCE_EXHAUSTED"


class GatewayRefused(SergeantError):
    """The gateway refused the session; retrying cannot help until the configuration changes."""

    code = "PERMISSION_DENIED"


_HEARTBEAT = worker_pb2.WorkerMessage()  # a placeholder: the heartbeat is built outside the lock
Settled = Callable[[Sequence[worker_pb2.Outcome], Sequence[int]], None]


@dataclasses.dataclass
class _Stream:
    """One attempt at a session; a reconnect starts a new one."""

    welcomed: bool = False
    broken: bool = False
    goodbye_sent: bool = False
    sent: int = 0  # the last batch sequence sent on this stream
    next_beat: float = 0.0  # monotonic time of the next heartbeat


class GatewaySession:
    def __init__(self, *, address: str, token: str, credentials: grpc.ChannelCredentials | None,
                 hello: worker_pb2.Hello,
                 status: Callable[[], worker_pb2.Heartbeat], on_command: Callable[[worker_pb2.Command], None],
                 on_settled: Settled, max_unacked: int, flush_interval_s: float = 0.005,
                 flush_max: int = 500) -> None:
        self._address = address
        self._credentials = credentials  # None: plaintext
        self._metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {token}"),) if token else ()
        self._hello = hello
        self._status = status
        self._on_command = on_command
        self._on_settled = on_settled
        self._max_unacked = max_unacked
        self._flush_interval_s = flush_interval_s
        self._flush_max = flush_max
        self._cond = threading.Condition()
        self._fresh: list[worker_pb2.Outcome] = []
        self._fresh_since = 0.0
        self._fresh_bytes = 0
        self._unacked: dict[int, worker_pb2.OutcomeBatch] = {}  # by sequence, oldest first
        self._pending = 0  # outcomes fresh or unacknowledged
        self._sequence = 0
        self._heartbeat_interval_s = 5.0
        self._closing = False
        self._abandoned = threading.Event()
        self._ready = threading.Event()
        self._finished = threading.Event()
        self.refused: GatewayRefused | None = None
        self._thread = threading.Thread(target=self._run, name="gateway-session", daemon=True)

    # --- used by the runner ----------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def wait_ready(self, timeout_s: float) -> bool:
        """Wait until the gateway has welcomed this worker (the session is ACTIVE)."""
        return self._ready.wait(timeout_s)

    def has_room(self, outcomes: int) -> bool:
        with self._cond:
            return self._pending + outcomes <= self._max_unacked

    @property
    def unacknowledged(self) -> int:
        with self._cond:
            return self._pending

    def submit(self, outcome: worker_pb2.Outcome, *, last: bool = False) -> None:
        """Queue an outcome; ``last`` (nothing else is running or waiting) sends the batch now, not after the flush
        interval, so that a lone task's result is not held back."""
        with self._cond:
            if self._pending >= self._max_unacked:
                raise OutcomeBufferFull(
                    f"{self._pending} outcomes wait for the gateway at {self._address} to acknowledge them "
                    f"(max_unacked_outcomes={self._max_unacked}); is the gateway reachable?",
                    op="worker.submit", queue=self._hello.queue, task_id=outcome.task_id)
            self._pending += 1
            self._fresh.append(outcome)
            self._fresh_bytes += len(outcome.result) + len(outcome.error.traceback)
            if len(self._fresh) == 1:
                self._fresh_since = time.monotonic()
            if last:
                self._fresh_since = -self._flush_interval_s  # due now
            if last or len(self._fresh) == 1 or len(self._fresh) >= self._flush_max or self._fresh_bytes >= _FLUSH_BYTES:
                self._cond.notify_all()

    def close(self, timeout_s: float) -> bool:
        """Flush, wait until every outcome is acknowledged, say goodbye; False if that took too long."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if not self._thread.is_alive():
            return self.unacknowledged == 0
        if self.unacknowledged == 0 and not self._ready.is_set():
            # Not connected and nothing to report: no goodbye is owed (a lost session only
            # makes the gateway release leases, and none are held).
            self._abandoned.set()
            with self._cond:
                self._cond.notify_all()
            return True
        finished = self._finished.wait(timeout_s)
        if not finished:
            self._abandoned.set()
            with self._cond:
                self._cond.notify_all()
            self._thread.join(2.0)
        return finished and self.unacknowledged == 0

    # --- the session thread ----------------------------------------------------------------

    def _run(self) -> None:
        backoff_s = 0.1
        try:
            while not self._abandoned.is_set():
                stream = _Stream()
                channel = (grpc.insecure_channel(self._address) if self._credentials is None
                           else grpc.secure_channel(self._address, self._credentials))
                try:
                    stub = worker_pb2_grpc.WorkersStub(channel)
                    call = stub.Session(self._requests(stream), metadata=self._metadata)
                    for message in call:
                        self._receive(stream, message)
                        backoff_s = 0.1
                    if stream.goodbye_sent:
                        return
                    log(logger, logging.WARNING, "gateway.session_ended", gateway=self._address)
                except grpc.RpcError as exc:
                    if stream.goodbye_sent:
                        return
                    code = exc.code() if isinstance(exc, grpc.Call) else grpc.StatusCode.UNKNOWN
                    details = exc.details() if isinstance(exc, grpc.Call) else str(exc)
                    if code in _REFUSALS:
                        self.refused = GatewayRefused(f"the gateway at {self._address} refused the session: "
                                                      f"{code.name}: {details}", op="Workers.Session",
                                                      queue=self._hello.queue)
                        log(logger, logging.ERROR, "gateway.refused", gateway=self._address, code=code.name,
                            error=details)
                        return
                    log(logger, logging.WARNING, "gateway.unreachable", gateway=self._address, code=code.name,
                        error=details, retry_in_s=backoff_s, unacknowledged=self.unacknowledged)
                finally:
                    self._ready.clear()
                    with self._cond:
                        stream.broken = True
                        self._cond.notify_all()
                    channel.close()
                self._abandoned.wait(backoff_s)
                backoff_s = min(backoff_s * 2, _BACKOFF_MAX_S)
        finally:
            self._finished.set()

    def _receive(self, stream: _Stream, message: worker_pb2.GatewayMessage) -> None:
        kind = message.WhichOneof("body")
        if kind == "outcome_ack":
            ack = message.outcome_ack
            with self._cond:
                batch = self._unacked.pop(ack.sequence, None)
                if batch is not None:
                    self._pending -= len(batch.outcomes)
                    self._cond.notify_all()
            if batch is not None:
                self._on_settled(batch.outcomes, ack.dispositions)
        elif kind == "command":
            self._on_command(message.command)
        elif kind == "welcome":
            with self._cond:
                self._heartbeat_interval_s = message.welcome.heartbeat_interval_s or 5.0
                stream.welcomed = True
                stream.next_beat = time.monotonic()  # report state at once: ListWorkers shows it
                self._cond.notify_all()
            self._ready.set()
            log(logger, logging.INFO, "gateway.connected", gateway=self._address, worker=self._hello.worker_id,
                resending=len(self._unacked))

    def _requests(self, stream: _Stream) -> Iterator[worker_pb2.WorkerMessage]:
        """What goes up one stream: hello, then every unacknowledged batch, then whatever comes."""
        yield worker_pb2.WorkerMessage(hello=self._hello)
        while True:
            with self._cond:
                message = self._next_message(stream)
            if message is None:
                return
            if message is _HEARTBEAT:  # built outside the lock: it reads the runner's state
                message = worker_pb2.WorkerMessage(heartbeat=self._status())
            yield message
            if stream.goodbye_sent:
                return

    def _next_message(self, stream: _Stream) -> worker_pb2.WorkerMessage | None:
        """Wait (holding the condition) for the next thing to send; None ends the stream."""
        while True:
            if stream.broken or self._abandoned.is_set():
                return None
            now = time.monotonic()
            if self._fresh and (self._closing or len(self._fresh) >= self._flush_max
                                or self._fresh_bytes >= _FLUSH_BYTES
                                or now - self._fresh_since >= self._flush_interval_s):
                self._seal()
            batch = next((b for seq, b in self._unacked.items() if seq > stream.sent), None)
            if batch is not None:
                stream.sent = batch.sequence
                return worker_pb2.WorkerMessage(outcomes=batch)
            if stream.welcomed and now >= stream.next_beat:
                stream.next_beat = now + self._heartbeat_interval_s
                return _HEARTBEAT
            if self._closing and stream.welcomed and not self._fresh and not self._unacked:
                stream.goodbye_sent = True
                return worker_pb2.WorkerMessage(goodbye=worker_pb2.Goodbye(reason="leases released"))
            wait_s = stream.next_beat - now if stream.welcomed else 0.5
            if self._fresh:
                wait_s = min(wait_s, self._fresh_since + self._flush_interval_s - now)
            self._cond.wait(min(max(wait_s, 0.0005), 0.5))

    def _seal(self) -> None:
        self._sequence += 1
        self._unacked[self._sequence] = worker_pb2.OutcomeBatch(
            sequence=self._sequence, queue=self._hello.queue, outcomes=self._fresh)
        self._fresh = []
        self._fresh_bytes = 0
