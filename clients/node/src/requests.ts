/** Pure request building and reply decoding: what the client sends and how replies become JS values. */
import { randomBytes } from "node:crypto";
import { decodeOptional, encodeKwargs } from "./codec";
import { TaskFailedError } from "./errors";
import type { Task } from "./generated/sergeant/v1/Task";
import type { TaskEvent__Output } from "./generated/sergeant/v1/TaskEvent";
import type { TaskResult__Output } from "./generated/sergeant/v1/TaskResult";
import type { GetTaskResponse__Output } from "./generated/sergeant/v1/GetTaskResponse";
import type { CancelOutcome__Output } from "./generated/sergeant/v1/CancelOutcome";

export type Priority = "normal" | "high";

/** Options of one task (push, pushMany, submit). */
export interface TaskOptions {
  /** The task id; by default the client makes one (so a retried push never duplicates the task). */
  id?: string;
  /** "normal" (the default) or "high": leased before every normal task. */
  priority?: Priority;
  /** Run no sooner than this many milliseconds from now (sets not_before_unix_s). */
  delayMs?: number;
  /** The task dies after this many failed attempts (0 or unset: the gateway's default, 5). */
  maxAttempts?: number;
  /** How long one attempt may run on the worker, in milliseconds (0 or unset: the worker's timeout). */
  timeoutMs?: number;
  /** A second push with the same key within the gateway's window returns the first task's id. */
  idempotencyKey?: string;
  traceId?: string;
}

export type EventKind = "accepted" | "started" | "progress" | "retrying" | "succeeded" | "dead" | "cancelled" | "unknown";
export type TaskState = "pending" | "scheduled" | "active" | "succeeded" | "dead" | "cancelled" | "unknown";
export type CancelOutcome = "cancelled" | "running" | "finished" | "unknown";

/** The worker's error of a dead task. */
export interface TaskErrorInfo {
  type: string;
  message: string;
  traceback: string;
}

/** One event of a task's life. */
export interface TaskEvent {
  queue: string;
  taskId: string;
  kind: EventKind;
  /** When it happened. */
  at: Date;
  /** PROGRESS: 0..1. */
  progress: number;
  /** PROGRESS: free text. */
  message: string;
  /** PROGRESS: the decoded detail (null when none). */
  data: unknown;
  /** SUCCEEDED: what the task returned (null when nothing). */
  result: unknown;
  /** DEAD: the worker's error. */
  error?: TaskErrorInfo;
  /** succeeded, dead or cancelled: the task's last event. */
  terminal: boolean;
}

/** What `get` tells about a task. */
export interface TaskStatus {
  queue: string;
  taskId: string;
  state: TaskState;
  /** Attempts that already failed. */
  attempt: number;
  /** What it returned, once succeeded. */
  result: unknown;
  /** The worker's error, once dead. */
  error?: TaskErrorInfo;
  /** The task's kwargs, while the store holds the envelope. */
  kwargs?: unknown;
  /** Its envelope's options, while the store holds it. */
  options?: StoredOptions;
  finishedAt?: Date;
}

/** The options a stored task carries (as the gateway filled them in). */
export interface StoredOptions {
  priority: Priority;
  /** Not before this time (undefined: as soon as possible). */
  notBefore?: Date;
  maxAttempts: number;
  /** 0: the worker's timeout. */
  timeoutMs: number;
  idempotencyKey: string;
  traceId: string;
  createdAt: Date;
}

const TERMINAL = new Set<EventKind>(["succeeded", "dead", "cancelled"]);
const ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Unique, roughly time-ordered task ids without a syscall each, like the Python client's:
 * 14 hex digits of a counter seeded from the clock in microseconds, then 12 random hex digits
 * fixed per process.
 */
export class TaskIdGenerator {
  private readonly prefix = randomBytes(6).toString("hex");
  private counter = Date.now() * 1000;

  next(): string {
    return (this.counter++).toString(16).padStart(14, "0") + this.prefix;
  }
}

const ids = new TaskIdGenerator();

/** A fresh task id: 26 characters of [0-9a-f]. */
export function newTaskId(): string {
  return ids.next();
}

function nonNegative(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Check task options; throws TypeError/RangeError for a bad one. */
export function checkOptions(options: TaskOptions = {}): void {
  const { id, priority, maxAttempts, idempotencyKey, traceId } = options;
  if (id !== undefined && (typeof id !== "string" || !ID_RE.test(id))) {
    throw new RangeError(`invalid task id ${JSON.stringify(id)}: use 1-128 of [A-Za-z0-9._:-]`);
  }
  if (priority !== undefined && priority !== "normal" && priority !== "high") {
    throw new RangeError(`priority must be "normal" or "high", got ${JSON.stringify(priority)}`);
  }
  nonNegative("delayMs", options.delayMs);
  nonNegative("timeoutMs", options.timeoutMs);
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 0 || maxAttempts > 0xffffffff)) {
    throw new RangeError(`maxAttempts must be an integer >= 0, got ${String(maxAttempts)}`);
  }
  for (const [name, value] of [["idempotencyKey", idempotencyKey], ["traceId", traceId]] as const) {
    if (value !== undefined && typeof value !== "string") throw new TypeError(`${name} must be a string`);
  }
}

