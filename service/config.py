"""Gateway settings: flags override environment variables (SERGEANT_*), which override defaults."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import ClassVar

from sergeant.cli_flags import env_flag, parse_size
from sergeant.errors import InvalidArgument
from sergeant.store import DEFAULT_STORE_URL
from sergeant.task import DEFAULT_MAX_ATTEMPTS


class Role:
    """What a token may do on its queues (docs/protocol.md, "Authentication"):

    * produce: Push, PushStream, Submit, Watch, GetTask, Cancel;
    * consume: a worker session (its hello and every message after it);
    * read: Watch, GetTask, ListQueues, ListWorkers, ListDeadLetters (dashboards, on-call);
    * admin: read, plus PurgeQueue, PauseQueue, ResumeQueue, ReplayDeadLetters, PurgeDeadLetters.

    admin does not imply produce or consume: an operator's token cannot inject tasks or settle them.
    GetVersion answers any valid token."""

    PRODUCE = "produce"
    CONSUME = "consume"
    READ = "read"
    ADMIN = "admin"
    ALL = frozenset({PRODUCE, CONSUME, READ, ADMIN})
    IMPLIED: ClassVar[dict[str, frozenset[str]]] = {ADMIN: frozenset({ADMIN, READ})}


@dataclasses.dataclass(frozen=True, slots=True)
class TokenGrant:
    """What one bearer token may do: its roles, on these queues ("*" for every queue)."""

    name: str
    roles: frozenset[str]
    queues: frozenset[str]
    pickle: bool = False  # may push pickle kwargs to its queues (workers that accept pickle run what it sends)

    def __post_init__(self) -> None:
        implied = frozenset().union(*(Role.IMPLIED.get(r, {r}) for r in self.roles))
        object.__setattr__(self, "roles", implied)

    def allows(self, role: str, queue: str) -> bool:
        return role in self.roles and ("*" in self.queues or queue in self.queues)


@dataclasses.dataclass(frozen=True, slots=True)
class GatewaySettings:
    listen: str = "127.0.0.1:50051"  # host:port; use 0.0.0.0:50051 in containers
    store_url: str = DEFAULT_STORE_URL
    key_prefix: str = "sergeant"  # namespace in the store; gateways and workers of one deployment share it
    max_message_bytes: int = 16 << 20  # a gRPC message larger than this gets RESOURCE_EXHAUSTED
    max_payload_bytes: int = 1 << 20  # kwargs larger than this get INVALID_ARGUMENT
    max_batch: int = 10_000  # tasks per Push
    max_depth: int = 0  # ready+delayed tasks per queue before RESOURCE_EXHAUSTED; 0: unbounded
    default_max_attempts: int = DEFAULT_MAX_ATTEMPTS
    result_ttl_s: float = 86_400.0
    heartbeat_interval_s: float = 5.0  # workers heartbeat this often ...
    heartbeat_timeout_s: float = 15.0  # ... and their leases are released once one is this late
    reclaim_interval_s: float = 1.0  # how often expired leases are looked for
    store_threads: int = 16  # threads that run store calls for the asyncio server
    tokens: dict[str, TokenGrant] = dataclasses.field(default_factory=dict)  # bearer token -> grant; empty: no auth
    tls_cert: str = ""  # PEM files; both set: serve TLS
    tls_key: str = ""
    pickle_queues: frozenset[str] = frozenset()  # queues that take pickle kwargs from any producer ("*": all)
    max_watches: int = 1024  # Watch and Submit streams open at once on this gateway
    max_watches_per_caller: int = 64  # ... per token (per peer address when auth is off)
    watch_buffer_bytes: int = 4 << 20  # events buffered for one watcher that does not read, before it is ended
    # Unary and client-stream calls in progress at once (being received or handled). Small pushes are cheap and
    # come by the hundred from callers that do not coalesce: the memory bound is memory_budget.
    max_requests: int = 256
    memory_budget: int = 512 << 20  # resident bytes the gateway keeps under (service/admission.py derives limits)
    hello_timeout_s: float = 10.0  # a worker session that has not said hello by then is closed
    metrics_listen: str = ""  # host:port of /metrics and the dashboard (HTTP); empty: not served
    queue_idle_s: float = 3600.0  # a queue empty and untouched this long is forgotten (listed and swept no more)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.tokens)


def load_tokens(path: str) -> dict[str, TokenGrant]:
    """Tokens file (JSON): {"<token>": {"name": "ci", "roles": ["produce"], "queues": ["emails"]}, ...}.

    ``queues`` defaults to ["*"] (every queue); ``"pickle": true`` lets the token push pickle kwargs."""
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InvalidArgument(f"cannot read tokens file {path!r}: {exc}", op="config.load_tokens") from exc
    grants = {}
    for token, spec in raw.items():
        name = str(spec.get("name", token[:4] + "..."))
        roles = frozenset(spec.get("roles", []))
        if unknown := roles - Role.ALL:
            raise InvalidArgument(
                f"token {name!r} has unknown roles {sorted(unknown)}; use {sorted(Role.ALL)}", op="config.load_tokens"
            )
        grants[token] = TokenGrant(name=name, roles=roles, queues=frozenset(spec.get("queues", ["*"])),
                                   pickle=spec.get("pickle", False) is True)
    return grants


def add_arguments(parser: argparse.ArgumentParser) -> None:
    d = GatewaySettings()
    env_flag(parser, "--listen", "SERGEANT_LISTEN", d.listen, "host:port to serve on (0.0.0.0:50051 in a container)")
    env_flag(parser, "--store", "SERGEANT_STORE", d.store_url,
             "redis://..., rediss://..., mongodb://... or sqlite:///path (relative to the current directory)")
    env_flag(parser, "--key-prefix", "SERGEANT_KEY_PREFIX", d.key_prefix,
             "namespace in the store; the gateway and its workers must share it")
    env_flag(parser, "--max-message-bytes", "SERGEANT_MAX_MESSAGE_BYTES", d.max_message_bytes,
             "largest gRPC message; larger ones get RESOURCE_EXHAUSTED", type=int)
    env_flag(parser, "--max-payload-bytes", "SERGEANT_MAX_PAYLOAD_BYTES", d.max_payload_bytes,
             "largest kwargs of one task; larger ones get INVALID_ARGUMENT", type=int)
    env_flag(parser, "--max-batch", "SERGEANT_MAX_BATCH", d.max_batch, "most tasks in one Push", type=int)
    env_flag(parser, "--max-depth", "SERGEANT_MAX_DEPTH", d.max_depth,
             "per-queue ready+delayed limit; pushes past it get RESOURCE_EXHAUSTED (0: none)", type=int)
    env_flag(parser, "--result-ttl-s", "SERGEANT_RESULT_TTL_S", d.result_ttl_s,
             "how long a finished task's result stays readable", type=float)
    env_flag(parser, "--heartbeat-timeout-s", "SERGEANT_HEARTBEAT_TIMEOUT_S", d.heartbeat_timeout_s,
             "a worker silent this long is lost, and its leases go back to their queues", type=float)
    env_flag(parser, "--tokens-file", "SERGEANT_TOKENS_FILE", "",
             "JSON file of bearer tokens with their roles and queues (none: no auth)")
    env_flag(parser, "--pickle-queues", "SERGEANT_PICKLE_QUEUES", "",
             "comma-separated queues that accept pickle kwargs from any producer ('*': every queue; none: only "
             "tokens with \"pickle\": true may push pickle)")
    env_flag(parser, "--max-watches", "SERGEANT_MAX_WATCHES", d.max_watches,
             "most Watch/Submit streams at once on this gateway; more get RESOURCE_EXHAUSTED", type=int)
    env_flag(parser, "--max-watches-per-caller", "SERGEANT_MAX_WATCHES_PER_CALLER", d.max_watches_per_caller,
             "most Watch/Submit streams at once per token (per peer without auth)", type=int)
    env_flag(parser, "--max-requests", "SERGEANT_MAX_REQUESTS", d.max_requests,
             "most unary and client-stream calls in progress at once (being received or handled); more get "
             "RESOURCE_EXHAUSTED before their request is read", type=int)
    env_flag(parser, "--memory-budget", "SERGEANT_MEMORY_BUDGET", f"{d.memory_budget >> 20}MB",
             "resident memory this gateway process keeps under, e.g. 512MB or 2GB: requests are received a few at a "
             "time and let in while there is room for about 10 times their size; past that, and while the process "
             "is over 7/8 of it, calls get RESOURCE_EXHAUSTED (docs/security.md, Memory)")
    env_flag(parser, "--metrics-listen", "SERGEANT_METRICS_LISTEN", "",
             "host:port to serve Prometheus /metrics and the dashboard on over HTTP, e.g. 127.0.0.1:9464 "
             "(none: not served)")
    env_flag(parser, "--tls-cert", "SERGEANT_TLS_CERT", "", "PEM certificate: serve TLS (with --tls-key)")
    env_flag(parser, "--tls-key", "SERGEANT_TLS_KEY", "", "PEM private key of --tls-cert")


def from_arguments(args: argparse.Namespace) -> GatewaySettings:
    if bool(args.tls_cert) != bool(args.tls_key):
        raise InvalidArgument("TLS needs both --tls-cert and --tls-key", op="config")
    return GatewaySettings(
        listen=args.listen,
        store_url=args.store,
        key_prefix=args.key_prefix,
        max_message_bytes=args.max_message_bytes,
        max_payload_bytes=args.max_payload_bytes,
        max_batch=args.max_batch,
        max_depth=args.max_depth,
        result_ttl_s=args.result_ttl_s,
        heartbeat_timeout_s=args.heartbeat_timeout_s,
        tokens=load_tokens(args.tokens_file) if args.tokens_file else {},
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        pickle_queues=frozenset(q.strip() for q in args.pickle_queues.split(",") if q.strip()),
        max_watches=args.max_watches,
        max_watches_per_caller=args.max_watches_per_caller,
        max_requests=args.max_requests,
        memory_budget=parse_size(args.memory_budget),
        metrics_listen=args.metrics_listen,
    )
