from __future__ import annotations

import msgpack

from sergeant.task import Priority, Task, new_task_id


def make_task(queue: str = "q", i: int = 0, **fields: object) -> Task:
    fields.setdefault("id", new_task_id())
    fields.setdefault("kwargs", msgpack.packb({"i": i}))
    return Task(queue=queue, **fields)  # type: ignore[arg-type]


def index_of(task: Task) -> int:
    kwargs = task.kwargs if isinstance(task.kwargs, dict) else msgpack.unpackb(task.kwargs)
    value: int = kwargs["i"]
    return value


def tasks(n: int, queue: str = "q", start: int = 0, priority: Priority = Priority.NORMAL, **fields: object) -> list[Task]:
    return [make_task(queue, start + i, priority=priority, **fields) for i in range(n)]