/**
 * The protobuf Task for one push. `nowMs` is the clock (Date.now()) used for delayMs.
 * The id is options.id or a fresh one from newTaskId().
 */
export function buildTask(queue: string, kwargs: unknown, options: TaskOptions = {}, nowMs: number = Date.now()): Task & { id: string } {
  if (typeof queue !== "string" || queue.length === 0) throw new TypeError("queue must be a non-empty string");
  checkOptions(options);
  const delayMs = options.delayMs ?? 0;
  const timeoutMs = options.timeoutMs ?? 0;
  return {
    id: options.id ?? newTaskId(),
    queue,
    kwargs: encodeKwargs(kwargs),
    serializer: "SERIALIZER_MSGPACK",
    compressor: "COMPRESSOR_NONE",
    priority: options.priority === "high" ? "PRIORITY_HIGH" : "PRIORITY_NORMAL",
    notBeforeUnixS: delayMs > 0 ? (nowMs + delayMs) / 1000 : 0,
    maxAttempts: options.maxAttempts ?? 0,
    timeoutS: timeoutMs / 1000,
    idempotencyKey: options.idempotencyKey ?? "",
    traceId: options.traceId ?? "",
  };
}

/** "EVENT_KIND_STARTED" -> "started"; unspecified or unexpected values -> "unknown". */
function lowerName(value: string | undefined, prefix: string): string {
  const name = typeof value === "string" && value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : "";
  return name && name !== "unspecified" ? name : "unknown";
}

function errorOf(result: TaskResult__Output | null | undefined): TaskErrorInfo | undefined {
  const e = result?.error;
  return e ? { type: e.type, message: e.message, traceback: e.traceback } : undefined;
}

function dateOf(unixS: number): Date {
  return new Date(Math.round(unixS * 1000));
}

/** A TaskEvent of the wire's TaskEvent. */
export function eventFromPb(m: TaskEvent__Output): TaskEvent {
  const kind = lowerName(m.kind, "EVENT_KIND_") as EventKind;
  const event: TaskEvent = {
    queue: m.queue,
    taskId: m.taskId,
    kind,
    at: dateOf(m.atUnixS),
    progress: m.progress,
    message: m.message,
    data: decodeOptional(m.data),
    result: m.result ? decodeOptional(m.result.result) : null,
    terminal: TERMINAL.has(kind),
  };
  const error = errorOf(m.result);
  if (error) event.error = error;
  return event;
}

/** The TaskStatus of a GetTask reply. */
export function statusFromPb(queue: string, taskId: string, m: GetTaskResponse__Output): TaskStatus {
  const status: TaskStatus = {
    queue,
    taskId,
    state: lowerName(m.state, "TASK_STATE_") as TaskState,
    attempt: m.task?.attempt ?? 0,
    result: m.result ? decodeOptional(m.result.result) : null,
  };
  const error = errorOf(m.result);
  if (error) status.error = error;
  const task = m.task;
  if (task) {
    if (task.kwargs.length > 0 && task.serializer !== "SERIALIZER_PICKLE" && isPlain(task.compressor)) {
      status.kwargs = decodeOptional(task.kwargs);
    }
    status.options = {
      priority: task.priority === "PRIORITY_HIGH" ? "high" : "normal",
      maxAttempts: task.maxAttempts,
      timeoutMs: task.timeoutS * 1000,
      idempotencyKey: task.idempotencyKey,
      traceId: task.traceId,
      createdAt: dateOf(task.createdAtUnixS),
    };
    if (task.notBeforeUnixS > 0) status.options.notBefore = dateOf(task.notBeforeUnixS);
  }
  if (m.result && m.result.finishedAtUnixS > 0) status.finishedAt = dateOf(m.result.finishedAtUnixS);
  return status;
}

function isPlain(compressor: string): boolean {
  return compressor === "COMPRESSOR_NONE" || compressor === "COMPRESSOR_UNSPECIFIED";
}

export function cancelOutcomeFromPb(outcome: CancelOutcome__Output): CancelOutcome {
  return lowerName(outcome, "CANCEL_OUTCOME_") as CancelOutcome;
}

/** What a terminal event means for submit: its result, or a TaskFailedError to reject with. */
export function outcome(event: TaskEvent): { ok: true; value: unknown } | { ok: false; error: TaskFailedError } {
  if (event.kind === "succeeded") return { ok: true, value: event.result };
  const e = event.error ?? { type: "", message: "", traceback: "" };
  return { ok: false, error: new TaskFailedError(event.queue, event.taskId, event.kind, e.type, e.message, e.traceback) };
}
