/**
 * Retries of calls that failed with a retryable status (UNAVAILABLE by default), with backoff, inside the call's
 * deadline: another attempt starts only if its pause plus as long as the last attempt took still fits before the
 * deadline; otherwise the call throws the error it has (UNAVAILABLE with the gateway's message, e.g. naming the
 * store), never the DEADLINE_EXCEEDED that a retry cut short would end with.
 */
import { status } from "@grpc/grpc-js";
import { SergeantError } from "./errors";

export interface RetryOptions {
  /** Attempts in all, the first included (default 5; 1 disables retries). */
  maxAttempts?: number;
  /** The pause before the first retry, in ms (default 100); it grows by `multiplier` up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  multiplier?: number;
  /** Status codes to retry (default [Status.UNAVAILABLE]). Every push carries its own task id, so a retried push never duplicates. */
  retryableCodes?: readonly number[];
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  multiplier: 2,
  retryableCodes: [status.UNAVAILABLE],
};

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  const policy = { ...DEFAULT_RETRY, ...(options ?? {}) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${String(policy.maxAttempts)}`);
  }
  for (const name of ["initialBackoffMs", "maxBackoffMs", "multiplier"] as const) {
    if (!(policy[name] >= 0)) throw new RangeError(`retry.${name} must be >= 0`);
  }
  return policy;
}

/** The pause before retry number `retry` (1 = the first retry): exponential, capped, with jitter in [50%, 100%]. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.initialBackoffMs * policy.multiplier ** (retry - 1), policy.maxBackoffMs);
  return ceiling * (0.5 + random() / 2);
}

export function isRetryable(policy: RetryPolicy, err: unknown): boolean {
  return err instanceof SergeantError && policy.retryableCodes.includes(err.code);
}

/** Resolve after ms, or reject with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The attempts of one call: `start()` before each, `next(error)` after each failure. */
export class Attempts {
  private made = 0;
  private begun: number | undefined; // when the current attempt started; undefined once it answered
  private failure: SergeantError | undefined; // the last failure worth reporting

  /** `deadline`: the call's, in ms since the epoch. */
  constructor(private readonly policy: RetryPolicy, private readonly deadline?: number) {}

  start(): void {
    this.made += 1;
    this.begun = Date.now();
  }

  /** A stream answered: a later failure starts a fresh series of retries. */
  answered(): void {
    this.made = 1;
    this.begun = undefined;
    this.failure = undefined;
  }

  /** The pause (ms) before the next attempt; throws the error the call ends with when there is none. */
  next(error: unknown): number {
    if (error instanceof SergeantError && error.code === status.DEADLINE_EXCEEDED && this.failure !== undefined) {
      throw this.failure; // the deadline cut a retry short: the failure before it stands
    }
    if (this.made >= this.policy.maxAttempts || !isRetryable(this.policy, error)) throw error;
    this.failure = error as SergeantError;
    const pause = backoffMs(this.policy, this.made);
    const now = Date.now();
    const took = this.begun === undefined ? 0 : now - this.begun;
    if (this.deadline !== undefined && now + pause + took > this.deadline) throw error;
    return pause;
  }
}

/**
 * Run `attempt` until it succeeds, fails with a status the policy does not retry, runs out of attempts, or
 * another attempt could not finish before `deadline` (ms since the epoch); then the last real error is thrown.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  deadline?: number,
  signal?: AbortSignal,
): Promise<T> {
  const attempts = new Attempts(policy, deadline);
  for (;;) {
    attempts.start();
    try {
      return await attempt();
    } catch (err) {
      await sleep(attempts.next(err), signal);
    }
  }
}
