/**
 * Push throughput against a live gateway (not a test).
 *
 *   node build/bench/throughput.js <address> [N=20000] [--token T] [--queue Q]
 *
 * Pushes N tasks in batches of 1,000 (pushMany, one batch at a time), then N tasks one by one
 * (push, sequentially, each awaited), and prints one JSON line:
 *   {"language": "node", "batched_per_s": ..., "single_per_s": ...}
 * The tasks go to queue `bench-node` (no worker runs them), which is purged at the end when the
 * gateway allows it.
 */
import { SergeantClient, operationsProto, metadataFor } from "../src/index";
import * as grpc from "@grpc/grpc-js";

const BATCH = 1000;

function parseArgs(argv: string[]): { address: string; n: number; token?: string; queue: string } {
  const positional: string[] = [];
  let token: string | undefined;
  let queue = "bench-node";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--token") token = argv[++i];
    else if (arg === "--queue") queue = argv[++i] as string;
    else positional.push(arg);
  }
  const [address, n] = positional;
  if (!address) {
    process.stderr.write("usage: node build/bench/throughput.js <address> [N=20000] [--token T] [--queue Q]\n");
    process.exit(2);
  }
  const count = Number(n ?? 20_000);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`N must be a positive integer, got ${n}`);
  return { address, n: count, token, queue };
}

function kwargs(i: number): Record<string, unknown> {
  return { i, user: `user-${i}`, amount: i * 1.5, tags: ["bench", "node"] };
}

async function purge(address: string, token: string | undefined, queue: string): Promise<void> {
  const Operations = operationsProto().sergeant.v1.Operations;
  const ops = new Operations(address, grpc.credentials.createInsecure());
  await new Promise<void>((resolve) => {
    ops.purgeQueue({ queue }, metadataFor(token), { deadline: Date.now() + 30_000 }, () => resolve());
  });
  ops.close();
}

async function main(): Promise<void> {
  const { address, n, token, queue } = parseArgs(process.argv.slice(2));
  const client = new SergeantClient(address, { token, deadlineMs: 60_000 });
  try {
    for (let i = 0; i < 50; i++) await client.push(queue, kwargs(-i)); // warm up the channel and the JIT
    await client.pushMany(queue, Array.from({ length: BATCH }, (_, i) => kwargs(-i)));

    let started = process.hrtime.bigint();
    for (let done = 0; done < n; done += BATCH) {
      const size = Math.min(BATCH, n - done);
      await client.pushMany(queue, Array.from({ length: size }, (_, i) => kwargs(done + i)));
    }
    const batchedS = Number(process.hrtime.bigint() - started) / 1e9;

    started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await client.push(queue, kwargs(i));
    const singleS = Number(process.hrtime.bigint() - started) / 1e9;

    process.stdout.write(`${JSON.stringify({
      language: "node",
      batched_per_s: Math.round(n / batchedS),
      single_per_s: Math.round(n / singleS),
    })}\n`);
  } finally {
    client.close();
    await purge(address, token, queue);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
