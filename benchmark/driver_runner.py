"""Run one driver invocation as a subprocess in its own process group, bounded in time, and collect its figures.

The driver's stdout carries progress and result lines; everything else (its stderr, and
its workers' output) goes to a log file per invocation.  A driver that overruns its time
limit is killed with its whole group, and so is every worker group it registered in the
pgid file: a hung peer cannot stall the run or leave processes behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RESULT_PREFIX = "BENCH-RESULT "
PROGRESS_PREFIX = "BENCH-PROGRESS "
LOG_TAIL_LINES = 12


@dataclasses.dataclass
class Invocation:
    python: Path
    driver: str  # module under benchmark/drivers/
    scenario: str
    args: list[str]
    expects: tuple[str, ...]  # the figures it should print
    timeout_s: float
    log: Path
    package_root: Path  # the only path entry added: it holds benchmark/ (see venvs.package_root)
    keep_pythonpath: bool = False  # only the harness's own interpreter may see the caller's PYTHONPATH


@dataclasses.dataclass
class Outcome:
    figures: dict[str, dict[str, Any]]
    error: str | None
    seconds: float


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _tail(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-LOG_TAIL_LINES:])


def run(invocation: Invocation, redis_url: str, on_progress: Callable[[int, int], None]) -> Outcome:
    pgid_file = invocation.log.with_suffix(".pgids")
    pgid_file.write_text("")
    # The repository's root must not shadow a peer's packages (the original `sergeant`): only the package root.
    path = [str(invocation.package_root)]
    if invocation.keep_pythonpath and os.environ.get("PYTHONPATH"):
        path.append(os.environ["PYTHONPATH"])
    env = {**os.environ, "BENCH_REDIS_URL": redis_url, "BENCH_PGID_FILE": str(pgid_file), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(path)}
    argv = [str(invocation.python), "-m", f"benchmark.drivers.{invocation.driver}", invocation.scenario,
            "--redis", redis_url, "--pgid-file", str(pgid_file), *invocation.args]
    figures: dict[str, dict[str, Any]] = {}
    started = time.monotonic()
    with invocation.log.open("a") as log:
        log.write(f"$ {' '.join(argv)}\n")
        log.flush()
        process = subprocess.Popen(argv, cwd=invocation.package_root, env=env, stdout=subprocess.PIPE, stderr=log, text=True,
                                   start_new_session=True)
        reader = threading.Thread(target=_read, args=(process, figures, on_progress, log), daemon=True)
        reader.start()
        timed_out = False
        try:
            process.wait(invocation.timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process.pid, signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                _kill_group(process.pid, signal.SIGKILL)
                process.wait(5)
        finally:
            _kill_group(process.pid, signal.SIGKILL)
            _kill_registered(pgid_file)
        reader.join(5)
    seconds = time.monotonic() - started
    error = None
    if timed_out:
        error = f"timed out after {invocation.timeout_s:.0f} s"
    elif process.returncode != 0:
        error = f"driver exited with code {process.returncode}"
    missing = [name for name in invocation.expects if name not in figures]
    if error is None and missing:
        error = f"the driver printed no figure for {', '.join(missing)}"
    if error is not None:
        detail = f"{error}; log {invocation.log}:\n{_tail(invocation.log)}"
        for name in missing:
            figures[name] = {"error": detail}
    return Outcome(figures, error, seconds)


def _read(process: subprocess.Popen[str], figures: dict[str, dict[str, Any]],
          on_progress: Callable[[int, int], None], log: Any) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(PROGRESS_PREFIX):
            done, _, total = line[len(PROGRESS_PREFIX):].partition(" ")
            with contextlib.suppress(ValueError):
                on_progress(int(done), int(total))
        elif line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX):])
            figures[result.pop("figure")] = result
            log.write(line)
        else:
            log.write(line)
        log.flush()


def _kill_registered(pgid_file: Path) -> None:
    """SIGKILL every worker group the driver registered, should any still be alive."""
    with contextlib.suppress(OSError):
        for line in pgid_file.read_text().split():
            _kill_group(int(line), signal.SIGKILL)


def expected_figures(scenario: str, processes: int, latency: bool) -> Sequence[str]:
    if scenario == "produce":
        return ("produce_single", "produce_batch")
    if scenario == "consume":
        consume = "consume_1" if processes == 1 else "consume_n"
        return ("latency", consume) if latency else (consume,)
    return (scenario,)
