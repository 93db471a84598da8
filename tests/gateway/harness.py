"""A real gateway on loopback, run on its own event loop thread, and a scripted worker session."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import faulthandler
import queue
import sys
import threading
from collections.abc import Iterator
from typing import Any

import grpc

from sergeant.service.config import GatewaySettings
from sergeant.service.server import running_gateway
from sergeant.v1 import worker_pb2, worker_pb2_grpc


@contextlib.contextmanager
def gateway(settings: GatewaySettings) -> Iterator[str]:
    """Serve ``settings`` (listen port 0 picks a free port); yield the address.

    The gateway shares the test process, whose RSS is not the gateway's: its memory budget (which refuses calls while
    the process is over 7/8 of it) is raised to 4 GiB unless the test set one."""
    budget = settings.memory_budget if settings.memory_budget != GatewaySettings().memory_budget else 4 << 30
    settings = dataclasses.replace(settings, listen="127.0.0.1:0", memory_budget=budget)
    ready: queue.Queue[Any] = queue.Queue()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def main() -> None:
        try:
            async with running_gateway(settings) as (_, port):
                ready.put(port)
                await stop.wait()
        except BaseException as exc:
            ready.put(exc)
            raise

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    port = ready.get(timeout=30)
    if isinstance(port, BaseException):
        raise port
    try:
        yield f"127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(90)
        if thread.is_alive():
            _dump_stuck(loop)
        assert not thread.is_alive(), "the gateway did not shut down within 90 s (stacks on stderr)"
        loop.close()


def _dump_stuck(loop: asyncio.AbstractEventLoop) -> None:
    """Say where a gateway that will not stop is stuck: every thread's stack, and every pending asyncio task's."""
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    for task in asyncio.all_tasks(loop):
        # Task.print_stack trips over Cython frames (no line numbers): format them by hand.
        frames = [f"{f.f_code.co_filename}:{f.f_lineno} in {f.f_code.co_name}" for f in task.get_stack()]
        print(f"pending {task!r}:", *frames, sep="\n  ", file=sys.stderr)


class ScriptedWorker:
    """Drives a Workers.Session stream by hand, as a worker process would."""

    def __init__(self, address: str, queue_name: str, worker_id: str, token: str | None = None,
                 store: worker_pb2.StoreIdentity | None = None) -> None:
        self.channel = grpc.insecure_channel(address)
        self.outbox: queue.Queue[worker_pb2.WorkerMessage | None] = queue.Queue()
        self.inbox: queue.Queue[worker_pb2.GatewayMessage | BaseException] = queue.Queue()
        self.worker_id = worker_id
        md = (("authorization", f"Bearer {token}"),) if token else ()
        self.stream = worker_pb2_grpc.WorkersStub(self.channel).Session(self._requests(), metadata=md)
        self.send(worker_pb2.WorkerMessage(hello=worker_pb2.Hello(
            worker_id=worker_id, queue=queue_name, pid=1, host="test", executor="threaded", concurrency=1,
            store=store)))
        threading.Thread(target=self._read, daemon=True).start()
        self._sequence = 0
        self._alive = threading.Event()
        threading.Thread(target=self._heartbeat, daemon=True).start()

    def _heartbeat(self) -> None:
        while not self._alive.wait(0.3):
            self.send(worker_pb2.WorkerMessage(heartbeat=worker_pb2.Heartbeat(in_flight=0, rss_bytes=1 << 20)))

    def _requests(self) -> Iterator[worker_pb2.WorkerMessage]:
        while (message := self.outbox.get()) is not None:
            yield message

    def _read(self) -> None:
        try:
            for message in self.stream:
                self.inbox.put(message)
        except grpc.RpcError as exc:
            self.inbox.put(exc)

    def send(self, message: worker_pb2.WorkerMessage) -> None:
        self.outbox.put(message)

    def receive(self, kind: str, timeout_s: float = 10) -> Any:
        """The next gateway message with body ``kind`` (skipping others)."""
        while True:
            message = self.inbox.get(timeout=timeout_s)
            if isinstance(message, BaseException):
                raise message
            if message.WhichOneof("body") == kind:
                return getattr(message, kind)

    def outcomes(self, queue_name: str, *outcomes: worker_pb2.Outcome) -> worker_pb2.OutcomeAck:
        self._sequence += 1
        self.send(worker_pb2.WorkerMessage(outcomes=worker_pb2.OutcomeBatch(
            sequence=self._sequence, queue=queue_name, outcomes=list(outcomes))))
        ack: worker_pb2.OutcomeAck = self.receive("outcome_ack")
        assert ack.sequence == self._sequence
        return ack

    def goodbye(self) -> None:
        self._alive.set()
        self.send(worker_pb2.WorkerMessage(goodbye=worker_pb2.Goodbye(reason="done")))
        self.outbox.put(None)

    def vanish(self) -> None:
        """Die without a goodbye, as a SIGKILLed process would."""
        self._alive.set()
        self.stream.cancel()  # type: ignore[no-untyped-call]
        self.outbox.put(None)
        self.channel.close()
