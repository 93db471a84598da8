"""The steps of a run: per system, which driver invocations, with which arguments and time limits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from benchmark.driver_runner import Invocation, expected_figures
from benchmark.settings import RunSettings
from benchmark.systems.base import System

STOP_ALLOWANCE_S = 2 * 20.0  # the drivers' own limit on stopping workers (and the gateway)
MARGIN_S = 90.0  # interpreter start, imports, a slow machine
BREAKDOWN_PART_CAP_S = 10.0  # each timed part of the breakdown


@dataclasses.dataclass(frozen=True)
class Step:
    system: System
    scenario: str  # produce | consume | breakdown
    processes: int = 1
    latency: bool = False

    @property
    def label(self) -> str:
        if self.scenario == "consume":
            what = f"consume x{self.processes}" + (" + latency" if self.latency else "")
        else:
            what = self.scenario
        return f"{self.system.key} {what}"


def steps_for(system: System, settings: RunSettings) -> list[Step]:
    steps = [Step(system, "produce"), Step(system, "consume", 1, latency=True)]
    if settings.processes_many > 1:
        steps.append(Step(system, "consume", settings.processes_many))
    if system.breakdown:
        steps.append(Step(system, "breakdown"))
    return steps


def invocation(step: Step, settings: RunSettings, python: Path, log: Path, own_interpreter: bool,
               package_root: Path) -> Invocation:
    s = settings
    if step.scenario == "produce":
        cap, timeout = s.produce_cap_s, 2 * s.produce_cap_s + STOP_ALLOWANCE_S + MARGIN_S
    elif step.scenario == "consume":
        cap = s.consume_cap_s
        timeout = (s.prefill_cap_s + s.startup_timeout_s + cap + (s.latency_cap_s if step.latency else 0)
                   + STOP_ALLOWANCE_S + MARGIN_S)
    else:
        cap = min(s.produce_cap_s, BREAKDOWN_PART_CAP_S)
        timeout = 10 * cap + STOP_ALLOWANCE_S + MARGIN_S
    args = ["--n", str(s.n), "--batch", str(s.batch), "--processes", str(step.processes), "--cap-s", str(cap),
            "--prefill-cap-s", str(s.prefill_cap_s), "--latency-cap-s", str(s.latency_cap_s),
            "--startup-timeout-s", str(s.startup_timeout_s),
            "--latency-n", str(s.latency_n if step.latency else 0)]
    if step.scenario == "breakdown":
        args[-1] = str(s.latency_n)
    if step.system.mode:
        args += ["--mode", step.system.mode]
    return Invocation(python=python, driver=step.system.driver, scenario=step.scenario, args=args,
                      expects=tuple(expected_figures(step.scenario, step.processes, step.latency)),
                      timeout_s=timeout, log=log, package_root=package_root, keep_pythonpath=own_interpreter)
