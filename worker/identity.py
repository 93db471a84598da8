"""Worker ids: ``<host>/<pid>/<nonce>``, the owner prefix of every lease the worker takes.

A supervisor passes the nonce to the child it spawns and, knowing the child's
pid, computes the same id, so that it can hand the child's leases back the
moment the child dies.
"""

from __future__ import annotations

import os
import secrets
import socket


def new_nonce() -> str:
    return secrets.token_hex(4)


def worker_id_for(pid: int, nonce: str) -> str:
    return f"{socket.gethostname()}/{pid}/{nonce}"


def own_worker_id(nonce: str | None = None) -> str:
    return worker_id_for(os.getpid(), nonce or new_nonce())
