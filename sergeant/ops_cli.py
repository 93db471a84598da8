"""The operator's commands over a gateway's Operations service, for people without grpcurl.

    sergeant queues | workers | pause QUEUE | resume QUEUE
    sergeant dead-letters list|replay|purge QUEUE [TASK_ID ...]
    sergeant task get|cancel QUEUE TASK_ID

Each prints a table (``--json``: JSON) and exits 0; a refused or failed call prints its gRPC status on stderr and
exits 1.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from sergeant.cli_flags import gateway_flags, tls_setting

ERROR_EXIT = 1


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)


def _plain(value: Any) -> Any:
    """JSON for what the client returns: dataclasses as objects, bytes as base64."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _ago(unix_s: float) -> str:
    return f"{max(time.time() - unix_s, 0):.1f}s ago" if unix_s else "never"


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def _short(text: object, width: int = 60) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


# --- the commands: each returns what --json prints, and the text a person reads -----------------------------


def _queues(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    queues = ops.queues()
    rows = [(q.name, q.ready, q.delayed, q.leased, q.dead, "paused" if q.paused else "") for q in queues]
    return queues, _table(("QUEUE", "READY", "DELAYED", "LEASED", "DEAD", "STATE"), rows) if rows else "no queues"


def _workers(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    workers = ops.workers(args.queue)
    rows = [(w.worker_id, w.queue, w.host, w.pid, f"{w.executor} x{w.concurrency}", w.in_flight, w.tasks_done,
             _mib(w.rss_bytes), _ago(w.last_heartbeat)) for w in workers]
    header = ("WORKER", "QUEUE", "HOST", "PID", "EXECUTOR", "IN FLIGHT", "DONE", "RSS", "HEARTBEAT")
    return workers, _table(header, rows) if rows else "no workers connected"


def _dead_list(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    letters = ops.dead_letters(args.queue, limit=args.limit, offset=args.offset)
    rows = [(d.task_id, f"{d.attempt}/{d.max_attempts}", _ago(d.died_at),
             _short(f"{d.error[0]}: {d.error[1]}" if d.error else ""), _short(d.kwargs, 40)) for d in letters]
    text = (_table(("TASK", "ATTEMPTS", "DIED", "ERROR", "KWARGS"), rows) if rows
            else f"no dead letters in queue {args.queue!r}")
    return letters, text


def _dead_replay(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    replayed = ops.replay_dead_letters(args.queue, args.task_ids)
    return {"replayed": replayed}, f"replayed {replayed} dead letter(s) into queue {args.queue!r}"


def _dead_purge(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    purged = ops.purge_dead_letters(args.queue, args.task_ids)
    return {"purged": purged}, f"purged {purged} dead letter(s) of queue {args.queue!r}"


def _task_get(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    status = ops.client.get(args.queue, args.task_id)
    rows: list[tuple[str, object]] = [("task", status.task_id), ("queue", args.queue), ("state", status.state),
                                      ("attempt", status.attempt)]
    if status.state == "succeeded":
        rows.append(("result", json.dumps(_plain(status.result))))
    if status.error:
        rows += [("error", f"{status.error[0]}: {status.error[1]}")]
    return status, "\n".join(f"{k + ':':<9}{v}" for k, v in rows)


def _task_cancel(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    outcome = ops.client.cancel(args.queue, args.task_id)
    said = {"cancelled": "cancelled: it will never run", "running": "running: its worker was told to stop it",
            "finished": "already finished: nothing to cancel"}
    return {"outcome": outcome}, f"task {args.task_id}: {said.get(outcome, outcome)}"


def _pause(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    ops.pause(args.queue)
    return {"queue": args.queue, "paused": True}, f"queue {args.queue!r} paused: workers lease nothing from it"


def _resume(ops: Any, args: argparse.Namespace) -> tuple[Any, str]:
    ops.resume(args.queue)
    return {"queue": args.queue, "paused": False}, f"queue {args.queue!r} resumed"


Command = Callable[[Any, argparse.Namespace], tuple[Any, str]]


def _run(command: Command) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from sergeant.client import ClientError, Operations

        try:
            tls = tls_setting(args)
        except OSError as exc:
            print(f"sergeant: cannot read --tls-ca {args.tls_ca!r}: {exc.strerror}", file=sys.stderr)
            return ERROR_EXIT
        settings: dict[str, Any] = {"token": args.token or None, "tls": tls, "timeout_s": args.timeout_s}
        try:
            with Operations(args.address, **settings) as ops:
                shown, text = command(ops, args)
        except ClientError as exc:
            print(f"sergeant: {exc.code.name}: {exc.details} (gateway {args.address})", file=sys.stderr)
            return ERROR_EXIT
        print(json.dumps(_plain(shown), indent=2) if args.json else text)
        return 0

    return run


def add_operations_commands(commands: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    gateway_flags(common)
    common.add_argument("--timeout-s", type=float, default=10.0, help="give up on a call after this long [default: 10]")
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def command(parent: Any, name: str, help: str, run: Command, *queue_args: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = parent.add_parser(name, help=help, description=help, parents=[common])
        for arg in queue_args:
            parser.add_argument(arg, help={"queue": "the queue's name", "task_id": "the task's id"}[arg])
        parser.set_defaults(run=_run(run))
        return parser

    command(commands, "queues", "list queues with their counts (ready, delayed, leased, dead)", _queues)
    workers = command(commands, "workers", "list connected worker processes", _workers)
    workers.add_argument("--queue", default="", help="only this queue's workers [default: all]")
    command(commands, "pause", "pause a queue: workers lease nothing from it, pushes are still accepted", _pause, "queue")
    command(commands, "resume", "resume a paused queue", _resume, "queue")

    dead = commands.add_parser("dead-letters", help="list, replay or purge a queue's dead letters",
                               description="Tasks that failed for good: list them, replay them into their queue "
                                           "(attempts reset), or purge them.")
    dead_commands = dead.add_subparsers(dest="action", required=True, metavar="list|replay|purge")
    listing = command(dead_commands, "list", "list a queue's dead letters, oldest first", _dead_list, "queue")
    listing.add_argument("--limit", type=int, default=100, help="at most this many [default: 100]")
    listing.add_argument("--offset", type=int, default=0, help="skip this many first [default: 0]")
    for name, verb, run in (("replay", "move dead letters back into their queue, attempts reset", _dead_replay),
                            ("purge", "delete dead letters", _dead_purge)):
        action = command(dead_commands, name, verb, run, "queue")
        action.add_argument("task_ids", nargs="*", metavar="TASK_ID", help="only these tasks [default: all of the queue's]")

    task = commands.add_parser("task", help="look up or cancel one task", description="Look up or cancel one task.")
    task_commands = task.add_subparsers(dest="action", required=True, metavar="get|cancel")
    command(task_commands, "get", "a task's state, attempt, result or error", _task_get, "queue", "task_id")
    command(task_commands, "cancel", "cancel a task: a queued one never runs, a running one is stopped",
            _task_cancel, "queue", "task_id")
