"""Retries of calls the gateway answered UNAVAILABLE, inside the caller's deadline.

A call is tried up to ``ATTEMPTS`` times with exponential backoff, each attempt getting what is left of the call's
deadline. Another attempt starts only if its pause plus as long as the last attempt took still fits before the
deadline; otherwise the call raises the error it has (UNAVAILABLE with the gateway's message, e.g. naming the
store), not the DEADLINE_EXCEEDED that a retry cut short would end with. A retried push is safe: every task carries
a client-made id, and the gateway stores each id once.
"""

from __future__ import annotations

import random
import time

import grpc

from sergeant.client.common import ClientError, client_error

ATTEMPTS = 5  # in all, the first included
FIRST_PAUSE_S = 0.1
MAX_PAUSE_S = 2.0
GROWTH = 2.0
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE})


class Attempts:
    """The attempts of one call: ``timeout()`` before each, ``pause(exc)`` after each failure."""

    def __init__(self, timeout_s: float | None, attempts: int = ATTEMPTS) -> None:
        self._attempt_started = time.monotonic()
        self._deadline = None if timeout_s is None else self._attempt_started + timeout_s
        self._attempts = attempts
        self.made = 0
        self._failure: ClientError | None = None  # the last failure worth reporting

    def timeout(self) -> float | None:
        """The timeout of the attempt about to start: what is left of the call's deadline."""
        self.made += 1
        self._attempt_started = time.monotonic()
        return None if self._deadline is None else max(self._deadline - self._attempt_started, 0.0)

    def pause(self, exc: grpc.RpcError) -> float:
        """How long to wait before the next attempt; raises the call's ClientError when there is none."""
        error = client_error(exc)
        now = time.monotonic()
        if error.code is grpc.StatusCode.DEADLINE_EXCEEDED and self._failure is not None:
            raise self._failure  # the deadline cut a retry short: the failure before it stands
        if error.code not in RETRYABLE or self.made >= self._attempts:
            raise error
        self._failure = error
        pause = min(FIRST_PAUSE_S * GROWTH ** (self.made - 1), MAX_PAUSE_S) * random.uniform(0.5, 1.0)
        if self._deadline is not None and now + pause + (now - self._attempt_started) > self._deadline:
            raise error
        return pause
