"""What every driver shares: arguments, the workload, the consume gate, worker processes and the scenarios.

A driver is a script run by the harness with a peer's own interpreter (its venv under
benchmark/.venvs/), so this module needs nothing but the standard library and redis-py.
It talks to the harness through stdout: ``BENCH-PROGRESS done total`` lines while it
works and one ``BENCH-RESULT {json}`` line per figure it measured.  Everything else it prints goes
to the harness's log of the scenario.

Scenarios (one per run of a driver; each prints one result line per figure it makes):

* ``produce``: push N tasks one call per task (figure ``produce_single``), then, on an
  emptied database, in the peer's best batch form (``produce_batch``).  Each stops at
  ``--cap-s``; the figure then covers the tasks pushed so far.
* ``consume --processes P``: N tasks wait behind a gate while P worker processes start and
  warm up; the clock starts when the gate opens (all N become available at once) and stops
  when the last completion is counted (``consume_1`` or ``consume_n``).  The default gate
  renames the peer's ready key away and back (one atomic Redis command each way); Sergeant
  pauses and resumes its queue.  With ``--latency-n L`` the same workers first serve L
  sequential round trips (submit one task, wait for its result) while the backlog waits:
  the ``latency`` figure, on an otherwise idle system.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import redis

RESULT_PREFIX = "BENCH-RESULT "
PROGRESS_PREFIX = "BENCH-PROGRESS "
QUEUE = "bench"
COUNTER_KEY = "bench:done"  # completions, INCR'ed by the peers' no-op tasks
HIDDEN_SUFFIX = ":bench-gate"
PACKAGE = "benchmark.drivers"  # run as python -m benchmark.drivers.<module>, with only benchmark/ on the path
PAYLOAD_S = "0123456789abcdefghijklmnopqrstuv"  # the 32-character string of every task's kwargs
POLL_MIN_S, POLL_MAX_S = 0.0005, 0.005  # a wait loop reads its counter every elapsed/200 within these bounds
STOP_TIMEOUT_S = 20.0  # after SIGTERM, before the worker group is SIGKILLed
ROUND_TRIP_TIMEOUT_S = 10.0  # one latency round trip
LATENCY_WARMUP = 20  # round trips done before the measured ones
SETTLE_S = 0.3  # after the warm-up, for every worker process to settle into its idle wait


def payload(i: int) -> dict[str, Any]:
    """The kwargs of task ``i``: {"i": n, "s": 32 characters}."""
    return {"i": i, "s": PAYLOAD_S}


class Unsupported(Exception):
    """The peer offers no such form (its batch produce, say); reported as such, not as an error."""


@dataclasses.dataclass(frozen=True)
class Args:
    scenario: str
    redis_url: str
    n: int
    batch: int
    processes: int
    cap_s: float
    prefill_cap_s: float
    latency_n: int
    latency_cap_s: float
    startup_timeout_s: float
    mode: str
    pgid_file: str


def parse_args(argv: list[str] | None = None) -> Args:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=["produce", "consume", "breakdown", "worker"])
    parser.add_argument("--redis", dest="redis_url", required=True)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--cap-s", type=float, default=30.0, help="stop measuring after this long")
    parser.add_argument("--prefill-cap-s", type=float, default=20.0, help="stop filling the backlog after this long")
    parser.add_argument("--latency-n", type=int, default=0, help="consume: first measure this many round trips")
    parser.add_argument("--latency-cap-s", type=float, default=60.0, help="stop the round trips after this long")
    parser.add_argument("--startup-timeout-s", type=float, default=120.0,
                        help="workers must have finished their warm-up tasks within this")
    parser.add_argument("--mode", default="", help="a driver's variant (Sergeant: gateway or direct)")
    parser.add_argument("--pgid-file", default=os.environ.get("BENCH_PGID_FILE", ""))
    return Args(**vars(parser.parse_args(argv)))


# --- talking to the harness ---------------------------------------------------------------------


class Progress:
    """``BENCH-PROGRESS done total`` lines, at most every 0.2 s."""

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= 0.2:
            self._last = now
            print(f"{PROGRESS_PREFIX}{done} {total}", flush=True)


progress = Progress()


def emit_result(result: Mapping[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- timing helpers ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Timed:
    count: int
    seconds: float
    capped: bool  # stopped by the time cap before reaching its target

    def figure(self, target: int, **extra: Any) -> dict[str, Any]:
        rate = self.count / self.seconds if self.seconds > 0 else 0.0
        return {"count": self.count, "target": target, "seconds": round(self.seconds, 4), "rate": round(rate, 1),
                "capped": self.capped, **extra}


def timed_loop(step: Callable[[int], int], n: int, cap_s: float) -> Timed:
    """Call ``step(done)`` (it returns how many it did) until ``n`` are done or ``cap_s`` passed."""
    done = 0
    started = time.perf_counter()
    give_up = started + cap_s
    while done < n:
        done += step(done)
        progress(done, n)
        if time.perf_counter() > give_up and done < n:
            return Timed(done, time.perf_counter() - started, True)
    return Timed(done, time.perf_counter() - started, False)


def wait_for_count(read: Callable[[], int], target: int, cap_s: float, started: float) -> Timed:
    """Poll ``read()`` until it reaches ``target`` or ``cap_s`` passed since ``started`` (perf_counter)."""
    give_up = started + cap_s
    while True:
        done = read()
        now = time.perf_counter()
        progress(done, target)
        if done >= target:
            return Timed(done, now - started, False)
        if now > give_up:
            return Timed(done, now - started, True)
        # Polling costs the workers some CPU and Redis some commands: keep its share, and its error, near 0.5 %.
        time.sleep(min(POLL_MAX_S, max(POLL_MIN_S, (now - started) / 200)))


def percentiles_ms(samples_s: list[float]) -> dict[str, float]:
    ordered = sorted(samples_s)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)

    return {"p50_ms": at(0.50), "p90_ms": at(0.90), "p99_ms": at(0.99), "max_ms": round(ordered[-1] * 1000, 3),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 3)}


# --- worker processes ---------------------------------------------------------------------------------


class WorkerGroup:
    """Worker processes, each the leader of its own process group so that it and its children stop together.

    Every group id is also written to the harness's pgid file: a driver that is killed for
    running too long cannot leave its workers behind."""

    def __init__(self, pgid_file: str) -> None:
        self._pgid_file = pgid_file
        self.processes: list[subprocess.Popen[bytes]] = []
        self.clean = True  # every leader exited by itself after SIGTERM

    def start(self, argv: list[str], env: Mapping[str, str] | None = None) -> None:
        full_env = {**os.environ, **(env or {})}
        process = subprocess.Popen(argv, env=full_env, start_new_session=True, stdout=sys.stderr,
                                   stderr=sys.stderr)
        self.processes.append(process)
        if self._pgid_file:
            with open(self._pgid_file, "a") as f:
                f.write(f"{process.pid}\n")

    def check_alive(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"worker process {process.args!r} exited early with code {process.returncode}")

    def stop(self, sig: int = signal.SIGTERM, *, whole_group: bool = False) -> float:
        """Ask every leader (or every process of each group) to stop, wait, then kill whatever is left of each
        group; returns the seconds it took."""
        started = time.perf_counter()
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if whole_group:
                    os.killpg(process.pid, sig)
                else:
                    process.send_signal(sig)
        for process in self.processes:
            try:
                process.wait(max(STOP_TIMEOUT_S - (time.perf_counter() - started), 0.1))
            except subprocess.TimeoutExpired:
                self.clean = False
                log(f"worker {process.pid} did not stop within {STOP_TIMEOUT_S} s of SIGTERM: killing its group")
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
        return time.perf_counter() - started


# --- the driver: what a peer implements ------------------------------------------------------------------


class Driver:
    """Subclass per system; override what the peer offers."""

    name = ""
    version = ""
    gate = "rename"  # "rename": hide the ready key; "pause": the system pauses its queue itself
    ready_key = ""  # for the rename gate: the one key holding the ready tasks (a list or a sorted set)
    batch_form = ""  # what produce_batch calls, for the record ("" when push_batch is not offered)
    completion = "a Redis INCR of bench:done in the task"  # how completions are counted
    stop_signal = signal.SIGTERM
    stop_whole_group = False  # send stop_signal to every worker process, not only to the group's leader

    def __init__(self, args: Args) -> None:
        self.args = args
        os.environ["BENCH_REDIS_URL"] = args.redis_url  # the peers' app modules read it (the harness sets it too)
        self.redis = redis.Redis.from_url(args.redis_url)

    # settings are reported next to every figure
    def settings(self, scenario: str) -> dict[str, Any]:
        return {}

    # producing
    single_callers = 1  # concurrent callers of push_one in the one-call-per-task figure

    def push_one(self, i: int) -> None:
        raise NotImplementedError

    def push_singles(self, start: int, count: int) -> None:
        """``count`` single pushes from ``single_callers`` concurrent callers (one: in a plain loop)."""
        for i in range(start, start + count):
            self.push_one(i)

    def push_batch(self, start: int, count: int) -> None:
        raise Unsupported(f"{self.name} offers no batch push")

    # consuming
    def worker_commands(self, processes: int) -> list[list[str]]:
        raise NotImplementedError

    def worker_env(self) -> dict[str, str]:
        return {"BENCH_REDIS_URL": self.args.redis_url, "PYTHONUNBUFFERED": "1"}

    def completed(self) -> int:
        return int(self.redis.get(COUNTER_KEY) or 0)

    def reset_completed(self) -> None:
        self.redis.set(COUNTER_KEY, 0)

    def backlog(self) -> int:
        """Tasks waiting behind the gate."""
        key = self.ready_key + HIDDEN_SUFFIX
        kind = self.redis.type(key)
        if kind == b"zset":
            return int(self.redis.zcard(key))
        return int(self.redis.llen(key))

    def hide(self) -> None:
        if self.redis.exists(self.ready_key):
            self.redis.rename(self.ready_key, self.ready_key + HIDDEN_SUFFIX)

    def reveal(self) -> float:
        """Make the backlog available at once; returns the perf_counter time it happened."""
        started = time.perf_counter()
        if self.redis.exists(self.ready_key + HIDDEN_SUFFIX):
            self.redis.rename(self.ready_key + HIDDEN_SUFFIX, self.ready_key)
        return started

    # latency
    def round_trip(self, i: int) -> None:
        """Submit one task and wait (at most ROUND_TRIP_TIMEOUT_S) for its result."""
        raise NotImplementedError

    def close(self) -> None:
        self.redis.close()


# --- the scenarios --------------------------------------------------------------------------------------------

Figure = dict[str, Any]
Emit = Callable[[str, Figure], None]


def produce(driver: Driver, args: Args, emit: Emit) -> None:
    """Both produce figures: one call per task, then (on an emptied database) the batch form."""

    single = timed_loop(lambda done: _push_singles(driver, done, args), args.n, args.cap_s)
    form = "one call per task" + (f", {driver.single_callers} concurrent callers" if driver.single_callers > 1 else "")
    emit("produce_single", single.figure(args.n, form=form))
    driver.redis.flushdb()
    try:
        timed = timed_loop(lambda done: _push_some(driver, done, args), args.n, args.cap_s)
    except Unsupported as exc:
        emit("produce_batch", {"unsupported": str(exc)})
        return
    emit("produce_batch", timed.figure(args.n, form=driver.batch_form, batch=args.batch))


def _push_one(driver: Driver, done: int) -> int:
    driver.push_one(done)
    return 1


def _push_singles(driver: Driver, done: int, args: Args) -> int:
    count = min(driver.single_callers * 10, args.n - done)
    driver.push_singles(done, count)
    return count


def _push_some(driver: Driver, done: int, args: Args) -> int:
    count = min(args.batch, args.n - done)
    driver.push_batch(done, count)
    return count


def prefill(driver: Driver, args: Args) -> Timed:
    """Fill the backlog in the peer's fastest form, up to N tasks or the prefill cap."""
    try:
        return timed_loop(lambda done: _push_some(driver, done, args), args.n, args.prefill_cap_s)
    except Unsupported:
        return timed_loop(lambda done: _push_one(driver, done), args.n, args.prefill_cap_s)


