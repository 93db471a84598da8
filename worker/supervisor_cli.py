"""``sergeant supervise package.module:WorkerClass --store URL --gateway HOST:PORT --workers N [--max-memory 512MB]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from sergeant.cli_flags import env_flag, parse_size
from sergeant.logs import log
from sergeant.store import DEFAULT_STORE_URL
from sergeant.worker.config import DEFAULT_GATEWAY
from sergeant.worker.exit_codes import ExitCode

logger = logging.getLogger("sergeant.supervisor")

_FATAL_EXITS = {
    ExitCode.MODULE_NOT_FOUND: "no such module (is it importable from this directory?)",
    ExitCode.CLASS_NOT_FOUND: "the module has no such Worker class",
    ExitCode.MODULE_NOT_IMPORTABLE: "importing the module raised",
    ExitCode.GATEWAY_REFUSED: "the gateway refused the workers: a bad token, no consume right, or a store other "
                              "than the gateway's",
}


def _supervise(args: argparse.Namespace) -> int:
    from sergeant.worker.supervisor import Supervisor

    # The workers read these (WorkerConfig's defaults): the flags reach them through their environment.
    env = {**os.environ, "SERGEANT_STORE": args.store, "SERGEANT_GATEWAY": args.gateway,
           "SERGEANT_KEY_PREFIX": args.key_prefix, "SERGEANT_TOKEN": args.token}
    log(logger, logging.INFO, "supervise.settings", store=args.store, gateway=args.gateway, key_prefix=args.key_prefix,
        cwd=os.getcwd())
    code = Supervisor(args.worker, workers=args.workers, max_memory_bytes=parse_size(args.max_memory),
                      max_tasks_per_child=args.max_tasks_per_child, drain_timeout_s=args.drain_timeout_s,
                      report_interval_s=args.report_interval_s, env=env, metrics_listen=args.metrics_listen).run()
    if code in _FATAL_EXITS:
        print(f"sergeant supervise: exit {code}: {_FATAL_EXITS[ExitCode(code)]}; the worker's error log above says "
              "why", file=sys.stderr)
    return code


def add_supervise_command(commands: Any) -> None:
    supervise = commands.add_parser(
        "supervise", help="run and watch worker processes",
        description="Run N worker processes of package.module:WorkerClass next to a gateway (sergeant serve), "
                    "respawn them, bound their memory, and drain them on SIGTERM. The workers lease from --store "
                    "and report to --gateway: give them the gateway's own store, or the gateway refuses them. "
                    "Exit codes: 0 stopped, 2 no such module, 3 no such class, 7 the module raised on import, "
                    "8 the gateway refused the workers (bad token, no consume right, another store than the "
                    "gateway's).")
    supervise.add_argument("worker", help="package.module:WorkerClass (importable from the current directory)")
    env_flag(supervise, "--store", "SERGEANT_STORE", DEFAULT_STORE_URL,
             "the gateway's store: redis://..., mongodb://... or sqlite:///path (relative to the current directory)")
    env_flag(supervise, "--gateway", "SERGEANT_GATEWAY", DEFAULT_GATEWAY, "the gateway's host:port")
    env_flag(supervise, "--key-prefix", "SERGEANT_KEY_PREFIX", "sergeant", "the gateway's namespace in the store")
    env_flag(supervise, "--token", "SERGEANT_TOKEN", "", "bearer token with the consume role, when the gateway has tokens")
    supervise.add_argument("--workers", type=int, default=1, help="worker processes to keep running [default: 1]")
    supervise.add_argument("--max-memory", default="0",
                           help="kill and respawn a worker whose RSS (with its children) exceeds this, e.g. 512MB "
                                "[default: 0, no limit]")
    supervise.add_argument("--max-tasks-per-child", type=int, default=0,
                           help="respawn each worker after this many tasks (overrides max_tasks_per_run) "
                                "[default: 0, never]")
    supervise.add_argument("--drain-timeout-s", type=float, default=30.0,
                           help="on SIGTERM, how long running tasks may finish [default: 30]")
    supervise.add_argument("--report-interval-s", type=float, default=30.0,
                           help="how often to log the workers' state (0: never) [default: 30]")
    env_flag(supervise, "--metrics-listen", "SERGEANT_SUPERVISOR_METRICS_LISTEN", "",
             "host:port to serve Prometheus /metrics on over HTTP (the workers' counters and the supervisor's), "
             "e.g. 127.0.0.1:9465 (none: not served)")
    supervise.set_defaults(run=_supervise)


def legacy_main(argv: list[str]) -> int:
    """``python -m sergeant.supervisor --worker-module M --worker-class C --concurrent-workers N
    [--max-worker-memory-usage BYTES]``, the 0.27 command: said as ``sergeant supervise``, then run."""
    parser = argparse.ArgumentParser(prog="python -m sergeant.supervisor",
                                     description="The Sergeant 0.27 command; use `sergeant supervise` instead.")
    parser.add_argument("--worker-module", required=True)
    parser.add_argument("--worker-class", required=True)
    parser.add_argument("--concurrent-workers", type=int, default=1)
    parser.add_argument("--max-worker-memory-usage", type=int, default=0, help="bytes")
    args = parser.parse_args(argv)
    command = ["supervise", f"{args.worker_module}:{args.worker_class}", "--workers", str(args.concurrent_workers)]
    if args.max_worker_memory_usage:
        command += ["--max-memory", str(args.max_worker_memory_usage)]
    print(f"python -m sergeant.supervisor is the Sergeant 0.27 command; running the 1.x one: "
          f"sergeant {' '.join(command)}", file=sys.stderr, flush=True)
    from sergeant.cli import main

    return main(command)
