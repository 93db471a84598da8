"""A background duty that runs every interval on a thread of its own, with start and shutdown."""

from __future__ import annotations

import threading


class Periodic:
    """Subclasses say what one round does in ``tick``; the thread, its pacing and its stop live here."""

    def __init__(self, name: str, interval_s: float, *, join_s: float = 2.0) -> None:
        self.interval_s = interval_s
        self._join_s = join_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def shutdown(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(self._join_s)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval_s):
            self.tick()

    def tick(self) -> None:
        raise NotImplementedError
