/** SergeantClient: push tasks and await their results through a Sergeant gateway. */
import { EventEmitter } from "node:events";
import { isIP } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { SergeantError, Status, TaskFailedError, toSergeantError } from "./errors";
import type { ProducerClient } from "./generated/sergeant/v1/Producer";
import type { CancelResponse__Output } from "./generated/sergeant/v1/CancelResponse";
import type { GetTaskResponse__Output } from "./generated/sergeant/v1/GetTaskResponse";
import type { PushResponse__Output } from "./generated/sergeant/v1/PushResponse";
import type { TaskEvent__Output } from "./generated/sergeant/v1/TaskEvent";
import {
  buildTask,
  cancelOutcomeFromPb,
  eventFromPb,
  outcome,
  statusFromPb,
  type CancelOutcome,
  type TaskEvent,
  type TaskOptions,
  type TaskStatus,
} from "./requests";
import { Attempts, retryPolicy, sleep, withRetries, type RetryOptions, type RetryPolicy } from "./retry";
import { producerProto } from "./stubs";
import { DEFAULT_BATCH_SIZE, PACKED_VERSION, PUSHES_IN_FLIGHT, idsFromPacked, inBatches, packTasks } from "./packed";

/** TLS settings: PEM root certificate(s) to trust instead of the system's, a client certificate, a name override. */
export interface TlsOptions {
  /** PEM of the CA(s) to trust; default: the system's roots. */
  ca?: string | Buffer;
  /** PEM client certificate and key, for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Check the server's certificate against this name instead of the address's host. */
  serverName?: string;
}

export interface ClientOptions {
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** true: TLS with the system's roots; an object: see TlsOptions; false/unset: plaintext. */
  tls?: boolean | TlsOptions;
  /** Channel credentials of your own (overrides `tls`). */
  credentials?: grpc.ChannelCredentials;
  /** The deadline of each push/get/cancel, retries included, in ms (default 30000; 0: none). */
  deadlineMs?: number;
  /** Retries of calls that fail UNAVAILABLE (default: 5 attempts, 100 ms .. 2 s backoff); false: none. */
  retry?: RetryOptions | false;
  /** The largest message sent or received (default 16 MiB). */
  maxMessageBytes?: number;
  /** More grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
  /**
   * Calls go round robin over every address the target resolves to, instead of all to the first that answers.
   * On by default when the client is given several addresses; set it for one name that resolves to several
   * gateways ("dns:///gateways.internal:50051").
   */
  roundRobin?: boolean;
}

const ROUND_ROBIN = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });

/**
 * The grpc-js target of one address, or of several gateways' (IP literals, as an `ipv4:` / `ipv6:` target), and
 * whether calls go round robin.
 */
export function channelTarget(address: string | readonly string[], roundRobin?: boolean): { target: string; roundRobin: boolean } {
  if (typeof address === "string") return { target: address, roundRobin: roundRobin ?? false };
  const versions = new Set(address.map((a) => isIP(a.slice(0, a.lastIndexOf(":")).replace(/^\[|\]$/g, ""))));
  if (address.length === 0 || versions.has(0) || versions.size > 1) {
    throw new RangeError(`several gateways are given as IPv4 or as IPv6 addresses with ports, all of one kind: ${address.join(",")}; ` +
      "for names, give one target that resolves to all of them (dns:///gateways.internal:50051) with roundRobin: true");
  }
  return { target: `ipv${[...versions][0]}:${address.join(",")}`, roundRobin: roundRobin ?? true };
}

/** Options of one call. */
export interface CallOptions {
  /** This call's deadline in ms (overrides the client's deadlineMs; 0: none). */
  deadlineMs?: number;
  /** Abort the call (its promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

export type PushOptions = TaskOptions & CallOptions & {
  /** pushMany: the caller's own ids, one per task and in order (each checked as `id` is). */
  ids?: readonly string[];
  /** Keep each task's result (and its per-task state) for get, watch and cancel; default false, the cheap path. */
  wantResults?: boolean;
  /** pushMany: tasks per call (default 1000, at most the gateway's --max-batch); more go as several calls, 3 in flight. */
  batchSize?: number;
};

export interface SubmitOptions extends TaskOptions {
  /** Called with each PROGRESS event (and asks the gateway to stream them). */
  onProgress?: (event: TaskEvent) => void;
  /** Stream PROGRESS events even without onProgress (for `for await` or "progress" listeners). Default: !!onProgress. */
  progress?: boolean;
  /** Give up waiting after this many ms (DEADLINE_EXCEEDED); default: wait as long as the task takes. */
  deadlineMs?: number;
  /** Stop following the task (the result rejects with the signal's reason; the task itself goes on). */
  signal?: AbortSignal;
}

