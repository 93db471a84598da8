"""``python -m sergeant.worker.child package.module:WorkerClass``: one worker process.

A supervisor spawns these; running one by hand works too.  The exit code says
why it ended (``sergeant.worker.exit_codes``).  With ``--announce-fd`` it
writes JSON lines to that descriptor for its supervisor: ``worker_id``,
``store_url`` and ``key_prefix`` before it leases anything (so that the
supervisor can hand its leases back if it dies), ``{"ready": true}`` once it
leases (a death before that is a crash loop), and, from its killer, a death
note saying why the killer killed it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys

from sergeant import logs
from sergeant.logs import log
from sergeant.worker.config import DEFAULT_DRAIN_TIMEOUT_S
from sergeant.worker.exit_codes import ExitCode
from sergeant.worker.identity import worker_id_for
from sergeant.worker.worker import Worker

logger = logging.getLogger("sergeant.worker.child")


def load_worker_class(reference: str) -> type[Worker] | ExitCode:
    """Import ``module:Class``; an ExitCode says why it could not be loaded (and was logged)."""
    module_name, _, class_name = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if module_name == missing or module_name.startswith(missing + "."):
            log(logger, logging.ERROR, "worker.module_not_found", module=module_name, cwd=os.getcwd())
            return ExitCode.MODULE_NOT_FOUND
        log(logger, logging.ERROR, "worker.module_not_importable", module=module_name, error=str(exc), exc_info=exc)
        return ExitCode.MODULE_NOT_IMPORTABLE
    except Exception as exc:
        log(logger, logging.ERROR, "worker.module_not_importable", module=module_name,
            error=f"{type(exc).__name__}: {exc}", exc_info=exc)
        return ExitCode.MODULE_NOT_IMPORTABLE
    found = getattr(module, class_name, None)
    if not (isinstance(found, type) and issubclass(found, Worker)):
        log(logger, logging.ERROR, "worker.class_not_found", module=module_name, cls=class_name,
            found=type(found).__name__ if found is not None else None)
        return ExitCode.CLASS_NOT_FOUND
    return found


def main(argv: list[str] | None = None) -> ExitCode:
    parser = argparse.ArgumentParser(prog="python -m sergeant.worker.child", description=__doc__)
    parser.add_argument("worker", help="package.module:WorkerClass")
    parser.add_argument("--worker-nonce", default="", help="the worker id's last part (a supervisor sets it)")
    parser.add_argument("--max-tasks", type=int, default=None, help="override config.max_tasks_per_run")
    parser.add_argument("--drain-timeout-s", type=float, default=DEFAULT_DRAIN_TIMEOUT_S,
                        help="how long running tasks may finish once told to stop")
    parser.add_argument("--announce-fd", type=int, default=None)
    args = parser.parse_args(argv)
    logs.configure(os.environ.get("SERGEANT_LOG_LEVEL", "INFO"))

    loaded = load_worker_class(args.worker)
    if isinstance(loaded, ExitCode):
        return loaded
    try:
        worker = loaded()
    except Exception as exc:  # generate_config() or __init__ raised: a bad setting, most often
        log(logger, logging.ERROR, "worker.config_failed", worker=args.worker, error=f"{type(exc).__name__}: {exc}",
            exc_info=exc)
        return ExitCode.WORKER_FAILURE
    logs.configure(str(worker.config.log_level))
    if args.worker_nonce:
        worker.worker_id = worker_id_for(os.getpid(), args.worker_nonce)
    if args.announce_fd is not None:
        os.set_inheritable(args.announce_fd, False)  # only the killer gets it (pass_fds), not a task's children
        announcement = {"worker_id": worker.worker_id, "store_url": worker.config.store_url,
                        "key_prefix": worker.config.key_prefix}
        os.write(args.announce_fd, (json.dumps(announcement) + "\n").encode())

    from sergeant.worker.runner import Runner  # grpc is only needed once the worker loaded

    # The pipe stays open: "ready" goes up it, and the killer's death note if it must kill this process.
    return Runner(worker, drain_timeout_s=args.drain_timeout_s, max_tasks_per_run=args.max_tasks,
                  supervisor_fd=args.announce_fd).run()


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    logging.shutdown()
    # os._exit: a thread stuck in a task (the reason for a respawn, sometimes) must not keep us alive.
    os._exit(int(code))
