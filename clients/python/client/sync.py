"""The blocking client."""

from __future__ import annotations

import collections
import concurrent.futures
import ipaddress
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import grpc

from sergeant.client.coalesce import Coalescer
from sergeant.client.common import (
    BATCH,
    IN_FLIGHT,
    LINGER_S,
    ClientError,
    Event,
    TaskFailed,
    TaskStatus,
    answered,
    client_error,
    credentials,
    event_from_pb,
    joined,
    metadata,
    no_result_yet,
    outcome,
    packed_options,
    packed_request,
    status_from_pb,
    submit_error,
    task_ids,
    task_message,
)
from sergeant.client.retry import Attempts
from sergeant.packed import pack_batch, pack_record
from sergeant.task import new_task_id
from sergeant.v1 import producer_pb2, producer_pb2_grpc

__all__ = ["Client", "ClientError", "Event", "Submission", "TaskFailed", "TaskStatus"]


# Calls spread over every address the target names (several gateways), not all sent to the first that answers.
# No retry policy here: the client retries UNAVAILABLE itself (``retry.Attempts``), inside the deadline.
ROUND_ROBIN_CONFIG = json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})


def channel_target(address: str | Sequence[str], round_robin: bool | None) -> tuple[str, bool]:
    """gRPC's target for one address or several gateways' (IP literals, as ``ipv4:`` / ``ipv6:`` targets), and
    whether calls go round robin over the addresses: by default only when several are given (docs/scaling.md)."""
    if isinstance(address, str):
        return address, bool(round_robin)
    if not address:
        raise ValueError("no gateway address given")
    try:
        hosts = [ipaddress.ip_address(a.rpartition(":")[0].strip("[]")) for a in address]
    except ValueError:
        raise ValueError(f"several gateways are given by IP address and port (host:port, [v6]:port): {address}; "
                         "for names, give one target that resolves to all of them, e.g. "
                         "'dns:///gateways.internal:50051', with round_robin=True") from None
    versions = {h.version for h in hosts}
    if len(versions) > 1:
        raise ValueError(f"several gateways are all IPv4 or all IPv6 addresses, not both: {address}")
    return f"ipv{versions.pop()}:{','.join(address)}", round_robin is not False


def channel_options(max_message_bytes: int, round_robin: bool = False) -> list[tuple[str, Any]]:
    balancing = [("grpc.service_config", ROUND_ROBIN_CONFIG)] if round_robin else []
    return [*balancing, ("grpc.max_send_message_length", max_message_bytes),
            ("grpc.max_receive_message_length", max_message_bytes)]


class Submission:
    """A submitted task: ``result()`` waits for it; ``events`` holds what streamed so far."""

    def __init__(self, client: Client, queue: str, task_id: str, stream: Iterator[Any],
                 on_progress: Callable[[Event], None] | None, timeout_s: float | None = None) -> None:
        self.queue, self.task_id = queue, task_id
        self._timeout_s = timeout_s
        self.events: list[Event] = []
        self._client = client
        self._stream = stream
        self._future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._on_progress = on_progress
        threading.Thread(target=self._follow, name=f"submit-{task_id}", daemon=True).start()

    def _follow(self) -> None:
        try:
            for message in self._stream:
                event = event_from_pb(message)
                self.events.append(event)
                if event.kind == "progress" and self._on_progress is not None:
                    self._on_progress(event)
                if event.terminal:
                    try:
                        self._future.set_result(outcome(event))
                    except TaskFailed as failed:
                        self._future.set_exception(failed)
                    return
            self._future.set_exception(ClientError(grpc.StatusCode.UNKNOWN, "the event stream ended early"))
        except ClientError as exc:
            if not self._future.done():
                self._future.set_exception(submit_error(exc, self.queue, self.task_id, self._timeout_s, self.events))

    def result(self, timeout: float | None = None) -> Any:
        """The task's result; raises TaskFailed (dead or cancelled), ClientError or TimeoutError."""
        try:
            return self._future.result(timeout)
        except TimeoutError:
            raise TimeoutError(no_result_yet(self.queue, self.task_id, timeout, self.events)) from None

    def done(self) -> bool:
        return self._future.done()

    def cancel(self) -> str:
        return self._client.cancel(self.queue, self.task_id)


