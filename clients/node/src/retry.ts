/** Retries of calls that failed with a retryable status (UNAVAILABLE by default), with backoff. */
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

/**
 * Run `attempt` until it succeeds, fails with a status the policy does not retry, runs out of
 * attempts, or the next pause would pass `deadline` (ms since the epoch); then its last error is thrown.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  deadline?: number,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= policy.maxAttempts || !isRetryable(policy, err)) throw err;
      const pause = backoffMs(policy, n);
      if (deadline !== undefined && Date.now() + pause >= deadline) throw err;
      await sleep(pause, signal);
    }
  }
}
