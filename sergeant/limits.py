"""Limits on what a caller may send, in one place: the gateway's checks and the packed push path share them.

The checks that use them are ``sergeant.task.finite_non_negative`` and ``sergeant.task.short_text``."""

from __future__ import annotations

MAX_KEY_CHARS = 256
"""``idempotency_key`` and ``trace_id`` are at most this many characters."""

QUOTE_CHARS = 64
"""Errors and logs quote at most this many characters of a bad input."""

MAX_STATUS_CHARS = 1024
"""A gRPC status message is cut to this length: clients refuse large metadata with a transport error."""

MAX_ERROR_TEXT_CHARS = 64 << 10
"""A reported task error's type, message and traceback are each cut to this many characters."""

MAX_RESULT_BYTES = 4 << 20
"""A task's result (msgpack) is at most this many bytes: an outcome must fit a gRPC message with its batch."""

MAX_WORKER_ID_CHARS = 256


def quote(value: object) -> str:
    """``value`` for an error message or a log line: its repr, cut to a short prefix that says how long it was."""
    if isinstance(value, str | bytes) and len(value) > QUOTE_CHARS:
        return f"{value[:QUOTE_CHARS]!r}... ({len(value)} {'characters' if isinstance(value, str) else 'bytes'})"
    return repr(value)
