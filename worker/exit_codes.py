"""Exit codes of a worker process (``python -m sergeant.worker.child``), and what the supervisor does.

They keep the original library's numbering and add one.

====  ======================  ================================================================
code  name                    the supervisor
====  ======================  ================================================================
0     OK                      respawns it (unless it is stopping itself): the worker drained on
                              SIGTERM, or the gateway told it to drain or stop
1     CRASHED                 respawns it with exponential backoff
2     MODULE_NOT_FOUND        stops every worker and exits 2: the module does not exist
3     CLASS_NOT_FOUND         stops every worker and exits 3: the module has no such class
4     RESPAWN                 respawns it at once: ``respawn()``, ``max_tasks_per_run`` reached,
                              or a task thread stuck past its grace period
5     STOP                    stops every worker and exits 0: a task called ``stop()``
6     WORKER_FAILURE          respawns it with backoff: ``generate_config``, ``initialize`` or
                              ``finalize`` raised
7     MODULE_NOT_IMPORTABLE   stops every worker and exits 7: importing the module raised
8     GATEWAY_REFUSED         stops every worker and exits 8: the gateway refused the session
                              (bad token, no consume right, bad queue name, a store
                              other than the gateway's)
<0    killed by a signal      hands its leases back at once, respawns it with backoff
====  ======================  ================================================================
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    CRASHED = 1
    MODULE_NOT_FOUND = 2
    CLASS_NOT_FOUND = 3
    RESPAWN = 4
    STOP = 5
    WORKER_FAILURE = 6
    MODULE_NOT_IMPORTABLE = 7
    GATEWAY_REFUSED = 8


FATAL = frozenset({ExitCode.MODULE_NOT_FOUND, ExitCode.CLASS_NOT_FOUND, ExitCode.MODULE_NOT_IMPORTABLE,
                   ExitCode.GATEWAY_REFUSED})
"""Codes that respawning cannot fix: the supervisor stops and exits with the same code."""

_SEVERITY = (ExitCode.OK, ExitCode.RESPAWN, ExitCode.STOP, ExitCode.WORKER_FAILURE, ExitCode.CRASHED,
             ExitCode.GATEWAY_REFUSED)


def stronger(current: ExitCode, candidate: ExitCode) -> ExitCode:
    """When several reasons to exit meet (stop() in one thread, respawn() in another), keep the strongest."""
    return candidate if _SEVERITY.index(candidate) > _SEVERITY.index(current) else current
