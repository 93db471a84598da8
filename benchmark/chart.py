"""Draw results.png from results.json: throughput and latency per system, on log scales.

Run by the harness with an interpreter that has matplotlib (the main one, or the harness's
venv benchmark/.venvs/harness): ``python benchmark/chart.py results.json results.png``.
It imports nothing from the repository.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib  # type: ignore[import-not-found,unused-ignore]

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # type: ignore[import-not-found,unused-ignore]

THROUGHPUT = (("produce_single", "produce 1-by-1"), ("produce_batch", "produce batch"),
              ("consume_1", "consume 1 proc"), ("consume_n", "consume N proc"))
LATENCY = (("p50_ms", "p50"), ("p99_ms", "p99"), ("max_ms", "max"))


def compact(v: float) -> str:
    if v >= 1e6:
        return f"{v / 1e6:.2f}M"
    if v >= 1e4:
        return f"{v / 1e3:.0f}k"
    if v >= 1e3:
        return f"{v / 1e3:.1f}k"
    return f"{v:.0f}" if v >= 10 else f"{v:.2f}"


def value(system: dict[str, Any], name: str, field: str) -> float:
    found = system.get("figures", {}).get(name) or {}
    if "error" in found or "unsupported" in found:
        return 0.0
    return float(found.get(field) or 0.0)


def bars(axis: Any, systems: list[dict[str, Any]], series: tuple[tuple[str, str, str], ...], unit: str) -> None:
    labels = [s["label"] for s in systems]
    height = 0.8 / len(series)
    for k, (name, field, legend) in enumerate(series):
        values = [value(s, name, field) for s in systems]
        positions = [i + (k - (len(series) - 1) / 2) * height for i in range(len(systems))]
        drawn = axis.barh(positions, [v if v > 0 else 0 for v in values], height=height, label=legend)
        for bar, v in zip(drawn, values, strict=True):
            if v > 0:
                axis.text(bar.get_width() * 1.05, bar.get_y() + bar.get_height() / 2, compact(v), va="center",
                          fontsize=6)
    axis.set_yticks(range(len(systems)))
    axis.set_yticklabels(labels, fontsize=8)
    axis.invert_yaxis()
    axis.set_xscale("log")
    axis.set_xlabel(unit)
    axis.grid(axis="x", which="both", alpha=0.3)
    axis.legend(fontsize=7, loc="lower right")


def main(source: Path, target: Path) -> None:
    report = json.loads(source.read_text())
    systems = report["systems"]
    run, machine = report["run"], report["machine"]
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 4 + 0.9 * len(systems)),
                                         gridspec_kw={"height_ratios": [1.4, 1]})
    bars(top, systems, tuple((name, "rate", legend) for name, legend in THROUGHPUT), "tasks per second (log)")
    top.set_title(f"Throughput, N={run['n']:,} no-op tasks ({'quick' if run['quick'] else 'full'} run; no bar: "
                  "no such form, or an error)", fontsize=10)
    bars(bottom, systems, tuple(("latency", field, legend) for field, legend in LATENCY),
         "submit -> result, milliseconds (log)")
    bottom.set_title(f"Latency over {run['latency_n']:,} sequential round trips, idle system", fontsize=10)
    figure.suptitle(f"{machine['cores']} cores, {machine['cpu_model']}, Redis {machine.get('redis_version')}",
                    fontsize=9)
    figure.tight_layout()
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
