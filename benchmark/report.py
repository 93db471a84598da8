"""The run's outputs: the terminal table (also saved as results.txt), results.json and results.png."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmark.goals import GATEWAY, WORKER, figure

CHART = Path(__file__).resolve().parent / "chart.py"
COLUMNS = (  # (figure, field, heading)
    ("produce_single", "rate", "produce 1-by-1/s"),
    ("produce_batch", "rate", "produce batch/s"),
    ("consume_1", "rate", "consume 1 proc/s"),
    ("consume_n", "rate", "consume N proc/s"),
    ("latency", "p50_ms", "p50 ms"),
    ("latency", "p99_ms", "p99 ms"),
    ("latency", "max_ms", "max ms"),
)


def _grid(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headings)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return [line(headings), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _cell(found: dict[str, Any] | None, field: str) -> str:
    if found is None or found.get(field) is None:
        return "—" if found is not None and "unsupported" in found else ""
    mark = "*" if found.get("capped") else ""
    return _number(float(found[field])) + mark


def main_table(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The table's lines, and the error notes its ERR[k] cells point to."""
    errors: list[str] = []
    rows = []
    for system in report["systems"]:
        figures = system.get("figures", {})
        notes = {}
        for name in dict.fromkeys(name for name, _, _ in COLUMNS):
            found = figures.get(name)
            if found is not None and "error" in found:
                errors.append(f"{system['key']} {name}: {found['error']}")
                notes[name] = f"ERR[{len(errors)}]"
        rows.append([system["label"], str(system.get("version", "")),
                     *(notes.get(name) or _cell(figures.get(name), field) for name, field, _ in COLUMNS)])
    return _grid(["system", "version", *(h for _, _, h in COLUMNS)], rows), errors


def goals_table(goals: Sequence[dict[str, Any]]) -> list[str]:
    rows = []
    for goal in goals:
        measured = goal["measured"]
        shown = "n/a" if measured is None else f"{measured:g}{'x' if goal['unit'] == 'x' else ' ms'}"
        verdict = {True: "met", False: "NOT MET", None: "n/a"}[goal["met"]]
        rows.append([goal["goal"], shown, goal["target"], verdict])
    return _grid(["goal", "measured", "target", "verdict"], rows)


def breakdown_lines(report: dict[str, Any]) -> list[str]:
    systems = {s["key"]: s for s in report["systems"]}
    found = figure(systems, GATEWAY, "breakdown")
    if found is None:
        return []
    produce, consume, one = found["produce_us_per_task"], found["consume_us_per_task"], found["one_task_ms"]
    us = {name: part["us_per_task"] for name, part in {**produce, **consume}.items()}
    lines = [f"Where the time goes (µs per task, batches of {found['batch']}; one task: p50 ms)"]
    gateway_rest = us["gateway_push_many_total"] - us["client_build_request"] - us["store_push_prebuilt"]
    lines += [
        f"  produce via gateway  {us['gateway_push_many_total']:8.2f} = client request build "
        f"{us['client_build_request']:.2f} + store push {us['store_push_prebuilt']:.2f} + gRPC/gateway "
        f"{gateway_rest:.2f}  (serialize alone {us['client_serialize_request']:.2f}; raw RPUSH "
        f"{us['redis_rpush_ceiling']:.2f})",
    ]
    consume_rate = (figure(systems, WORKER, "consume_1") or figure(systems, GATEWAY, "consume_1") or {}).get("rate")
    parts = us["store_lease_decode_and_settle"] + us["received_task"]
    if consume_rate:
        total = 1e6 / float(consume_rate)
        rest = f"{total - parts:.2f}" if total >= parts else "n/a (the parts exceed the measured total: a noisy run)"
        lines.append(f"  consume, 1 worker    {total:8.2f} = store lease+decode+settle "
                     f"{us['store_lease_decode_and_settle']:.2f} + ReceivedTask {us['received_task']:.2f} + runtime "
                     f"(executor, hooks, timers, settler) {rest}")
    else:
        lines.append(f"  consume parts        store lease+decode+settle {us['store_lease_decode_and_settle']:.2f} + "
                     f"ReceivedTask {us['received_task']:.2f}")
    latency = figure(systems, GATEWAY, "latency")
    lines.append(
        f"  one task (p50 ms)    gateway Push RTT {one['gateway_push_one_rtt']['p50_ms']:.3f}; store push "
        f"{one['store_push_one']['p50_ms']:.3f}; store push+lease+settle {one['store_push_lease_settle_one']['p50_ms']:.3f}; "
        f"worker outcome flush interval {found['worker_outcome_flush_interval_ms']:g}"
        + (f"; submit->result {latency['p50_ms']:.3f}" if latency else ""))
    return lines


def settings_lines(report: dict[str, Any]) -> list[str]:
    lines = ["Settings per system (all figures in results.json carry theirs):"]
    for system in report["systems"]:
        lines.append(f"  {system['label']}: {system.get('summary', '')}")
    return lines


def render(report: dict[str, Any]) -> str:
    run, machine = report["run"], report["machine"]
    title = (f"Sergeant benchmark ({'quick' if run['quick'] else 'full'} run: N={run['n']:,}, latency "
             f"{run['latency_n']:,} round trips, batch {run['batch']:,}, N proc = {run['processes_many']}) "
             f"in {report['duration_s']:.0f} s")
    facts = (f"{machine['cores']} cores, {machine['cpu_model']}, {machine.get('memory_gib')} GiB, Redis "
             f"{machine.get('redis_version')}, Python {machine['python']}, load average "
             f"{machine['load_average_at_start']} -> {machine.get('load_average_at_end')}")
    table, errors = main_table(report)
    lines = [title, facts, "", *table,
             "  * time-capped: the rate covers the tasks done before the cap (see count/target in results.json)",
             "  — the system offers no such form", ""]
    lines += ["Goals (ratios of figures from this run)", *goals_table(report["goals"]), ""]
    if breakdown := breakdown_lines(report):
        lines += [*breakdown, ""]
    lines += settings_lines(report)
    if errors:
        lines += ["", "Errors:"]
        for number, error in enumerate(errors, 1):
            first, *rest = error.splitlines()
            lines.append(f"  [{number}] {first}")
            lines += [f"      {line}" for line in rest[-6:]]
    return "\n".join(lines) + "\n"


def chart_python(harness_venv: Callable[[], Path | None]) -> Path | None:
    """An interpreter with matplotlib: this one, else the harness's venv (``harness_venv`` makes it), else none."""
    if importlib.util.find_spec("matplotlib") is not None:
        return Path(sys.executable)
    return harness_venv()


def write(report: dict[str, Any], out: Path, plotter: Path | None) -> list[Path]:
    """Write results.json, results.txt and (with an interpreter that has matplotlib) results.png."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "results.json", out / "results.txt"]
    written[0].write_text(json.dumps(report, indent=2, default=str) + "\n")
    written[1].write_text(render(report))
    if plotter is not None:
        png = out / "results.png"
        done = subprocess.run([str(plotter), str(CHART), str(written[0]), str(png)], capture_output=True, text=True,
                              timeout=120)
        if done.returncode == 0:
            written.append(png)
        else:
            print(f"chart failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
    return written
