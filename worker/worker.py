"""``Worker``: subclass it, override ``generate_config()`` and ``work(task)``, and run it under a supervisor.

Hooks run around each task (``pre_work``, ``post_work``) and around the process
(``initialize``, ``finalize``).  Handlers (``on_*``) are told what became of a
task; one that raises is logged and never takes the worker down, and a
``retry``/``requeue`` raised inside ``on_failure`` or ``on_timeout`` decides the
task's fate.  Actions (``retry``, ``requeue``, ``stop``, ``respawn``,
``push_task`` ...) are methods to call from those.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn, Protocol

from sergeant.encoder import decode, encode
from sergeant.errors import InvalidArgument
from sergeant.store import open_store
from sergeant.store.base import Ack, Disposition, Store, StoreSettings
from sergeant.task import DEFAULT_MAX_ATTEMPTS, Compressor, Priority, Serializer, Task, new_task_id
from sergeant.worker.config import WorkerConfig
from sergeant.worker.identity import own_worker_id
from sergeant.worker.interrupts import WorkerMaxRetries, WorkerRequeue, WorkerRespawn, WorkerRetry, WorkerStop
from sergeant.worker.lock import Lock
from sergeant.worker.received_task import ReceivedTask


class Runtime(Protocol):
    """What a running worker process offers the actions (the runner implements it)."""

    def report_progress(self, task_id: str, progress: float, message: str, data: bytes) -> None: ...


def attempts_exhausted(config: WorkerConfig, attempt: int, max_attempts: int) -> bool:
    """Whether one more failed attempt dead-letters a task (``attempt`` counts those already failed).

    ``max_retries`` can only lower a task's own ``max_attempts``: the store
    dead-letters at ``max_attempts`` whatever the worker says."""
    limit = max_attempts
    if config.max_retries:
        limit = min(limit, config.max_retries + 1)
    return attempt + 1 >= limit


def _priority(priority: Priority | str) -> Priority:
    if isinstance(priority, Priority):
        return priority
    try:
        return Priority[str(priority).upper()]
    except KeyError:
        raise InvalidArgument(f"unknown priority {priority!r}: use 'NORMAL' or 'HIGH'", op="worker.push") from None


class Worker:
    config: WorkerConfig
    logger: logging.Logger
    worker_id: str

    def __init__(self) -> None:
        config = self.generate_config()
        if not isinstance(config, WorkerConfig):
            raise InvalidArgument(f"generate_config() must return a WorkerConfig, got {type(config).__name__}",
                                  op="Worker")
        self.config = config
        self.logger = logging.getLogger(f"sergeant.worker.{config.name}")
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

    def retry(self, task: ReceivedTask, delay_s: float | None = None) -> NoReturn:
        """Run the task again after ``delay_s`` (None: the store's exponential backoff); counts an attempt.

        Raises WorkerRetry, or WorkerMaxRetries when the task's attempts are exhausted
        (then on_max_retries runs and the task goes to the dead letters)."""
        if attempts_exhausted(self.config, task.attempt, task.max_attempts):
            raise WorkerMaxRetries()
        raise WorkerRetry(delay_s)

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

    def push_task(self, kwargs: dict[Any, Any], queue: str | None = None, priority: Priority | str = Priority.NORMAL,
                  delay_s: float = 0.0, trace_id: str = "", max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                  idempotency_key: str = "", timeout_s: float = 0.0, want_result: bool = False) -> str:
        """Push one task straight to the store; returns its id (an earlier one's on an idempotency match).
        ``want_result`` keeps its result and its state for ``get`` and events once it is done."""
        task = self._envelope(kwargs, queue, _priority(priority), delay_s, trace_id, max_attempts, timeout_s)
        task.idempotency_key = idempotency_key
        task.want_result = want_result
        return self.store.push([task])[0].task_id

    def push_tasks(self, kwargs_list: Iterable[dict[Any, Any]], queue: str | None = None,
                   priority: Priority | str = Priority.NORMAL, delay_s: float = 0.0, trace_id: str = "",
                   max_attempts: int = DEFAULT_MAX_ATTEMPTS, timeout_s: float = 0.0,
                   want_result: bool = False) -> list[str]:
        """Push a batch atomically in one round trip; returns the ids in order."""
        level = _priority(priority)
        tasks = [self._envelope(kwargs, queue, level, delay_s, trace_id, max_attempts, timeout_s)
                 for kwargs in kwargs_list]
        for task in tasks:
            task.want_result = want_result
        return [r.task_id for r in self.store.push(tasks)] if tasks else []

    def _envelope(self, kwargs: dict[Any, Any], queue: str | None, priority: Priority, delay_s: float,
                  trace_id: str, max_attempts: int, timeout_s: float) -> Task:
        if not isinstance(kwargs, dict):
            raise InvalidArgument(f"kwargs must be a dict, got {type(kwargs).__name__}", op="worker.push")
        now = time.time()
        encoder = self.config.encoder
        return Task(id=new_task_id(), queue=queue or self.config.name, kwargs=encoder.encode(kwargs),
                    serializer=encoder.serializer, compressor=encoder.compressor, priority=priority,
                    not_before=now + delay_s if delay_s > 0 else 0.0, max_attempts=max_attempts,
                    timeout_s=timeout_s, trace_id=trace_id, created_at=now)

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

    def number_of_enqueued_tasks(self, queue: str | None = None, include_delayed: bool = False) -> int:
        counts = self.store.counts(queue or self.config.name)
        return counts.ready + (counts.delayed if include_delayed else 0)

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