export interface WatchOptions {
  /** Also stream PROGRESS events. */
  progress?: boolean;
  /** End the watch after this many ms (the iteration throws DEADLINE_EXCEEDED); default: none. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_ADDRESS = "127.0.0.1:50051";
const DEFAULT_DEADLINE_MS = 30_000;
const DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

function credentialsFor(options: ClientOptions): { credentials: grpc.ChannelCredentials; channel: grpc.ChannelOptions } {
  if (options.credentials) return { credentials: options.credentials, channel: {} };
  const tls = options.tls;
  if (!tls) return { credentials: grpc.credentials.createInsecure(), channel: {} };
  const t: TlsOptions = tls === true ? {} : tls;
  const buf = (v: string | Buffer | undefined): Buffer | null => (v === undefined ? null : Buffer.from(v));
  return {
    credentials: grpc.credentials.createSsl(buf(t.ca), buf(t.key), buf(t.cert)),
    channel: t.serverName ? { "grpc.ssl_target_name_override": t.serverName, "grpc.default_authority": t.serverName } : {},
  };
}

/** The metadata sent with every call: the bearer token, when there is one. */
export function metadataFor(token: string | undefined): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (token) metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

/** Absolute deadline (ms since the epoch) of a call, or undefined for none. */
export function deadlineFrom(ms: number | undefined, fallback: number, now: number = Date.now()): number | undefined {
  const chosen = ms ?? fallback;
  if (!(chosen >= 0)) throw new RangeError(`deadlineMs must be >= 0, got ${String(ms)}`);
  return chosen > 0 && Number.isFinite(chosen) ? now + chosen : undefined;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/**
 * A producer client of a Sergeant gateway.
 *
 * ```ts
 * const client = new SergeantClient("127.0.0.1:50051", { token: process.env.SERGEANT_TOKEN });
 * const id = await client.push("emails", { to: "a@example.com" });
 * const result = await client.submit("echo", { n: 1 }).result;
 * client.close();
 * ```
 */
export class SergeantClient {
  /** The generated grpc-js stub of sergeant.v1.Producer, for what the wrapper does not cover (e.g. PushStream). */
  readonly stub: ProducerClient;
  readonly address: string;
  private readonly metadata: grpc.Metadata;
  private readonly deadlineMs: number;
  private readonly retry: RetryPolicy;

  constructor(address: string | readonly string[] = DEFAULT_ADDRESS, options: ClientOptions = {}) {
    const { credentials, channel } = credentialsFor(options);
    const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const Producer = producerProto().sergeant.v1.Producer;
    const { target, roundRobin } = channelTarget(address, options.roundRobin);
    this.stub = new Producer(target, credentials, {
      "grpc.max_send_message_length": maxBytes,
      "grpc.max_receive_message_length": maxBytes,
      ...(roundRobin ? { "grpc.service_config": ROUND_ROBIN } : {}),
      ...channel,
      ...options.channelOptions,
    });
    this.address = target;
    this.metadata = metadataFor(options.token);
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    deadlineFrom(this.deadlineMs, 0); // validate
    this.retry = retryPolicy(options.retry);
  }

  /** Push one task; resolves to its id (the first task's id when an idempotency key matched). */
  async push(queue: string, kwargs: object, options: PushOptions = {}): Promise<string> {
    const task = { ...buildTask(queue, kwargs, options), wantResult: options.wantResults ?? false };
    const reply = await this.unary<PushResponse__Output>((md, call, cb) => this.stub.push({ tasks: [task] }, md, call, cb), options);
    const pushed = reply.tasks[0];
    if (!pushed) throw new SergeantError(Status.INTERNAL, "the gateway answered a push of one task with no id");
    return pushed.id;
  }

  /**
   * Push a batch in the packed form; resolves to the ids in order (a task that matched an earlier push, by id or
   * idempotency key, gets that task's id). Batches beyond `batchSize` (1000) go as several calls, 3 in flight; each
   * call is stored atomically.
   */
  async pushMany(queue: string, many: Iterable<object>, options: PushOptions = {}): Promise<string[]> {
    const now = Date.now();
    const { ids, batchSize = DEFAULT_BATCH_SIZE } = options;
    const kwargsList = Array.from(many);
    if (options.id !== undefined && kwargsList.length > 1) {
      throw new RangeError("options.id names one task: give pushMany of several tasks options.ids");
    }
    if (ids !== undefined && ids.length !== kwargsList.length) {
      throw new RangeError(`options.ids has ${ids.length} ids for ${kwargsList.length} tasks`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
    const tasks = kwargsList.map((kwargs, i) => buildTask(queue, kwargs, ids ? { ...options, id: ids[i] } : options, now));
    if (tasks.length === 0) return [];
    const packed = { version: PACKED_VERSION, queue, wantResults: options.wantResults ?? false };
    return inBatches(tasks, batchSize, PUSHES_IN_FLIGHT, async (batch) => {
      const request = { packed: { ...packed, tasks: packTasks(batch) } };
      const reply = await this.unary<PushResponse__Output>((md, call, cb) => this.stub.push(request, md, call, cb), options);
      return idsFromPacked(batch, reply);
    });
  }

  /**
   * Push one task and follow it. `await submission.result` gives what the task returned, or
   * rejects with TaskFailedError (dead or cancelled) or SergeantError; `submission.id` is its id,
   * `for await (const e of submission)` its events.
   */
  submit(queue: string, kwargs: object, options: SubmitOptions = {}): Submission {
    const task = buildTask(queue, kwargs, options);
    return new Submission(this, this.stub, this.metadata, this.retry, task, options);
  }

  /**
   * Events of these tasks until each is terminal (or, with no ids, of the whole queue until the
   * deadline or signal ends the watch). Throws SergeantError when the call fails.
   */
  async *watch(queue: string, taskIds: Iterable<string> = [], options: WatchOptions = {}): AsyncGenerator<TaskEvent, void, undefined> {
    const pending = new Set(taskIds);
    const whole = pending.size === 0;
    const deadline = deadlineFrom(options.deadlineMs, 0);
    const signal = options.signal;
    const attempts = new Attempts(this.retry, deadline);
    while (whole || pending.size > 0) {
      if (signal?.aborted) throw abortError(signal);
      attempts.start();
      const stream = this.stub.watch(
        { queue, taskIds: [...pending], progress: options.progress ?? false },
        this.metadata.clone(),
        deadline === undefined ? {} : { deadline },
      );
      const onAbort = (): void => stream.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const message of stream as AsyncIterable<TaskEvent__Output>) {
          attempts.answered();
          const event = eventFromPb(message);
          if (event.terminal) pending.delete(event.taskId);
          yield event;
          if (!whole && pending.size === 0) break;
        }
        if (!whole && pending.size > 0) {
          throw new SergeantError(grpc.status.UNKNOWN, "the watch ended before every task finished");
        }
        return;
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        await sleep(attempts.next(toSergeantError(err)), signal);
      } finally {
        signal?.removeEventListener("abort", onAbort);
        stream.cancel();
      }
    }
  }

  /** A task's state, attempt, result or error. NOT_FOUND (a SergeantError) when the store has no such task. */
  async get(queue: string, taskId: string, options: CallOptions = {}): Promise<TaskStatus> {
    const reply = await this.unary<GetTaskResponse__Output>(
      (md, call, cb) => this.stub.getTask({ queue, taskId }, md, call, cb), options);
    return statusFromPb(queue, taskId, reply);
  }

  /** "cancelled" (it will never run), "running" (its worker was told to stop it) or "finished" (too late). */
  async cancel(queue: string, taskId: string, options: CallOptions = {}): Promise<CancelOutcome> {
    const reply = await this.unary<CancelResponse__Output>(
      (md, call, cb) => this.stub.cancel({ queue, taskId }, md, call, cb), options);
    return cancelOutcomeFromPb(reply.outcome);
  }

  /** Close the channel; calls in flight fail with CANCELLED. */
  close(): void {
    this.stub.close();
  }

  private unary<R>(
    start: (metadata: grpc.Metadata, call: grpc.CallOptions, callback: grpc.requestCallback<R>) => grpc.ClientUnaryCall,
    options: CallOptions,
  ): Promise<R> {
    const deadline = deadlineFrom(options.deadlineMs, this.deadlineMs);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const attempt = (): Promise<R> => new Promise<R>((resolve, reject) => {
      const callback = (err: grpc.ServiceError | null, reply?: R): void => {
        signal?.removeEventListener("abort", onAbort);
        if (signal?.aborted) reject(abortError(signal));
        else if (err) reject(toSergeantError(err));
        else resolve(reply as R);
      };
      const call = start(this.metadata.clone(), deadline === undefined ? {} : { deadline }, callback);
      const onAbort = (): void => call.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return withRetries(this.retry, attempt, deadline, signal);
  }
}

export interface Submission {
  /** Every event, as it arrives. */
  on(event: "event", listener: (event: TaskEvent) => void): this;
  /** PROGRESS events (streamed when onProgress or progress: true was given). */
  on(event: "progress", listener: (event: TaskEvent) => void): this;
  once(event: "event" | "progress", listener: (event: TaskEvent) => void): this;
  off(event: "event" | "progress", listener: (event: TaskEvent) => void): this;
}

/**
 * A submitted task being followed. `result` settles once the task is terminal; `events` holds
 * every event so far; iterate it (`for await`) for its events from the first. A stream broken
 * by UNAVAILABLE is resumed (the same id is re-submitted, or watched once the store holds it).
 */
export class Submission extends EventEmitter implements AsyncIterable<TaskEvent> {
  readonly queue: string;
  readonly id: string;
  /** What the task returned; rejects with TaskFailedError (dead/cancelled) or SergeantError. */
  readonly result: Promise<unknown>;
  /** The events received so far. */
  readonly events: TaskEvent[] = [];
  private finished = false;
  private readonly waiters = new Set<() => void>();
  private failure: unknown;

  /** @internal */
  constructor(
    private readonly client: SergeantClient,
    private readonly stub: ProducerClient,
    private readonly metadata: grpc.Metadata,
    private readonly retry: RetryPolicy,
    private readonly task: ReturnType<typeof buildTask>,
    private readonly options: SubmitOptions,
  ) {
    super();
    this.queue = task.queue as string;
    this.id = task.id;
    this.result = this.follow();
    this.result.catch(() => undefined); // a failure nobody awaits must not crash the process
  }

  /** Whether the task's outcome (or a failure to follow it) is known. */
  get done(): boolean {
    return this.finished;
  }

  /** Cancel the task (not just this wait): see SergeantClient.cancel. */
  cancel(options: CallOptions = {}): Promise<CancelOutcome> {
    return this.client.cancel(this.queue, this.id, options);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TaskEvent, void, undefined> {
    for (let i = 0; ; ) {
      while (i < this.events.length) yield this.events[i++] as TaskEvent;
      if (this.finished) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  private record(event: TaskEvent): void {
    this.events.push(event);
    if (event.kind === "progress") this.options.onProgress?.(event);
    this.emit("event", event);
    if (event.kind === "progress") this.emit("progress", event);
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  private async follow(): Promise<unknown> {
    try {
      const terminal = await this.run();
      const settled = outcome(terminal);
      if (!settled.ok) throw settled.error;
      return settled.value;
    } catch (err) {
      // the iterator rethrows call failures, not the task's own failure (its terminal event says that)
      if (!(err instanceof TaskFailedError)) this.failure = err;
      throw err;
    } finally {
      this.finished = true;
      this.wake();
    }
  }

  private async run(): Promise<TaskEvent> {
    const { signal } = this.options;
    const deadline = deadlineFrom(this.options.deadlineMs, 0);
    const progress = this.options.progress ?? this.options.onProgress !== undefined;
    let accepted = false;
    const attempts = new Attempts(this.retry, deadline);
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      attempts.start();
      const call = deadline === undefined ? {} : { deadline };
      // Until the store holds the task, (re)submit it under its own id: a live id is stored once.
      // After that, resume by watching it, which also reports a finish that happened meanwhile.
      const stream = accepted
        ? this.stub.watch({ queue: this.queue, taskIds: [this.id], progress }, this.metadata.clone(), call)
        : this.stub.submit({ task: this.task, progress }, this.metadata.clone(), call);
      const onAbort = (): void => stream.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const message of stream as AsyncIterable<TaskEvent__Output>) {
          attempts.answered();
          const event = eventFromPb(message);
          if (accepted && event.kind === "accepted") continue; // a resumed stream repeats it
          accepted = true;
          this.record(event);
          if (event.terminal) return event;
        }
        throw new SergeantError(grpc.status.UNKNOWN, "the event stream ended before the task finished");
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        await sleep(attempts.next(toSergeantError(err)), signal);
      } finally {
        signal?.removeEventListener("abort", onAbort);
        stream.cancel();
      }
    }
  }
}
