"""A progress line for long runs: on a terminal, one redrawn bar; elsewhere (CI logs), one line per step."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


class ProgressBar:
    def __init__(self, steps: int, stream: TextIO = sys.stderr) -> None:
        self.steps = steps
        self.done_steps = 0
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.label = ""
        self._last_draw = 0.0

    def start_step(self, label: str) -> None:
        self.label = label
        self.update(0, 0)

    def update(self, done: int, total: int) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if now - self._last_draw < 0.1 and done < total:
            return
        self._last_draw = now
        fraction = (self.done_steps + (done / total if total else 0.0)) / max(self.steps, 1)
        filled = int(fraction * WIDTH)
        count = f" {done:,}/{total:,}" if total else ""
        line = (f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done_steps + 1}/{self.steps} "
                f"{_clock(now - self.started)} {self.label}{count}")
        self.stream.write(line[:160].ljust(100))
        self.stream.flush()

    def finish_step(self, summary: str) -> None:
        self.done_steps += 1
        elapsed = _clock(time.monotonic() - self.started)
        prefix = "\r" + " " * 160 + "\r" if self.tty else ""
        self.stream.write(f"{prefix}  {self.done_steps}/{self.steps} {elapsed} {self.label}: {summary}\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        prefix = "\r" + " " * 160 + "\r" if self.tty else ""
        self.stream.write(f"{prefix}{message}\n")
        self.stream.flush()
