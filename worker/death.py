"""Why a worker process died, in the words that its tasks' errors and dead letters carry.

The first cause recorded wins, and it is recorded before the death: the
supervisor's own kills set ``killed_for`` (and when) before the SIGKILL, and
the killer writes its death note (and when, on the same monotonic clock)
before its SIGKILL; when both killed, the earlier decision is the cause.  So when the supervisor sees a death
it always knows a cause that was decided first, and never settles a task
that the killer timed out as a mere death (the killer's own settle, which may
come before or after, records the same words).
"""

from __future__ import annotations

import dataclasses

from sergeant.store.base import Failure
from sergeant.task import TaskError
from sergeant.worker.child_process import ChildProcess
from sergeant.worker.exit_codes import ExitCode


def describe_exit(code: int) -> str:
    if code < 0:
        return f"killed by signal {-code}"
    try:
        return ExitCode(code).name
    except ValueError:
        return f"exit code {code}"


def memory_kill_reason(rss_bytes: int, limit_bytes: int) -> str:
    return f"killed: RSS {rss_bytes >> 20} MB over the {limit_bytes >> 20} MB limit"


@dataclasses.dataclass(frozen=True, slots=True)
class Death:
    reason: str  # one line: "killed: RSS 612 MB over the 300 MB limit"
    queue: str = ""  # the queue of ``timed_out`` (a killer watches one queue)
    timed_out: tuple[Failure, ...] = ()  # tasks the killer killed the process for, each with its cause

    @property
    def error(self) -> TaskError:
        """The error of every other lease the process held."""
        return TaskError("WorkerDied", self.reason)


def death_of(child: ChildProcess, code: int) -> Death:
    note = child.killer_note
    if note is not None and not (child.killed_for and child.killed_at < note["at"]):
        failures = tuple(Failure(t["task"], t["lease"], TaskError("WorkerTimedout", t["reason"]), retry=t["retry"])
                         for t in note["tasks"])
        return Death(f"{note['killed']} (another task of this worker ran past its timeout)", note["queue"], failures)
    if child.killed_for:
        return Death(child.killed_for)
    if code < 0:
        return Death(f"killed by signal {-code} from outside")
    return Death(f"exited with code {code} ({describe_exit(code)}) while holding the lease")
