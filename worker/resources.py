"""Memory of a process tree, and killing one: shared by heartbeats, killers and the supervisor."""

from __future__ import annotations

import contextlib
import os
import signal

import psutil


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants; 0 when it is gone."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):  # a child may exit between listing and reading
            total += process.memory_info().rss
    return total


def kill_tree(pid: int, *, spare: int | None = None) -> None:
    """SIGKILL ``pid`` and every descendant (but ``spare``, e.g. the killer itself).

    The children are listed first, then the parent dies first so that it cannot
    start new ones."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        children = []
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for child in children:
        if child.pid != spare:
            with contextlib.suppress(psutil.Error):
                child.kill()
