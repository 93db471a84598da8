"""Task ids made by producers and the gateway: unique within a process and across forks."""

from __future__ import annotations

import os

from sergeant.task import TASK_ID_PATTERN, new_task_id


def test_ids_are_valid_unique_and_increasing() -> None:
    ids = [new_task_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert all(TASK_ID_PATTERN.fullmatch(i) for i in ids)


def test_a_forked_child_never_shares_its_parents_prefix() -> None:
    parent = new_task_id()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report one id and leave without running pytest's exit handlers
        os.write(write, new_task_id().encode())
        os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    child = os.read(read, 256).decode()
    os.close(read)
    assert status == 0 and TASK_ID_PATTERN.fullmatch(child)
    assert child[14:] != parent[14:]  # the random per-process part