class Client:
    """A blocking client; safe to share between threads.

    ``linger_s``: how long a ``push`` that finds another push in flight waits for more pushes from other threads to
    share one Push with (0: never). ``batch_size``: tasks per Push; ``in_flight``: Pushes ``push_many`` keeps
    in flight at once.

    Several gateways: give ``address`` as a list (``["10.0.0.5:50051", "10.0.0.6:50051"]``), and calls go round
    robin over them; or one target that resolves to all of them (``"dns:///gateways.internal:50051"``) with
    ``round_robin=True``. A gateway that goes away leaves the others to take every call.
    """

    def __init__(self, address: str | Sequence[str] = "127.0.0.1:50051", *, token: str | None = None,
                 tls: bool | bytes = False, timeout_s: float = 30.0, max_message_bytes: int = 16 << 20,
                 linger_s: float = LINGER_S, batch_size: int = BATCH, in_flight: int = IN_FLIGHT,
                 round_robin: bool | None = None) -> None:
        creds = credentials(tls)
        target, balanced = channel_target(address, round_robin)
        options = channel_options(max_message_bytes, balanced)
        self._channel = (grpc.secure_channel(target, creds, options) if creds
                         else grpc.insecure_channel(target, options))
        self._stub = producer_pb2_grpc.ProducerStub(self._channel)
        self._metadata = metadata(token)
        self.timeout_s = timeout_s
        self.batch_size, self.in_flight = batch_size, in_flight
        self._coalescer = Coalescer(self._send_records, linger_s, batch_size)

    def _call(self, method: Any, request: Any, attempts: Attempts | None = None) -> Any:
        """A unary call, retried within its deadline (see ``retry``); ``attempts``: those made so far."""
        attempts = attempts or Attempts(self.timeout_s)
        while True:
            try:
                return method(request, timeout=attempts.timeout(), metadata=self._metadata)
            except grpc.RpcError as exc:
                time.sleep(attempts.pause(exc))

    def _stream(self, method: Any, request: Any, timeout_s: float | None) -> Iterator[Any]:
        """A server stream's messages; opened again (within ``timeout_s``) while it fails before its first one."""
        attempts = Attempts(timeout_s)
        while True:
            received = False
            try:
                for message in method(request, timeout=attempts.timeout(), metadata=self._metadata):
                    received = True
                    yield message
                return
            except grpc.RpcError as exc:
                if received:
                    raise client_error(exc) from None
                time.sleep(attempts.pause(exc))

    def push(self, queue: str, kwargs: Mapping[str, Any], *, task_id: str = "", want_result: bool = False,
             **options: Any) -> str:
        """Push one task; returns its id (the first task's id when its id or idempotency key matched an earlier
        push). Pushes from several threads at once share Pushes (see ``linger_s``)."""
        task_id = task_id or new_task_id()
        record = pack_record(packed_options(**options).record(task_id, kwargs))
        return self._coalescer.push(queue, want_result, task_id, record)

    def _send_records(self, queue: str, want_results: bool, ids: list[str], records: list[bytes]) -> list[str]:
        try:
            reply = self._call(self._stub.Push, packed_request(queue, joined(records), want_results))
        except ClientError as exc:
            raise ClientError(exc.code, exc.details, ids) from None
        answer = list(ids)
        answered(answer, 0, reply)
        return answer

    def push_many(self, queue: str, many: Sequence[Mapping[str, Any]], *, ids: Sequence[str] | None = None,
                  want_results: bool = False, **options: Any) -> list[str]:
        """Push tasks in order, ``batch_size`` per Push (each stored atomically), with up to ``in_flight`` Pushes
        at once; returns their ids in order (a duplicate's id replaced by the id pushed first).

        Pass your own ``ids`` to make a retry safe: on failure the ClientError carries the ids in ``.ids``; some
        batches may be stored (UNAVAILABLE after a gateway restart, a deadline), so retry with the same ids and
        nothing is stored twice. ``want_results``: keep each task's result for ``get`` and ``watch``.
        """
        ids = task_ids(len(many), ids)
        answer = list(ids)
        fields = packed_options(**options)
        pending: collections.deque[tuple[int, Any, Attempts, Any]] = collections.deque()
        try:
            for start in range(0, len(many), self.batch_size):
                end = min(start + self.batch_size, len(many))
                tasks = pack_batch(fields.records(ids[start:end], many[start:end]))
                if len(pending) >= self.in_flight:
                    self._settle(answer, *pending.popleft())
                request, attempts = packed_request(queue, tasks, want_results), Attempts(self.timeout_s)
                future = self._stub.Push.future(request, timeout=attempts.timeout(), metadata=self._metadata)
                pending.append((start, request, attempts, future))
            while pending:
                self._settle(answer, *pending.popleft())
        except ClientError as exc:
            raise ClientError(exc.code, exc.details, ids) from None
        finally:
            for *_, future in pending:
                future.cancel()
        return answer

    def _settle(self, answer: list[str], start: int, request: Any, attempts: Attempts, future: Any) -> None:
        """Wait for a Push sent in flight; retry it here, within its deadline, if it failed."""
        try:
            reply = future.result()
        except grpc.RpcError as exc:
            time.sleep(attempts.pause(exc))
            reply = self._call(self._stub.Push, request, attempts)
        answered(answer, start, reply)

    def submit(self, queue: str, kwargs: Mapping[str, Any], *, on_progress: Callable[[Event], None] | None = None,
               timeout_s: float | None = None, **options: Any) -> Submission:
        """Push one task and follow it: ``.result()`` returns what work() returned."""
        task = task_message(queue, kwargs, **options)
        task.id = task.id or new_task_id()  # made here, so that a Submit retried after UNAVAILABLE follows one task
        stream = self._stream(self._stub.Submit,
                              producer_pb2.SubmitRequest(task=task, progress=on_progress is not None), timeout_s)
        return Submission(self, queue, task.id, stream, on_progress, timeout_s)

    def watch(self, queue: str, task_ids: Sequence[str] = (), *, progress: bool = False,
              timeout_s: float | None = None) -> Iterator[Event]:
        """Events of these tasks until all are terminal (or of the whole queue, forever)."""
        request = producer_pb2.WatchRequest(queue=queue, task_ids=list(task_ids), progress=progress)
        for message in self._stream(self._stub.Watch, request, timeout_s):
            yield event_from_pb(message)

    def get(self, queue: str, task_id: str) -> TaskStatus:
        return status_from_pb(task_id, self._call(self._stub.GetTask,
                                                  producer_pb2.GetTaskRequest(queue=queue, task_id=task_id)))

    def cancel(self, queue: str, task_id: str) -> str:
        """'cancelled' (it will never run), 'running' (its worker was told to stop) or 'finished'."""
        reply = self._call(self._stub.Cancel, producer_pb2.CancelRequest(queue=queue, task_id=task_id))
        return str(producer_pb2.CancelOutcome.Name(reply.outcome)).removeprefix("CANCEL_OUTCOME_").lower()

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
