"""The Sergeant 0.27 spellings of ``sergeant.config``, kept so that an old worker runs while it migrates.

``import sergeant`` exposes this module as ``sergeant.config``.  Each name
builds the 1.x object and warns (``DeprecationWarning``) naming its
successor; what has no successor fails with an error that says what to do.
docs/migrating.md lists every name.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import warnings
from typing import Any

from sergeant.encoder import Encoder as _Encoder
from sergeant.errors import InvalidArgument
from sergeant.task import Compressor, Serializer
from sergeant.worker import config as new


def _deprecated(old: str, successor: str) -> None:
    warnings.warn(f"{old} is the Sergeant 0.27 spelling: use {successor} (see docs/migrating.md)",
                  DeprecationWarning, stacklevel=3)


def _refuse(what: str, instead: str) -> InvalidArgument:
    return InvalidArgument(f"{what} has no successor in Sergeant 1.x: {instead} (see docs/migrating.md)",
                           op="sergeant.config")


@dataclasses.dataclass(frozen=True)
class LoggingEvents:
    """0.27's per-event log switches; ``WorkerConfig`` turns them into ``OutcomeLogs``."""

    on_success: bool = False
    on_failure: bool = True
    on_timeout: bool = True
    on_retry: bool = True
    on_max_retries: bool = True
    on_requeue: bool = True
    on_starvation: bool = True  # 1.x logs no starvation line; on_starvation() still runs

    def outcome_logs(self) -> new.OutcomeLogs:
        return new.OutcomeLogs(success=self.on_success, failure=self.on_failure, timeout=self.on_timeout,
                               retry=self.on_retry, dead=self.on_max_retries, requeue=self.on_requeue)


@dataclasses.dataclass(frozen=True)
class Logging:
    level: int | str = logging.ERROR
    log_to_stdout: bool = False  # 1.x always writes JSON lines to stderr
    events: LoggingEvents = dataclasses.field(default_factory=LoggingEvents)
    handlers: list[logging.Handler] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        if self.handlers:
            raise _refuse("Logging(handlers=...)", "add your handlers to logging.getLogger('sergeant') in "
                                                   "initialize(); each line's fields are in record.fields")


@dataclasses.dataclass(frozen=True)
class Connector:
    params: dict[str, Any]
    type: str = "local"

    def store_url(self) -> str:
        """The 1.x ``store_url`` that names the same server."""
        if self.type == "local":
            return f"sqlite:///{self.params.get('file_path', f'{tempfile.gettempdir()}/sergeant_default_db.sqlite3')}"
        nodes = self.params.get("nodes", [])
        if len(nodes) != 1:
            raise _refuse(f"a {self.type} Connector with {len(nodes)} nodes",
                          "a store_url names one server; shard queues over several stores yourself")
        node = nodes[0]
        if self.type == "redis":
            password = f":{node['password']}@" if node.get("password") else ""
            return f"redis://{password}{node['host']}:{node['port']}/{node.get('database', 0)}"
        if self.type == "mongo":
            replica = f"?replicaSet={node['replica_set']}" if node.get("replica_set") else ""
            return f"mongodb://{node['host']}:{node['port']}/{replica}"
        raise _refuse(f"Connector(type={self.type!r})", "use store_url='redis://...', 'mongodb://...' or "
                                                        "'sqlite:///path'")


def Timeouts(timeout: float = 0.0, grace_period: float = 10.0) -> new.Timeouts:
    _deprecated("Timeouts(timeout=, grace_period=)", "sergeant.worker.Timeouts(timeout_s=, grace_period_s=)")
    return new.Timeouts(timeout_s=timeout, grace_period_s=grace_period)


def Starvation(time_with_no_tasks: float) -> new.Starvation:
    _deprecated("Starvation(time_with_no_tasks=)", "sergeant.worker.Starvation(time_with_no_tasks_s=)")
    return new.Starvation(time_with_no_tasks_s=time_with_no_tasks)


def Encoder(compressor: str | None = None, serializer: str = "pickle") -> _Encoder:
    _deprecated("sergeant.config.Encoder", "sergeant.encoder.Encoder(serializer=Serializer..., "
                                           "compressor=Compressor...) (msgpack is now the default)")
    return _Encoder(serializer=Serializer(serializer), compressor=Compressor(compressor or "none"))


def WorkerConfig(name: str, connector: Connector | None = None, max_tasks_per_run: int = 0,
                 max_retries: int = 0, tasks_per_transaction: int = 1, number_of_threads: int = 1,
                 encoder: _Encoder | None = None, timeouts: new.Timeouts | None = None,
                 logging: Logging | None = None, starvation: new.Starvation | None = None) -> new.WorkerConfig:
    """0.27's ``WorkerConfig``: ``connector`` becomes ``store_url``, ``logging`` becomes ``log_level`` and
    ``outcome_logs``, and more than one thread picks the threaded executor, as 0.27 did."""
    _deprecated("sergeant.config.WorkerConfig(connector=, logging=)",
                "sergeant.worker.WorkerConfig(store_url=, log_level=, outcome_logs=)")
    fields: dict[str, Any] = {}
    if connector is not None:
        fields["store_url"] = connector.store_url()
    if encoder is not None:
        fields["encoder"] = encoder
    if timeouts is not None:
        fields["timeouts"] = timeouts
    if logging is not None:
        fields["log_level"] = logging.level
        fields["outcome_logs"] = logging.events.outcome_logs()
    executor = "threaded" if number_of_threads > 1 else "process"
    return new.WorkerConfig(name=name, max_tasks_per_run=max_tasks_per_run, max_retries=max_retries,
                            tasks_per_transaction=tasks_per_transaction, executor=executor,
                            number_of_threads=number_of_threads, starvation=starvation, **fields)