def start_and_warm(driver: Driver, args: Args, processes: int) -> tuple[WorkerGroup, float]:
    """Start the workers and wait until they completed a few warm-up tasks; returns the group and seconds."""
    group = WorkerGroup(args.pgid_file)
    started = time.perf_counter()
    try:
        for argv in driver.worker_commands(processes):
            group.start(argv, driver.worker_env())
        warm = 10 * processes
        driver.reset_completed()
        for i in range(warm):
            driver.push_one(-1 - i)
        give_up = time.monotonic() + args.startup_timeout_s
        while driver.completed() < warm:
            group.check_alive()
            if time.monotonic() > give_up:
                raise RuntimeError(f"the workers completed {driver.completed()} of {warm} warm-up tasks "
                                   f"within {args.startup_timeout_s:g} s")
            time.sleep(0.01)
    except BaseException:
        group.stop(driver.stop_signal, whole_group=driver.stop_whole_group)
        raise
    time.sleep(SETTLE_S)
    return group, time.perf_counter() - started


def measure_latency(driver: Driver, args: Args) -> Figure:
    """Sequential round trips on an idle system (the backlog, if any, waits behind the gate)."""
    samples: list[float] = []
    try:
        for i in range(LATENCY_WARMUP):
            driver.round_trip(i)
        give_up = time.perf_counter() + args.latency_cap_s
        for i in range(args.latency_n):
            started = time.perf_counter()
            driver.round_trip(i)
            samples.append(time.perf_counter() - started)
            progress(i + 1, args.latency_n)
            if time.perf_counter() > give_up:
                break
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}", "count": len(samples)}
    return {"count": len(samples), "target": args.latency_n, "capped": len(samples) < args.latency_n,
            **percentiles_ms(samples)}


