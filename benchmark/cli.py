"""``./dev bench [--quick] [--sergeant-only] [--systems a,b] [--out DIR]``: run the benchmark, print and save the results.

Every system runs against one redis-server started here, flushed before each step; each
peer runs in its own venv under benchmark/.venvs/ (created on first use).  The exit code is
1 when a figure of Sergeant's own rows (or the raw redis-py ceiling) failed, else 0: a
failing peer only becomes an error entry.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmark import driver_runner, goals, machine, plan, redis_server, report, venvs
from benchmark.progress import ProgressBar
from benchmark.settings import RunSettings, full, quick
from benchmark.systems import ALL, BY_KEY, OWN, System

RESULTS = Path(__file__).resolve().parent / "results"
HARNESS_VENV = ("harness", ("matplotlib==3.11.2",))
OWN_PACKAGES = ("sergeant-queue", "sergeant-queue-client", "grpcio", "protobuf", "redis", "hiredis", "msgpack")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmark/run.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shrink N and the time caps (about two minutes)")
    parser.add_argument("--sergeant-only", action="store_true",
                        help="only Sergeant's rows and raw redis-py: no peer venv is created (the CI smoke run)")
    parser.add_argument("--systems", default="", help=f"comma-separated subset of: {', '.join(BY_KEY)}")
    parser.add_argument("--out", type=Path, default=None,
                        help="where results.{txt,json,png} go (default: benchmark/results, or benchmark/results/quick "
                             "with --quick)")
    return parser.parse_args(argv)


def select(args: argparse.Namespace) -> tuple[System, ...]:
    if args.systems:
        unknown = [k for k in args.systems.split(",") if k not in BY_KEY]
        if unknown:
            raise SystemExit(f"unknown systems {unknown}; choose from {', '.join(BY_KEY)}")
        chosen = set(args.systems.split(","))
        return tuple(s for s in ALL if s.key in chosen and not (args.sergeant_only and s.peer))
    return OWN if args.sergeant_only else ALL


def interpreter(system: System, logs: Path, bar: ProgressBar) -> tuple[Path, dict[str, str]]:
    """The python that runs a system's driver, and the versions of what it runs."""
    if not system.requirements:
        versions = {}
        for name in OWN_PACKAGES:
            try:
                versions[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                continue
        return Path(sys.executable), versions
    bar.note(f"  preparing benchmark/.venvs/{system.venv} ({', '.join(system.requirements)})")
    python = venvs.ensure_venv(system.venv, system.requirements, logs / f"{system.venv}-pip.log")
    return python, venvs.installed(python)


def run_system(system: System, settings: RunSettings, url: str, logs: Path, bar: ProgressBar) -> dict[str, Any]:
    record: dict[str, Any] = {"key": system.key, "label": system.label, "summary": system.summary,
                              "requirements": list(system.requirements), "figures": {}}
    steps = plan.steps_for(system, settings)
    try:
        python, versions = interpreter(system, logs, bar)
    except Exception as exc:
        error = f"could not prepare its venv: {type(exc).__name__}: {exc} (log {logs / (system.venv + '-pip.log')})"
        for step in steps:
            bar.start_step(step.label)
            for name in driver_runner.expected_figures(step.scenario, step.processes, step.latency):
                record["figures"][name] = {"error": error}
            bar.finish_step("ERROR " + error)
        return record
    record["interpreter"], record["packages"] = str(python), versions
    for step in steps:
        redis_server.flush(url)
        bar.start_step(step.label)
        log = logs / f"{step.label.replace(' ', '_')}.log"
        invocation = plan.invocation(step, settings, python, log, not system.requirements, venvs.package_root())
        outcome = driver_runner.run(invocation, url, bar.update)
        for name, values in outcome.figures.items():
            record["version"] = values.pop("version", record.get("version", ""))
            values.pop("system", None)
            record["figures"][name] = values
        bar.finish_step(summarize(outcome))
    return record


def summarize(outcome: driver_runner.Outcome) -> str:
    parts = []
    for name, values in outcome.figures.items():
        if "error" in values:
            parts.append(f"{name} ERROR")
        elif "unsupported" in values:
            parts.append(f"{name} n/a")
        elif "rate" in values:
            parts.append(f"{name} {values['rate']:,.0f}/s" + ("*" if values.get("capped") else ""))
        elif "p50_ms" in values:
            parts.append(f"{name} p50 {values['p50_ms']:.2f} ms p99 {values['p99_ms']:.2f} ms")
        else:
            parts.append(name)
    text = ", ".join(parts) + f" ({outcome.seconds:.0f} s)"
    return text + (f" -- {outcome.error.splitlines()[0]}" if outcome.error else "")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    settings = quick() if args.quick else full()
    systems = select(args)
    out = args.out or (RESULTS / "quick" if args.quick else RESULTS)
    logs = Path(tempfile.mkdtemp(prefix="sergeant-bench-"))
    steps = sum(len(plan.steps_for(s, settings)) for s in systems)
    bar = ProgressBar(steps)
    bar.note(f"Benchmarking {', '.join(s.key for s in systems)} ({steps} steps); logs in {logs}")
    started = time.monotonic()
    facts = machine.machine_facts()
    record: dict[str, Any] = {"suite": "sergeant benchmark", "started_at": _now(), "run": {
        **settings.as_dict(), "systems": [s.key for s in systems], "logs": str(logs)}, "machine": facts}
    with redis_server.redis_server() as url:
        facts.update(redis_server.server_info(url))
        record["systems"] = [run_system(system, settings, url, logs, bar) for system in systems]
    facts["load_average_at_end"] = machine.load_average()
    record["finished_at"] = _now()
    record["duration_s"] = round(time.monotonic() - started, 1)
    by_key = {s["key"]: s for s in record["systems"]}
    record["goals"] = goals.evaluate(by_key, settings.processes_many)
    plotter = report.chart_python(lambda: None if args.sergeant_only else _harness_python(logs, bar))
    written = report.write(record, out, plotter)
    print(report.render(record))
    print("Wrote " + ", ".join(str(p) for p in written) + ("" if plotter else " (no chart: matplotlib not installed)"))
    own_failed = [f"{s['key']} {name}" for s in record["systems"] if not BY_KEY[s["key"]].peer
                  for name, values in s["figures"].items() if "error" in values]
    if own_failed:
        print(f"FAILED: {', '.join(own_failed)}", file=sys.stderr)
    return 1 if own_failed else 0


def _harness_python(logs: Path, bar: ProgressBar) -> Path | None:
    name, requirements = HARNESS_VENV
    try:
        return venvs.ensure_venv(name, requirements, logs / f"{name}-pip.log")
    except Exception as exc:
        bar.note(f"no chart: could not install {', '.join(requirements)} into benchmark/.venvs/{name}: {exc}")
        return None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
