"""``Worker``: subclass it, override ``generate_config()`` and ``work(task)``, and run it under a supervisor.

Hooks run around each task (``pre_work``, ``post_work``) and around the process
(``initialize``, ``finalize``).  Handlers (``on_*``) are told what became of a
task; one that raises is logged and never takes the worker down, and a
``retry``/``requeue`` raised inside ``on_failure`` or ``on_timeout`` decides the
task's fate.  Actions (``retry``, ``requeue``, ``stop``, ``respawn``,
``push_task`` ...) are methods to call from those.
"""

from __future__ import annotations

import inspect
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, Protocol

from sergeant.encoder import decode, encode
from sergeant.errors import InvalidArgument
from sergeant.packed import PackedTask, check_batch, pack_batch
from sergeant.store import open_store
from sergeant.store.base import Ack, Disposition, Store, StoreSettings
from sergeant.task import DEFAULT_MAX_ATTEMPTS, Compressor, Priority, Serializer, Task, new_task_id
from sergeant.worker.config import WorkerConfig, attempts_exhausted
from sergeant.worker.identity import own_worker_id
from sergeant.worker.interrupts import WorkerMaxRetries, WorkerRequeue, WorkerRespawn, WorkerRetry, WorkerStop
from sergeant.worker.lock import Lock
from sergeant.worker.outcome_log import TaskContextFilter
from sergeant.worker.received_task import ReceivedTask
from sergeant.worker.renamed import renamed


class Runtime(Protocol):
    """What a running worker process offers the actions (the runner implements it)."""

    def report_progress(self, task_id: str, progress: float, message: str, data: bytes) -> None: ...


def _not_before(now: float, delay_s: float) -> float:
    """When a task pushed ``now`` with ``delay_s`` is due; 0 (now) for no delay or a negative one."""
    if not math.isfinite(delay_s):  # NaN compares false with everything: it would have meant "now", silently
        raise InvalidArgument(f"delay_s must be a finite number of seconds, got {delay_s!r}", op="worker.push")
    return now + delay_s if delay_s > 0 else 0.0


def _priority(priority: Priority | str) -> Priority:
    if isinstance(priority, Priority):
        return priority
    try:
        return Priority[str(priority).upper()]
    except KeyError:
        raise InvalidArgument(f"unknown priority {priority!r}: use 'NORMAL' or 'HIGH'", op="worker.push") from None


_HOOKS = ("work", "initialize", "finalize", "pre_work", "post_work", "on_success", "on_failure", "on_timeout",
          "on_retry", "on_max_retries", "on_requeue", "on_starvation", "on_stop")


def _positional(function: Callable[..., Any]) -> int:
    """How many positional arguments a method accepts, ``self`` included (a large number for ``*args``)."""
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return 1 << 16
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


def _call_form(name: str, function: Callable[..., Any]) -> str:
    """'on_stop(self, task)': the parameters without annotations or defaults."""
    return f"{name}({', '.join(inspect.signature(function).parameters)})"


def _required(function: Callable[..., Any]) -> int:
    return sum(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               for p in inspect.signature(function).parameters.values())


