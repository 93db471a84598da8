"""Item 11: the Redis ACL example of docs/security.md confines a worker host to its queue's keys and channel."""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgpack
import pytest
import redis

from sergeant.store import open_store
from sergeant.store.base import Release, StoreSettings
from sergeant.task import Task, TaskState, new_task_id

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def _acl_command() -> list[str]:
    found = re.search(r"<!-- acl-example[^>]*-->\s*```\s*\n(ACL SETUSER [^\n]+)\n```", DOC.read_text())
    assert found, "docs/security.md lost its ACL example"
    return shlex.split(found.group(1))


def _task(queue: str) -> Task:
    return Task(id=new_task_id(), queue=queue, kwargs=msgpack.packb({}), created_at=time.time(), want_result=True)


def test_the_documented_acl_user_works_its_queue_and_nothing_else(own_redis: str) -> None:
    admin = redis.Redis.from_url(own_redis)
    assert admin.execute_command(*_acl_command()) == b"OK"  # type: ignore[no-untyped-call]
    settings = StoreSettings(key_prefix="sergeant")  # the prefix the example names
    operator = open_store(own_redis, settings)
    confined = open_store(own_redis.replace("redis://", "redis://emails-worker:CHANGE-ME@"), settings)
    try:
        theirs = _task("payroll")
        operator.push([_task("emails"), theirs])
        # its own queue: lease, extend, give back, push
        [mine] = confined.lease("emails", 1, 30, owner="host/1/a")
        assert confined.extend("emails", [mine.id], mine.lease_id, 30) == [mine.id]
        confined.release("emails", [Release(mine.id, mine.lease_id)])
        confined.push([_task("emails")])
        assert operator.counts("emails").ready == 2
        # anything else: NOPERM
        refused: dict[str, Callable[[], Any]] = {
            "lease another queue": lambda: confined.lease("payroll", 1, 30, owner="host/1/a"),
            "read another queue's task": lambda: confined.get("payroll", theirs.id),
            "push to another queue": lambda: confined.push([_task("payroll")]),
            "subscribe to another queue": lambda: confined.subscribe(["payroll"]).get(0.1),
            "list every key": lambda: confined._redis.keys("*"),  # type: ignore[attr-defined]
            "flush the store": lambda: confined._redis.flushall(),  # type: ignore[attr-defined]
        }
        for what, attempt in refused.items():
            with pytest.raises(Exception, match=r"(?i)no permissions|NOPERM") as raised:
                attempt()
            assert raised.value is not None, what
        assert operator.get("payroll", theirs.id).state is TaskState.PENDING
        assert operator.counts("payroll").ready == 1
    finally:
        confined.close()
        operator.close()
        admin.execute_command("ACL", "DELUSER", "emails-worker")  # type: ignore[no-untyped-call]
        admin.close()
