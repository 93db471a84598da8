"""Plans for the Redis store's rare paths: tasks that leave a lease one by one.

A fail, a retry, a requeue, a release, a dead owner's leases and an expired lease
all come down to the same thing: read the lease's pieces and done-set, decide in
Python where each task goes (its attempts and max_attempts are in its record),
and hand the plan to ``move.lua``, which applies it only if the lease and its
done-set are still what was read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sergeant.store import pieces
from sergeant.store.base import Disposition
from sergeant.store.records import pack_result, pack_task
from sergeant.task import EventKind, Priority, Task, TaskError, TaskResult, TaskState

DONE, OPEN = "1", "0"


@dataclasses.dataclass(frozen=True, slots=True)
class Requeue:
    """Back to its queue: at the head in lease order when due now, else scheduled."""

    attempt_delta: int
    not_before: float = 0.0  # 0: now
    event: EventKind | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Bury:
    error: TaskError
    attempt_delta: int = 1


@dataclasses.dataclass(frozen=True, slots=True)
class Finish:
    """A terminal record (SUCCEEDED or CANCELLED); kept only for a task that wants its result."""

    result: TaskResult


Action = Requeue | Bury | Finish


@dataclasses.dataclass
class LeaseView:
    """One lease as read: its tasks in order, their records, and which are already settled."""

    lease_id: str
    tasks: list[Task]
    records: list[tuple[pieces.Header, bytes]]
    done: str  # the done-set read ("" when none is stored)

    @classmethod
    def read(cls, lease_id: str, blob: bytes, done: bytes | None, queue: str) -> LeaseView:
        tasks = pieces.decode(blob, queue, lease_id)
        return cls(lease_id, tasks, pieces.raw_records(blob), done.decode() if done else "")

    def settled(self, position: int) -> bool:
        return self.done[position:position + 1] == DONE

    def position_of(self) -> dict[str, int]:
        return {t.id: n for n, t in enumerate(self.tasks)}


@dataclasses.dataclass
class MovePlan:
    """``move.lua``'s arguments, built one task at a time."""

    view: LeaseView
    now: float
    heads: list[tuple[int, int, bytes]] = dataclasses.field(default_factory=list)
    delayed: list[tuple[int, float, int, bytes]] = dataclasses.field(default_factory=list)
    burials: list[tuple[str, bytes, bytes]] = dataclasses.field(default_factory=list)
    terminals: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)
    index: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    events: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    leaving: set[int] = dataclasses.field(default_factory=set)
    _run: list[tuple[int, Requeue]] = dataclasses.field(default_factory=list)

    def apply(self, actions: Sequence[tuple[int, Action]]) -> dict[int, Disposition]:
        """Plan each (position, action); positions already settled, or repeated, are LEASE_LOST."""
        outcome: dict[int, Disposition] = {}
        for position, action in sorted(actions, key=lambda a: a[0]):
            if self.view.settled(position) or position in self.leaving:
                continue
            self.leaving.add(position)
            outcome[position] = self._plan(position, action)
        self._flush_run()
        return outcome

    def _plan(self, position: int, action: Action) -> Disposition:
        task = self.view.tasks[position]
        if isinstance(action, Requeue):
            self._note(task, "s" if action.not_before > self.now else "p", action.event)
            if action.not_before > self.now:
                header, record = self.view.records[position]
                [piece] = pieces.rebuild([(header, record)], attempt_delta=action.attempt_delta)
                self.delayed.append((3 if task.priority is Priority.HIGH else 4, action.not_before, 1, piece))
            else:
                if self._run and (self._run[-1][0] != position - 1 or self._run[-1][1] != action
                                  or self.view.tasks[self._run[-1][0]].priority is not task.priority):
                    self._flush_run()
                self._run.append((position, action))
            return Disposition.RETRYING if action.attempt_delta else Disposition.REQUEUED
        if isinstance(action, Bury):
            attempt = task.attempt + action.attempt_delta
            dead = dataclasses.replace(task, attempt=attempt, lease_id="", lease_deadline=0.0, lease_position=0)
            record = pack_result(TaskResult(TaskState.DEAD, None, action.error, self.now, attempt))
            self.burials.append((task.id, pack_task(dead), record))
            self._note(task, "", EventKind.DEAD)
            return Disposition.DEAD
        if task.want_result:
            self.terminals.append((task.id, pack_result(action.result)))
        event = EventKind.CANCELLED if action.result.state is TaskState.CANCELLED else EventKind.SUCCEEDED
        self._note(task, "", event)
        return Disposition.DONE

    def _note(self, task: Task, state: str, event: EventKind | None) -> None:
        if task.want_result:
            self.index.append((task.id, state))
        if event is not None:
            self.events.setdefault(event.value, []).append(task.id)

    def _flush_run(self) -> None:
        if not self._run:
            return
        first, action = self._run[0]
        records = [self.view.records[p] for p, _ in self._run]
        destination = 1 if self.view.tasks[first].priority is Priority.HIGH else 2
        for piece in pieces.rebuild(records, attempt_delta=action.attempt_delta):
            self.heads.append((destination, pieces.header_of(piece).count, piece))
        self._run = []

    def done_after(self) -> str:
        total = len(self.view.tasks)
        before = self.view.done or OPEN * total
        after = "".join(DONE if before[n] == DONE or n in self.leaving else OPEN for n in range(total))
        return "" if OPEN not in after else after

    def args(self, *, expired_only: bool, channel: str, bucket_expiry: int) -> list[Any]:
        args: list[Any] = [self.view.lease_id, self.now, "1" if expired_only else "0", channel, self.view.done,
                           self.done_after(), bucket_expiry, len(self.leaving), len(self.heads), len(self.delayed),
                           len(self.burials), len(self.terminals), len(self.index), len(self.events)]
        for destination, count, piece in self.heads:
            args += (destination, count, piece)
        for destination, not_before, count, piece in self.delayed:
            args += (destination, repr(not_before), count, piece)
        for task_id, envelope, record in self.burials:
            args += (task_id, envelope, record)
        for task_id, record in self.terminals:
            args += (task_id, record)
        for task_id, state in self.index:
            args += (task_id, state)
        for kind, ids in self.events.items():
            args += (kind, ",".join(ids))
        return args
