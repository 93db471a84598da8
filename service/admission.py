"""What a gateway lets in, so that its memory stays under a budget (docs/security.md, "Memory").

Unary and client-stream calls of our services are checked before a byte of their request is read:

* calls in progress: at most ``max_requests``;
* the process's resident memory: a call that arrives while it is over the shedding mark is refused;
* requests being received: gRPC receives a whole message before anyone sees its size, so at most ``receivers``
  are received at once (each may be as large as gRPC's message limit), one per caller; the others wait their turn,
  briefly;
* the cost of the requests being handled: a request holds ``EXPANSION`` times its size on the wire (its bytes, the
  parsed message, the tasks, the store command) until its call ends (a stream's message: until the next is read);
  one that does not fit under ``max_bytes`` waits for room (keeping its turn), unless nothing else is held.

Every refusal is a ``LimitExceeded`` (RESOURCE_EXHAUSTED) that says which limit and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

import psutil

from sergeant.errors import LimitExceeded
from sergeant.service.config import GatewaySettings

# Memory a request costs the gateway while it is handled, per byte on the wire: measured with 10,000-task pushes on
# Redis, 6x in the packed form and 8.5x in the repeated one (its bytes, the parsed message, a Task per task, the
# pieces and command of the store), and the allocator's slack on top.
EXPANSION = 10
_WAIT_S = 5.0  # a request that waits longer than this for its turn to be received, or then for room, is refused
_READ_S = 10.0  # a request that has not arrived this long after its turn is refused: it keeps others from theirs
_RSS_EVERY_S = 0.05  # how stale the resident memory that admission compares with its mark may be
_OP = "gateway"
_TRIM_AFTER = 16 << 20  # a call whose request cost this much gives the allocator's free memory back when it ends
_TRIM_EVERY_S = 0.1  # at most this often: a trim takes the allocator's locks for 10-20 ms
_M_MMAP_THRESHOLD = -3  # mallopt's parameter (glibc's malloc.h)
T = TypeVar("T")


class Admission:
    """The limits of one gateway and what is counted against them; used on the event loop only (no locks)."""

    def __init__(self, max_requests: int, max_bytes: int, receivers: int, shed_rss: int) -> None:
        self.max_requests = max_requests
        self.max_bytes = max_bytes  # of expanded cost (EXPANSION x wire bytes)
        self.receivers = receivers
        self.shed_rss = shed_rss  # resident bytes over which new calls are refused
        self.requests = 0  # calls in progress
        self.bytes = 0  # the expanded cost of the requests they hold
        self._turns = asyncio.Semaphore(receivers)
        self._freed: list[asyncio.Future[None]] = []  # received requests waiting for room
        self._callers: dict[str, _CallerQueue] = {}
        self._process = psutil.Process()
        self._rss, self._rss_at = 0, 0.0

    def rss(self) -> int:
        now = time.monotonic()
        if now - self._rss_at > _RSS_EVERY_S:
            self._rss, self._rss_at = self._process.memory_info().rss, now
        return self._rss

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """Count a call in progress for as long as the block runs; refuse it (before its request is read) at a
        limit."""
        if self.requests >= self.max_requests:
            raise _busy(f"{self.requests} calls are in progress, the limit of --max-requests")
        if (rss := self.rss()) > self.shed_rss:
            _TRIMMER.due.set()  # what the gateway freed may still count: give it back, so that calls come in again
            raise _busy(f"its memory ({rss >> 20} MiB) is over {self.shed_rss >> 20} MiB, 7/8 of --memory-budget")
        self.requests += 1
        try:
            yield
        finally:
            self.requests -= 1

    @contextlib.asynccontextmanager
    async def request(self, caller: str, read: Callable[[], Awaitable[T]],
                      size: Callable[[T], int]) -> AsyncIterator[T]:
        """Receive a request message in its turn (``read``), wait for room for its cost, and hold that until the
        block ends. The turn is kept until there is room: messages received but not yet let in are at most
        ``receivers``. A caller has one turn at a time, so that one that opens calls and sends nothing (or sends
        slowly) holds one turn, not all; and a request must arrive within _READ_S of its turn."""
        deadline = asyncio.get_running_loop().time() + _WAIT_S
        queue = self._callers.setdefault(caller, _CallerQueue())
        queue.calls += 1
        try:
            async with _within(queue.lock, deadline, f"this caller's earlier request is being received, and this "
                               f"one waited {_WAIT_S:.0f} s for its turn"), \
                    _within(self._turns, deadline, f"{self.receivers} requests are being received (--memory-budget "
                            f"leaves room for that many of --max-message-bytes), and this one waited {_WAIT_S:.0f} s "
                            "for its turn"):
                try:
                    async with asyncio.timeout(_READ_S):  # not wait_for: no task per call
                        message = await read()
                except TimeoutError:
                    raise _busy(f"the request did not arrive within {_READ_S:.0f} s of its turn; send it at once "
                                "after opening the call") from None
                cost = size(message) * EXPANSION
                await self._room(cost, deadline)
                self.bytes += cost
        finally:
            queue.calls -= 1
            if not queue.calls:
                del self._callers[caller]
        try:
            yield message
        finally:
            self.bytes -= cost
            for freed in self._freed:
                if not freed.done():
                    freed.set_result(None)
            if cost >= _TRIM_AFTER:
                _TRIMMER.due.set()

    async def _room(self, cost: int, deadline: float) -> None:
        while self.bytes and self.bytes + cost > self.max_bytes:
            freed = asyncio.get_running_loop().create_future()
            self._freed.append(freed)
            try:
                async with asyncio.timeout_at(deadline):
                    await freed
            except TimeoutError:
                raise _busy(f"requests in progress hold {self.bytes >> 20} MiB, this one would take {cost >> 20} MiB "
                            f"more (about {EXPANSION} times its size), and --memory-budget leaves "
                            f"{self.max_bytes >> 20} MiB to them all; smaller batches fit sooner") from None
            finally:
                self._freed.remove(freed)


class _CallerQueue:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.calls = 0  # calls of this caller being received or waiting to be


@contextlib.asynccontextmanager
async def _within(gate: asyncio.Lock | asyncio.Semaphore, deadline: float, why: str) -> AsyncIterator[None]:
    """Hold ``gate``, taken by ``deadline`` (the event loop's time) or refused."""
    if gate.locked():
        try:
            async with asyncio.timeout_at(deadline):
                await gate.acquire()
        except TimeoutError:
            raise _busy(why) from None
    else:
        await gate.acquire()  # free: taken at once, no timer
    try:
        yield
    finally:
        gate.release()


def _busy(why: str) -> LimitExceeded:
    return LimitExceeded(f"the gateway is busy: {why}; retry with backoff", op=_OP)


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both or neither
    except (OSError, AttributeError):
        return None
    return libc


class _Trimmer:
    """Gives glibc's free memory back to the system after large requests.

    glibc keeps what a thread freed in that thread's arena, and raises its mmap threshold to the largest block freed
    so far (up to 32 MiB): without this, a gateway that handled a few large pushes at once stays at that high-water
    mark, and refuses calls for a memory it no longer uses."""

    def __init__(self) -> None:
        self.due = threading.Event()
        self._libc = _glibc()
        self._started = False

    def tune(self) -> None:
        """A fixed mmap threshold (large blocks go back to the system when freed), and the thread that trims."""
        if self._libc is None or self._started:
            return
        self._libc.mallopt(_M_MMAP_THRESHOLD, 256 << 10)
        self._started = True
        threading.Thread(target=self._run, name="malloc-trim", daemon=True).start()

    def _run(self) -> None:
        assert self._libc is not None
        while self.due.wait():
            self.due.clear()
            self._libc.malloc_trim(0)  # ctypes lets go of the GIL meanwhile
            time.sleep(_TRIM_EVERY_S)


_TRIMMER = _Trimmer()


def admission_for(settings: GatewaySettings) -> Admission:
    """The limits that keep a gateway within ``settings.memory_budget``: an eighth of it for the requests being
    received (a message is held twice for a moment: in gRPC's buffers, then as bytes), 3/8 for those being handled
    at their expanded cost, 3/8 for the gateway itself (about 70 MiB idle, its threads, the allocator's slack), and
    the last eighth is headroom: new calls are refused while the gateway is over 7/8 of its budget. Measured with 32
    clients pushing 10 MB batches at the defaults: peak RSS 200-275 MiB."""
    budget = settings.memory_budget
    _TRIMMER.tune()
    receivers = max(1, budget // 8 // (2 * settings.max_message_bytes))
    return Admission(settings.max_requests, budget * 3 // 8, receivers, budget * 7 // 8)
