"""The issue's goals, as ratios and bounds computed from figures measured in the same run."""

from __future__ import annotations

from typing import Any

Systems = dict[str, dict[str, Any]]  # system key -> its JSON record (with "figures")

GATEWAY, WORKER, RESULTS, ORIGINAL, CELERY = ("sergeant-gateway", "sergeant-worker", "sergeant-results", "sergeant-0.27",
                                             "celery")


def figure(systems: Systems, key: str, name: str) -> dict[str, Any] | None:
    """A figure that was measured (no error, not unsupported), or None."""
    found = systems.get(key, {}).get("figures", {}).get(name)
    if not found or "error" in found or "unsupported" in found:
        return None
    return dict(found)


def rate(systems: Systems, key: str, name: str) -> float | None:
    found = figure(systems, key, name)
    return float(found["rate"]) if found and found.get("rate") else None


def best_produce(systems: Systems, key: str) -> float | None:
    rates = [r for r in (rate(systems, key, "produce_single"), rate(systems, key, "produce_batch")) if r]
    return max(rates) if rates else None


def sergeant_consume(systems: Systems, name: str) -> float | None:
    """Sergeant's consume: the worker-API run (store-pushed backlog), else the gateway run."""
    return rate(systems, WORKER, name) or rate(systems, GATEWAY, name)


def _ratio(goal: str, ours: float | None, theirs: float | None, target: float, basis: str) -> dict[str, Any]:
    measured = round(ours / theirs, 2) if ours and theirs else None
    return {"goal": goal, "measured": measured, "unit": "x", "target": f">= {target:g}x",
            "met": None if measured is None else measured >= target, "basis": basis}


def _bound(goal: str, value: float | None, target: float) -> dict[str, Any]:
    return {"goal": goal, "measured": value, "unit": "ms", "target": f"<= {target:g} ms",
            "met": None if value is None else value <= target, "basis": "latency figure"}


def evaluate(systems: Systems, processes_many: int) -> list[dict[str, Any]]:
    n = f"x{processes_many}"
    gateway_batch = rate(systems, GATEWAY, "produce_batch")
    goals = [
        _ratio("gateway batched produce vs original push_tasks", gateway_batch,
               rate(systems, ORIGINAL, "produce_batch"), 1, "Client.push_many / original push_tasks (1000 a call)"),
        _ratio("batched consume (leases + acks, no results), 1 process, vs original",
               sergeant_consume(systems, "consume_1"), rate(systems, ORIGINAL, "consume_1"), 1,
               "lease batch 1000 vs tasks_per_transaction 1000"),
        _ratio(f"batched consume, {n} processes, vs original", sergeant_consume(systems, "consume_n"),
               rate(systems, ORIGINAL, "consume_n"), 1, f"{n} worker processes each"),
        _ratio("batched consume with every result stored, 1 process, vs original",
               rate(systems, RESULTS, "consume_1"), rate(systems, ORIGINAL, "consume_1"), 0.5,
               "every task pushed with want_result"),
        _ratio("single-task produce, 64 callers, gateway vs Huey one by one", rate(systems, GATEWAY, "produce_single"),
               rate(systems, "huey", "produce_single"), 1, "Client.push from 64 threads, coalesced"),
        _ratio("gateway batched produce vs Celery", gateway_batch, best_produce(systems, CELERY), 20,
               "Client.push_many / Celery's best produce (apply_async)"),
        _ratio("batched consume, 1 process, vs Celery (solo)", sergeant_consume(systems, "consume_1"),
               rate(systems, CELERY, "consume_1"), 20, "one worker process each"),
        _ratio(f"batched consume, {n} processes, vs Celery (prefork)", sergeant_consume(systems, "consume_n"),
               rate(systems, CELERY, "consume_n"), 20, f"{n} worker processes each"),
    ]
    for key, label in ((GATEWAY, "gateway"), (WORKER, "worker API")):
        latency = figure(systems, key, "latency")
        goals.append(_bound(f"latency p50 ({label})", latency["p50_ms"] if latency else None, 2.0))
        goals.append(_bound(f"latency p99 ({label})", latency["p99_ms"] if latency else None, 10.0))
    return goals
