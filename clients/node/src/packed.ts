/**
 * The packed form of a push (PackedTasks, version 1; docs/protocol.md, "The packed batch"): a batch as one msgpack
 * array of task arrays [id, kwargs, priority, not_before_unix_s, max_attempts, timeout_s, idempotency_key, trace_id,
 * serializer, compressor]. kwargs are the msgpack map itself; a default is nil, and each array ends at its last field
 * that is not the default.
 */
import { encode } from "./codec";
import { SergeantError, Status } from "./errors";
import type { Task } from "./generated/sergeant/v1/Task";
import type { PushResponse__Output } from "./generated/sergeant/v1/PushResponse";

export const PACKED_VERSION = 1;
/** Tasks per call of pushMany unless told otherwise; larger batches go as several calls. */
export const DEFAULT_BATCH_SIZE = 1000;
/** Calls of one pushMany kept in flight at once. */
export const PUSHES_IN_FLIGHT = 3;

const PRIORITY_HIGH = 2; // sergeant.v1.Priority; NORMAL is the default and travels as nil

function arrayHeader(n: number): Uint8Array {
  if (n < 16) return Uint8Array.of(0x90 | n);
  if (n < 0x10000) return Uint8Array.of(0xdc, n >> 8, n & 0xff);
  return Uint8Array.of(0xdd, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

const NIL = Uint8Array.of(0xc0);

/** PackedTasks.tasks for these tasks (built by buildTask: kwargs are plain msgpack, uncompressed). */
export function packTasks(tasks: ReadonlyArray<Task & { id: string }>): Uint8Array {
  const parts: Uint8Array[] = [arrayHeader(tasks.length)];
  for (const t of tasks) {
    const rest: unknown[] = [
      t.priority === "PRIORITY_HIGH" ? PRIORITY_HIGH : null,
      t.notBeforeUnixS || null,
      t.maxAttempts || null,
      t.timeoutS || null,
      t.idempotencyKey || null,
      t.traceId || null,
    ];
    let n = rest.length;
    while (n > 0 && rest[n - 1] === null) n--;
    parts.push(arrayHeader(2 + n), encode(t.id), t.kwargs as Uint8Array);
    for (const field of rest.slice(0, n)) parts.push(field === null ? NIL : encode(field));
  }
  return Buffer.concat(parts);
}

/** The ids of a packed push in order, each duplicate's replaced by the id of the task pushed first. */
export function idsFromPacked(sent: ReadonlyArray<{ id: string }>, reply: PushResponse__Output): string[] {
  if (reply.count !== sent.length) {
    throw new SergeantError(Status.INTERNAL, `pushed ${sent.length} tasks, the gateway counted ${reply.count}`);
  }
  const ids = sent.map((t) => t.id);
  for (const d of reply.duplicates) {
    if (d.index >= ids.length) {
      throw new SergeantError(Status.INTERNAL, `the gateway named duplicate ${d.index} in a batch of ${ids.length}`);
    }
    ids[d.index] = d.id;
  }
  return ids;
}

/**
 * Run `push` over slices of `items` of `size`, at most `inFlight` at once; the results in order. After a failure
 * no further slice is sent (slices already sent stay stored) and the first error rejects.
 */
export async function inBatches<T, R>(
  items: readonly T[], size: number, inFlight: number, push: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const starts: number[] = [];
  for (let start = 0; start < items.length; start += size) starts.push(start);
  const results: R[][] = new Array(starts.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < starts.length) {
      const i = next++;
      const start = starts[i] as number;
      try {
        results[i] = await push(items.slice(start, start + size));
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, starts.length) }, lane));
  return results.flat();
}