def consume(driver: Driver, args: Args, emit: Emit) -> None:
    """The consume figure for ``--processes`` workers; with ``--latency-n`` > 0 the latency figure first,
    measured on the same (then idle) workers while the backlog waits behind the gate."""
    filled: Timed | None = None
    if driver.gate == "rename":
        filled = prefill(driver, args)
        driver.hide()
    group, startup_s = start_and_warm(driver, args, args.processes)
    try:
        if args.latency_n > 0:
            emit("latency", {**measure_latency(driver, args), "processes": args.processes})
            driver.reset_completed()
        if driver.gate == "pause":
            driver.hide()
            filled = prefill(driver, args)
        assert filled is not None
        backlog = driver.backlog()
        driver.reset_completed()
        log(f"backlog of {backlog} tasks ({filled.count} pushed in {filled.seconds:.2f} s); opening the gate")
        started = driver.reveal()
        timed = wait_for_count(driver.completed, backlog, args.cap_s, started)
        group.check_alive()
    finally:
        stop_s = group.stop(driver.stop_signal, whole_group=driver.stop_whole_group)
    emit(f"consume_{'1' if args.processes == 1 else 'n'}", timed.figure(
        backlog, processes=args.processes, prefill_seconds=round(filled.seconds, 3),
        startup_seconds=round(startup_s, 3), stop_seconds=round(stop_s, 3), stopped_cleanly=group.clean,
        exit_codes=[p.returncode for p in group.processes], completion=driver.completion))


SCENARIOS: dict[str, Callable[[Driver, Args, Emit], None]] = {"produce": produce, "consume": consume}


def main(driver_class: type[Driver], argv: list[str] | None = None,
         extra: Mapping[str, Callable[[Driver, Args, Emit], None]] | None = None) -> None:
    """Run one scenario; each figure it makes is printed as a result line as soon as it is known."""
    args = parse_args(argv)
    driver = driver_class(args)
    scenarios = {**SCENARIOS, **(extra or {})}

    def emit(figure: str, values: Figure) -> None:
        emit_result({"figure": figure, "system": driver.name, "version": driver.version,
                     "settings": driver.settings(figure), **values})

    try:
        driver.redis.flushdb()
        scenarios[args.scenario](driver, args, emit)
    finally:
        driver.close()
