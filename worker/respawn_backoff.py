"""How long a supervisor waits before respawning a worker slot: crash loops back off exponentially."""

from __future__ import annotations

import collections


class RespawnBackoff:
    """Per slot: each crash of a crash loop doubles the wait (``initial_s``, 2x, 4x ... up to ``cap_s``).

    The spawner decides what is a crash loop: a worker that died before it
    leased, or one that exited with a crash code.  A worker that had been
    leasing and was killed (memory, timeout, a signal from outside) and planned
    exits (RESPAWN, max_tasks_per_run, a drain) never wait.  A worker that lived
    ``stable_after_s`` resets its slot."""

    def __init__(self, initial_s: float = 0.5, cap_s: float = 30.0, stable_after_s: float = 10.0) -> None:
        self.initial_s = initial_s
        self.cap_s = cap_s
        self.stable_after_s = stable_after_s
        self._failures: collections.Counter[int] = collections.Counter()

    def delay_s(self, slot: int, *, crashed: bool, lived_s: float) -> float:
        if lived_s >= self.stable_after_s:
            self._failures[slot] = 0
        if not crashed:
            return 0.0
        self._failures[slot] += 1
        return float(min(self.cap_s, self.initial_s * 2 ** (self._failures[slot] - 1)))