class Worker:
    config: WorkerConfig
    logger: logging.Logger
    worker_id: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse, at class definition and in plain words, a hook whose signature the runtime cannot call
        (most often a Sergeant 0.27 one, such as ``on_stop(self, task)``), rather than fail at its first call."""
        super().__init_subclass__(**kwargs)
        for name in _HOOKS:
            override, base = getattr(cls, name), getattr(Worker, name)
            if override is base or not callable(override):
                continue
            given = _positional(base)
            if not _required(override) <= given <= _positional(override):
                expected = _call_form(name, base)
                raise TypeError(f"{cls.__qualname__}.{_call_form(name, override)} cannot be called as "
                                f"{expected}: Sergeant 1.x calls {expected}"
                                + (" when the worker stops, with no task (the 0.27 on_stop(self, task) took "
                                   "one)" if name == "on_stop" else "") + "; see docs/migrating.md")

    def __init__(self) -> None:
        config = self.generate_config()
        if not isinstance(config, WorkerConfig):
            raise InvalidArgument(f"generate_config() must return a WorkerConfig, got {type(config).__name__}",
                                  op="Worker")
        self.config = config
        self.logger = logging.getLogger(f"sergeant.worker.{config.name}")
        if not any(isinstance(f, TaskContextFilter) for f in self.logger.filters):
            self.logger.addFilter(TaskContextFilter(lambda: self.worker_id))
        self.worker_id = own_worker_id()
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self._runtime: Runtime | None = None

    # --- what a subclass provides --------------------------------------------------------

    def generate_config(self) -> WorkerConfig:
        raise NotImplementedError("override generate_config() to return a WorkerConfig")

    def work(self, task: ReceivedTask) -> Any:
        """Do the task; the return value (msgpack-encodable) becomes its result."""
        raise NotImplementedError("override work(task)")

    # --- hooks ---------------------------------------------------------------------------

    def initialize(self) -> None:
        """Once per process, before the first task."""

    def finalize(self) -> None:
        """Once per process, after the last task."""

    def pre_work(self, task: ReceivedTask) -> None:
        """Before each task's work()."""

    def post_work(self, task: ReceivedTask, success: bool, exception: BaseException | None) -> None:
        """After each task's work(), before its handler."""

    # --- handlers ------------------------------------------------------------------------

    def on_success(self, task: ReceivedTask, returned_value: Any) -> None: ...

    def on_failure(self, task: ReceivedTask, exception: Exception) -> None: ...

    def on_timeout(self, task: ReceivedTask) -> None: ...

    def on_retry(self, task: ReceivedTask) -> None: ...

    def on_max_retries(self, task: ReceivedTask) -> None: ...

    def on_requeue(self, task: ReceivedTask) -> None: ...

    def on_starvation(self, time_with_no_tasks: float) -> None: ...

    def on_stop(self) -> None:
        """The worker is stopping: stop() was called, or it was told to drain (SIGTERM, the gateway)."""

    # --- actions: control flow -----------------------------------------------------------

    @renamed(consumable_from="delay_s")
    def retry(self, task: ReceivedTask, delay_s: float | None = None) -> NoReturn:
        """Run the task again after ``delay_s`` (None: the store's exponential backoff); counts an attempt.

        Raises WorkerRetry, or WorkerMaxRetries when the task's attempts are exhausted
        (then on_max_retries runs and the task goes to the dead letters)."""
        if attempts_exhausted(self.config, task.attempt, task.max_attempts):
            raise WorkerMaxRetries()
        raise WorkerRetry(delay_s)

    @renamed(consumable_from="delay_s")
    def requeue(self, task: ReceivedTask, delay_s: float = 0.0) -> NoReturn:
        """Put the task back in its queue after ``delay_s``, without counting an attempt."""
        raise WorkerRequeue(delay_s)

    def stop(self) -> NoReturn:
        """Wind this worker down; its supervisor then stops every worker."""
        raise WorkerStop()

    def respawn(self) -> NoReturn:
        """Wind this worker process down and have the supervisor start a fresh one."""
        raise WorkerRespawn()

    def report_progress(self, task: ReceivedTask, progress: float, message: str = "", data: Any = None) -> None:
        """Stream progress (0..1) of a running task to whoever watches it; ``data`` is msgpack-encoded."""
        if not (0.0 <= progress <= 1.0 and math.isfinite(progress)):
            raise InvalidArgument(f"progress must be within 0..1, got {progress}", op="worker.report_progress",
                                  queue=task.queue, task_id=task.id)
        payload = b"" if data is None else encode(data, Serializer.MSGPACK, Compressor.NONE)
        if self._runtime is not None:
            self._runtime.report_progress(task.id, progress, message, payload)

    # --- actions: the store --------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The store named by ``config.store_url``, opened on first use."""
        with self._store_lock:
            if self._store is None:
                self._store = open_store(self.config.store_url, StoreSettings(key_prefix=self.config.key_prefix))
            return self._store

    @renamed(task_name="queue", consumable_from="delay_s")
    def push_task(self, kwargs: dict[Any, Any], queue: str | None = None, priority: Priority | str = Priority.NORMAL,
                  delay_s: float = 0.0, trace_id: str = "", max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                  idempotency_key: str = "", timeout_s: float = 0.0, want_result: bool = False) -> str:
        """Push one task straight to the store; returns its id (an earlier one's on an idempotency match).
        ``want_result`` keeps its result and its state for ``get`` and events once it is done."""
        task = self._envelope(kwargs, queue, _priority(priority), delay_s, trace_id, max_attempts, timeout_s)
        task.idempotency_key = idempotency_key
        task.want_result = want_result
        return self.store.push([task])[0].task_id

    @renamed(task_name="queue", consumable_from="delay_s")
    def push_tasks(self, kwargs_list: Iterable[dict[Any, Any]], queue: str | None = None,
                   priority: Priority | str = Priority.NORMAL, delay_s: float = 0.0, trace_id: str = "",
                   max_attempts: int = DEFAULT_MAX_ATTEMPTS, timeout_s: float = 0.0,
                   want_result: bool = False) -> list[str]:
        """Push a batch atomically in one round trip; returns the ids in order.

        The batch goes as the gateway's packed form does (one msgpack pack, checked by the same code, stored
        without a Task per task): a Task built and encoded per task cost three times as much."""
        many = list(kwargs_list)
        if not many:
            return []
        for kwargs in many:
            if not isinstance(kwargs, dict):
                raise InvalidArgument(f"kwargs must be a dict, got {type(kwargs).__name__}", op="worker.push_tasks")
        now = time.time()
        encoder = self.config.encoder
        options = PackedTask(priority=_priority(priority), not_before=_not_before(now, delay_s),
                             # the default is left off the records, so that the common one is [id, kwargs]
                             max_attempts=0 if max_attempts == DEFAULT_MAX_ATTEMPTS else max_attempts,
                             timeout_s=timeout_s, trace_id=trace_id,
                             serializer=encoder.serializer, compressor=encoder.compressor)
        ids = new_task_id.many(len(many))
        settings = self.store.settings
        batch = check_batch(queue or self.config.name, pack_batch(options.records(ids, many)),
                            want_results=want_result, max_batch=len(many), max_payload_bytes=settings.max_payload_bytes,
                            default_max_attempts=DEFAULT_MAX_ATTEMPTS, now=now)
        for index, earlier in self.store.push_packed(batch):  # fresh ids and no keys: none, unless a store says so
            ids[index] = earlier
        return ids

    def _envelope(self, kwargs: dict[Any, Any], queue: str | None, priority: Priority, delay_s: float,
                  trace_id: str, max_attempts: int, timeout_s: float) -> Task:
        if not isinstance(kwargs, dict):
            raise InvalidArgument(f"kwargs must be a dict, got {type(kwargs).__name__}", op="worker.push")
        now = time.time()
        encoder = self.config.encoder
        return Task(id=new_task_id(), queue=queue or self.config.name, kwargs=encoder.encode(kwargs),
                    serializer=encoder.serializer, compressor=encoder.compressor, priority=priority,
                    not_before=_not_before(now, delay_s), max_attempts=max_attempts,
                    timeout_s=timeout_s, trace_id=trace_id, created_at=now)

    @renamed(task_name="queue")
    def get_next_tasks(self, number_of_tasks: int, queue: str | None = None) -> list[ReceivedTask]:
        """Lease up to ``number_of_tasks`` tasks for this worker, outside the work loop.

        They are held for ``config.lease_s`` (they return to their queue, with an
        attempt counted, if this process dies or the lease runs out); settle them
        with ``ack_tasks``."""
        leased = self.store.lease(queue or self.config.name, number_of_tasks, self.config.lease_s,
                                  owner=self.worker_id)
        return [ReceivedTask.from_envelope(task) for task in leased]

    def ack_tasks(self, tasks: Sequence[ReceivedTask]) -> int:
        """Mark tasks from ``get_next_tasks`` done; returns how many were still held."""
        done = 0
        for queue in {t.queue for t in tasks}:
            acks = [Ack(t.id, t.lease_id) for t in tasks if t.queue == queue]
            done += sum(d is Disposition.DONE for d in self.store.ack(queue, acks))
        return done

    @renamed(task_name="queue")
    def number_of_enqueued_tasks(self, queue: str | None = None, include_delayed: bool = False) -> int:
        counts = self.store.counts(queue or self.config.name)
        return counts.ready + (counts.delayed if include_delayed else 0)

    @renamed(task_name="queue")
    def purge_tasks(self, queue: str | None = None) -> int:
        """Drop every ready and delayed task of the queue; returns how many."""
        return self.store.purge(queue or self.config.name)

    def lock(self, name: str) -> Lock:
        return Lock(self.store, name, self.worker_id)

    def set_key(self, key: str, value: Any, ttl_s: float | None = None) -> None:
        """Store a msgpack-encodable value under ``key`` (shared by every worker of the store)."""
        self.store.set_key(key, encode(value, Serializer.MSGPACK, Compressor.NONE), ttl_s)

    def get_key(self, key: str) -> Any:
        raw = self.store.get_key(key)
        return None if raw is None else decode(raw, Serializer.MSGPACK, Compressor.NONE)

    def delete_key(self, key: str) -> bool:
        return self.store.delete_key(key)

    # --- running ---------------------------------------------------------------------------

    def run(self) -> int:
        """Run this worker in the current process until it stops; returns its exit code (see exit_codes)."""
        from sergeant.worker.runner import Runner

        return int(Runner(self).run())

    def close(self) -> None:
        """Close the store connection, if one was opened."""
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
