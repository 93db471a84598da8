"""One worker process at work: lease, execute, report, and wind down without losing a task.

The main thread leases batches straight from the store (the blocking form:
``store.lease(..., wait_s=...)``, never sleep-and-poll) into the task buffer,
from which the executor takes them.  Successes settle straight in the store, a
lease at a time (``Settler``); every other outcome goes up the gateway session.
The lease keeper extends every lease until its outcome is settled or acknowledged.

Winding down (stop(), respawn(), max_tasks_per_run, SIGTERM, a Drain or Stop
command, a stuck thread) always goes the same way: stop leasing; hand the
leased-but-unstarted tasks back to the head of their queue in lease order
(``store.release`` keeps their attempt and trace id); let running tasks finish
up to the drain deadline (those still running then are reported FAILED with
``WorkerStopped``); ``finalize()``; wait until the gateway acknowledged every
outcome; send Goodbye.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

import grpc

import sergeant
from sergeant.errors import SergeantError
from sergeant.logs import log
from sergeant.store.base import Release
from sergeant.task import EventKind, Task, TaskError, TaskEvent
from sergeant.v1 import worker_pb2
from sergeant.worker import metrics
from sergeant.worker.config import ACK_TIMEOUT_S, DEFAULT_DRAIN_TIMEOUT_S, WorkerConfig, attempts_exhausted
from sergeant.worker.execution import CANCELLED_ERROR, Execution
from sergeant.worker.executor_protocols import Executor, Finished
from sergeant.worker.exit_codes import ExitCode, stronger
from sergeant.worker.gateway_session import GatewaySession, OutcomeBufferFull
from sergeant.worker.interrupts import WorkerRespawn, WorkerStop
from sergeant.worker.lease_keeper import LeaseKeeper
from sergeant.worker.outcome_log import OutcomeLog
from sergeant.worker.outcomes import CANCELLED, DEAD, FAILED, SUCCEEDED, TIMED_OUT, Decision, outcome_pb
from sergeant.worker.prefetch_returner import PrefetchReturner
from sergeant.worker.process_executor import ProcessExecutor
from sergeant.worker.process_killer import KillerClient
from sergeant.worker.resources import tree_rss_bytes
from sergeant.worker.settler import Settler
from sergeant.worker.task_buffer import TaskBuffer
from sergeant.worker.task_timer import HARD_KILL_MARGIN_S, Deadlines, TaskTimer
from sergeant.worker.threaded_executor import ThreadedExecutor
from sergeant.worker.worker import Worker

logger = logging.getLogger("sergeant.worker.runner")

_KILLER_START_S = 60.0  # generous: a loaded host has taken seconds to start one
_MAX_LEASE_WAIT_S = 1.0  # a blocked lease call returns this often to notice a stop request
_STOPPED_ERROR = TaskError("WorkerStopped", "still running when the worker's drain deadline passed")


def _credentials(config: WorkerConfig) -> grpc.ChannelCredentials | None:
    if not (config.gateway_tls or config.gateway_ca_file):
        return None
    roots = Path(config.gateway_ca_file).read_bytes() if config.gateway_ca_file else None  # None: system roots
    return grpc.ssl_channel_credentials(root_certificates=roots)


class Runner:
    def __init__(self, worker: Worker, *, drain_timeout_s: float = DEFAULT_DRAIN_TIMEOUT_S,
                 max_tasks_per_run: int | None = None, supervisor_fd: int | None = None) -> None:
        config = worker.config
        self._worker = worker
        self._config = config
        self._queue = config.name
        self._counted = metrics.QueueCounters(self._queue)
        self._store = worker.store
        self._drain_timeout_s = drain_timeout_s
        self._max_tasks = config.max_tasks_per_run if max_tasks_per_run is None else max_tasks_per_run
        self._lock = threading.Lock()
        self._leased = 0
        self._tasks_done = 0
        self._exit_code = ExitCode.OK
        self._stopping = threading.Event()
        self._drain_requested = False
        self._signalled: int | None = None
        self._buffer = TaskBuffer()
        self._outcome_log = OutcomeLog(config, worker.worker_id)
        self._keeper = LeaseKeeper(self._store, self._queue, config.lease_s, on_lost=self._leases_lost)
        self._settler = Settler(self._store, self._queue,
                                on_settled=lambda lease_id, ids: self._keeper.forget((lease_id, i) for i in ids))
        self._returner = PrefetchReturner(self._buffer, config.prefetch_hold_s, self._give_back) \
            if config.prefetch_hold_s else None
        self._gave_back = threading.Event()  # set: lease again only once an executor is free
        # The supervisor's pipe (None: no supervisor) hears "ready" from here and a death note from the killer.
        self._supervisor_fd = supervisor_fd
        self._killer = KillerClient(worker_id=worker.worker_id, store_url=config.store_url,
                                    key_prefix=config.key_prefix, queue=self._queue, log_level=str(config.log_level),
                                    log_kills=config.outcome_logs.kill, note_fd=supervisor_fd)
        self._session = GatewaySession(
            address=config.gateway, token=config.token, credentials=_credentials(config), hello=self._hello(),
            status=self._status, on_command=self._on_command, on_settled=self._on_settled,
            max_unacked=config.max_unacked_outcomes)
        execution = Execution(worker, self.request_exit)
        self._executor: Executor
        if config.executor == "process":
            self._executor = ProcessExecutor(execution=execution, buffer=self._buffer, runtime=self,
                                             timer=TaskTimer(config, self._killer, hard_kill_margin_s=0.0))
        else:
            self._executor = ThreadedExecutor(
                execution=execution, buffer=self._buffer, runtime=self, threads=config.number_of_threads,
                timer=TaskTimer(config, self._killer, hard_kill_margin_s=HARD_KILL_MARGIN_S))
        worker._runtime = self

    # --- the process's life -----------------------------------------------------------------

    def run(self) -> ExitCode:
        self._install_signal_handlers()
        self._killer.start()  # now, not at the first timed task: its start-up takes seconds on a busy host
        self._executor.start()
        log(logger, logging.INFO, "worker.started", worker=self._worker.worker_id, queue=self._queue,
            executor=self._executor.name, concurrency=self._config.number_of_threads, pid=os.getpid())
        self._session.start()
        initialized = self._user_hook("initialize", self._worker.initialize)
        try:
            if initialized:
                self._await_killer()
                self._keeper.start()
                self._settler.start()
                if self._returner is not None:
                    self._returner.start()
                self._lease_loop()
        except Exception as exc:
            log(logger, logging.ERROR, "worker.crashed", error=f"{type(exc).__name__}: {exc}", exc_info=exc)
            self.request_exit(ExitCode.CRASHED, "the work loop crashed")
        finally:
            self._wind_down()
        if initialized:
            self._user_hook("finalize", self._worker.finalize)
        self._close()
        log(logger, logging.INFO, "worker.exited", worker=self._worker.worker_id, code=self._exit_code.name,
            tasks_done=self._tasks_done)
        return self._exit_code

    def _await_killer(self) -> None:
        """Lease nothing before the killer watches: a task must never run unwatched."""
        if not self._killer.wait_ready(_KILLER_START_S):
            log(logger, logging.ERROR, "worker.killer_not_ready", waited_s=_KILLER_START_S,
                consequence="hard timeouts are not enforced until it starts; soft timeouts still are")
        if self._supervisor_fd is not None:
            with contextlib.suppress(OSError):  # the supervisor is gone: nothing to tell
                os.write(self._supervisor_fd, b'{"ready": true}\n')

    def _lease_loop(self) -> None:
        idle_since = time.monotonic()
        waiting_since: float | None = None
        while not self.should_stop():
            self._executor.run_available()
            if self.should_stop() or len(self._buffer):
                continue
            if self._gave_back.is_set():
                if not self._executor.idle():
                    self._stopping.wait(0.05)
                    continue
                self._gave_back.clear()
            if self._session.refused is not None:
                self.request_exit(ExitCode.GATEWAY_REFUSED, str(self._session.refused))
                break
            want = self._lease_size()
            if want == 0:
                self.request_exit(ExitCode.RESPAWN, f"max_tasks_per_run ({self._max_tasks}) reached")
                break
            # No gateway, or too many outcomes it has not acknowledged: lease nothing we cannot report
            # (room for the new batch and for the tasks still running from the last one).
            in_flight = len(self._executor.running())
            if not (self._session.wait_ready(0.2) and self._session.has_room(want + in_flight)):
                waiting_since = waiting_since or time.monotonic()
                if time.monotonic() - waiting_since > 5.0:
                    log(logger, logging.WARNING, "worker.waiting_for_gateway", gateway=self._config.gateway,
                        unacknowledged=self._session.unacknowledged)
                    waiting_since = time.monotonic()
                continue
            waiting_since = None
            try:
                tasks = self._store.lease(self._queue, want, self._config.lease_s, owner=self._worker.worker_id,
                                          wait_s=self._lease_wait_s(idle_since))
            except SergeantError as exc:
                log(logger, logging.WARNING, "worker.lease_failed", queue=self._queue, error=str(exc))
                self._stopping.wait(1.0)
                continue
            if tasks:
                self._keeper.track(tasks)
                self._settler.track(tasks)
                with self._lock:
                    self._leased += len(tasks)
                self._counted.leased.inc(len(tasks))
                self._buffer.add(tasks)
                idle_since = time.monotonic()
            elif (starvation := self._config.starvation) is not None:
                idle_s = time.monotonic() - idle_since
                if idle_s >= starvation.time_with_no_tasks_s:
                    self._user_hook("on_starvation", functools.partial(self._worker.on_starvation, idle_s))
                    idle_since = time.monotonic()

    def _lease_size(self) -> int:
        if not self._max_tasks:
            return self._config.tasks_per_transaction
        with self._lock:
            return max(min(self._config.tasks_per_transaction, self._max_tasks - self._leased), 0)

    def _lease_wait_s(self, idle_since: float) -> float:
        wait_s = _MAX_LEASE_WAIT_S
        if self._config.starvation is not None:
            due = idle_since + self._config.starvation.time_with_no_tasks_s - time.monotonic()
            wait_s = min(wait_s, max(due, 0.05))
        return wait_s

    def _wind_down(self) -> None:
        self._stopping.set()
        self._release(self._buffer.close())
        if self._drain_requested or self._exit_code is ExitCode.STOP:
            self._user_hook("on_stop", self._worker.on_stop)
        for task in self._executor.join(self._drain_timeout_s):
            log(logger, logging.WARNING, "task.abandoned_at_drain_deadline", queue=self._queue, task=task.id)
            self.task_finished(task, Decision(FAILED, error=_STOPPED_ERROR))

    def _give_back(self, tasks: list[Task]) -> None:
        """Tasks that waited past prefetch_hold_s behind busy executors: back to their queue for idle workers."""
        self._gave_back.set()
        with self._lock:
            self._leased -= len(tasks)  # not run here: they do not count towards max_tasks_per_run
        log(logger, logging.INFO, "worker.prefetch_returned", queue=self._queue, count=len(tasks),
            hold_s=self._config.prefetch_hold_s, reason="the executors stayed busy; an idle worker can run them")
        self._release(tasks)

    def _release(self, tasks: Sequence[Task]) -> None:
        """Hand leased-but-unstarted tasks back to the head of their queue, in lease order."""
        if not tasks:
            return
        try:
            self._store.release(self._queue, [Release(t.id, t.lease_id) for t in tasks])
        except SergeantError as exc:  # their leases run out and the gateway reclaims them
            log(logger, logging.ERROR, "worker.release_failed", queue=self._queue, count=len(tasks),
                error=str(exc))
            return
        self._keeper.forget((t.lease_id, t.id) for t in tasks)
        for task in tasks:
            self._settler.ended_otherwise(task)
        log(logger, logging.INFO, "worker.released", queue=self._queue, count=len(tasks))

    def _close(self) -> None:
        if not self._settler.close(ACK_TIMEOUT_S):
            log(logger, logging.ERROR, "worker.successes_unsettled", store=self._config.store_url,
                consequence="their tasks return to the queue when their leases expire, and may run again")
        if not self._session.close(ACK_TIMEOUT_S):
            log(logger, logging.ERROR, "worker.outcomes_unacknowledged", gateway=self._config.gateway,
                count=self._session.unacknowledged,
                consequence="their tasks return to the queue when their leases expire, and may run again")
        if self._returner is not None:
            self._returner.shutdown()
        self._keeper.shutdown()
        self._killer.close()
        self._worker.close()

    # --- stopping -------------------------------------------------------------------------

    def request_exit(self, code: ExitCode, reason: str) -> None:
        with self._lock:
            self._exit_code = stronger(self._exit_code, code)
            first = not self._stopping.is_set()
            self._stopping.set()
        if first:
            log(logger, logging.INFO, "worker.stopping", worker=self._worker.worker_id, reason=reason)

    def _drain(self, reason: str, deadline_s: float | None = None) -> None:
        if deadline_s:
            self._drain_timeout_s = min(self._drain_timeout_s, deadline_s)
        self._drain_requested = True
        self.request_exit(ExitCode.OK, reason)

    def should_stop(self) -> bool:
        if self._signalled is not None and not self._drain_requested:
            self._drain(f"received {signal.Signals(self._signalled).name}")
        return self._stopping.is_set()

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # embedded in another program's thread: that program owns the signals

        def on_signal(signum: int, frame: FrameType | None) -> None:
            # Only a flag: the main thread may hold any lock when a handler runs in it.
            self._signalled = signum

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def _user_hook(self, name: str, call: Callable[[], None]) -> bool:
        """Run initialize/finalize/on_stop/on_starvation; returns False when it raised.

        stop() and respawn() are obeyed; any other exception is logged, and only a
        failing initialize or finalize changes the exit code."""
        try:
            call()
            return True
        except WorkerStop:
            self.request_exit(ExitCode.STOP, f"stop() called in {name}")
        except WorkerRespawn:
            self.request_exit(ExitCode.RESPAWN, f"respawn() called in {name}")
        except Exception as exc:
            log(logger, logging.ERROR, "worker.hook_failed", hook=name, error=f"{type(exc).__name__}: {exc}",
                exc_info=exc)
            if name in ("initialize", "finalize"):
                self.request_exit(ExitCode.WORKER_FAILURE, f"{name} raised {type(exc).__name__}")
        return False

    # --- ExecutorRuntime --------------------------------------------------------------------

    def task_finished(self, task: Task, decision: Decision) -> None:
        """A task that did not run here, or was abandoned: its outcome alone."""
        self.tasks_finished([Finished(task, decision, None)])

    def tasks_finished(self, finished: Sequence[Finished]) -> None:
        with self._lock:
            self._tasks_done += len(finished)
        self._counted.ran(finished)
        successes = [(task, decision.result) for task, decision, _ in finished if decision.kind == SUCCEEDED]
        if successes:  # straight to the store, settled with the rest of their leases
            self._settler.succeeded(successes)
            self._counted.succeeded.inc(len(successes))
        others = [f for f in finished if f.decision.kind != SUCCEEDED] if len(successes) < len(finished) else []
        if others or self._outcome_log.logs_successes:
            for task, decision, _ in finished:
                self._outcome_log.record(task, decision)
        if not others:
            return
        last = not len(self._buffer) and not self._executor.running()
        for n, (task, decision, _) in enumerate(others):
            self._settler.ended_otherwise(task)
            try:
                self._session.submit(outcome_pb(task, decision), last=last and n == len(others) - 1)
            except OutcomeBufferFull as exc:  # not reachable while leasing waits for room; said plainly if it is
                log(logger, logging.ERROR, "worker.outcome_dropped", queue=self._queue, task=task.id, error=str(exc))
                self.request_exit(ExitCode.CRASHED, "the outcome buffer overflowed")

    def task_stuck(self, task: Task, deadlines: Deadlines) -> None:
        log(logger, logging.ERROR, "task.stuck", queue=self._queue, task=task.id,
            grace_period_s=deadlines.grace_s, consequence="reported TIMED_OUT; this process is recycled")
        exhausted = self._config.max_retries and attempts_exhausted(self._config, task.attempt, task.max_attempts)
        error = TaskError("WorkerTimedout", f"timeout {deadlines.timeout_s:g} s plus grace {deadlines.grace_s:g} s "
                                            "passed and its thread did not stop; the worker process is recycled")
        self.task_finished(task, Decision(DEAD if exhausted else TIMED_OUT, error=error))
        self.request_exit(ExitCode.RESPAWN, "a task thread is stuck past its grace period")

    # --- gateway session callbacks ------------------------------------------------------------

    def _hello(self) -> worker_pb2.Hello:
        return worker_pb2.Hello(worker_id=self._worker.worker_id, queue=self._queue, pid=os.getpid(),
                                host=socket.gethostname(), executor=self._config.executor,
                                concurrency=self._config.number_of_threads, version=sergeant.__version__,
                                store=worker_pb2.StoreIdentity(**dataclasses.asdict(self._store.identity())))

    def _status(self) -> worker_pb2.Heartbeat:
        running = [task.id for task in self._executor.running()]
        with self._lock:
            done = self._tasks_done
        return worker_pb2.Heartbeat(in_flight=len(running), rss_bytes=tree_rss_bytes(os.getpid()),
                                    tasks_done=done, current_tasks=running[:100])

    def _on_command(self, command: worker_pb2.Command) -> None:
        kind = command.WhichOneof("body")
        if kind == "cancel":
            self._cancel(command.cancel.task_id)
        elif kind == "drain":
            self._drain("the gateway asked this worker to drain", command.drain.deadline_s)
        elif kind == "stop":
            self._drain(f"the gateway asked this worker to stop: {command.stop.reason}")

    def _cancel(self, task_id: str) -> None:
        for task in self._buffer.remove({task_id}):
            self.task_finished(task, Decision(CANCELLED, error=CANCELLED_ERROR))
            log(logger, logging.INFO, "task.cancelled", queue=self._queue, task=task_id, started=False)
            return
        if self._executor.cancel(task_id):
            log(logger, logging.INFO, "task.cancel_requested", queue=self._queue, task=task_id)

    def _on_settled(self, outcomes: Sequence[worker_pb2.Outcome], dispositions: Sequence[int]) -> None:
        self._keeper.forget((o.lease_id, o.task_id) for o in outcomes)
        lost = sum(d == worker_pb2.DISPOSITION_LEASE_LOST for d in dispositions)
        if lost:
            log(logger, logging.WARNING, "outcomes.lease_lost", queue=self._queue, count=lost,
                meaning="already settled (a resend), or the lease ran out and the task was given to another worker")

    def report_progress(self, task_id: str, progress: float, message: str, data: bytes) -> None:
        # Through the store, like the success it precedes: a watcher must see it before the task ends.
        self._settler.progress(TaskEvent(self._queue, task_id, EventKind.PROGRESS, time.time(), progress, message,
                                         data))

    def _leases_lost(self, task_ids: set[str]) -> None:
        dropped = self._buffer.remove(task_ids)
        for task in dropped:
            self._settler.ended_otherwise(task)
        if dropped:
            log(logger, logging.WARNING, "leases.lost", queue=self._queue, count=len(dropped),
                consequence="not started here: the store gave them to another worker")
