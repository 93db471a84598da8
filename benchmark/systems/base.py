"""A system under test: which driver runs it, in which interpreter, with which pinned packages."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class System:
    key: str  # its name on the command line (--systems) and in the JSON
    label: str  # its row in the table
    driver: str  # its module under benchmark/drivers/ (run as python -m benchmark.drivers.<driver>)
    requirements: tuple[str, ...] = ()  # pinned pip specs for its own venv; () runs in the harness's interpreter
    mode: str = ""  # passed to the driver as --mode
    peer: bool = True  # False for Sergeant's own rows and the raw redis-py ceiling (no venv, runs in CI)
    breakdown: bool = False  # also run the driver's breakdown scenario
    summary: str = ""  # how it is run, in one line (the full settings come with every figure)

    @property
    def venv(self) -> str:
        return self.key
