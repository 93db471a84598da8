// The TypeScript app of .ci/packages.sh (compiled by tsc to CommonJS against the package's own types): round-trips
// every value through a live gateway and a Python echo worker, with the client installed from the packed tarball.
import assert from "node:assert/strict";
import { SergeantClient, SergeantError, type TaskEvent } from "@sergeant-queue/client";

const values: Record<string, unknown> = {
  text: "nul \u0000 and emoji 😀",
  min_i64: -(2n ** 63n),
  max_i64: 2n ** 63n - 1n,
  two_63: 2n ** 63n,
  max_u64: 2n ** 64n - 1n, // beyond ±2^53 a whole number must be a bigint, or it travels as a float64
  floats: [0.1, -2.5e-300, 1e300, 0.5],
  bytes: Uint8Array.from({ length: 256 }, (_, i) => i),
  nested: { empty_map: {}, empty_list: [], deep: { list: [1, { x: [null, true, false] }] } },
  before_1970: new Date("1969-07-20T20:17:40.123Z"),
  null: null,
};

async function main(): Promise<void> {
  const client = new SergeantClient(process.env.SERGEANT_GATEWAY ?? "127.0.0.1:50051");
  try {
    const result = await client.submit("echo", values, { deadlineMs: 60_000 }).result;
    assert.deepEqual(result, { echo: values, keys: Object.keys(values).length });
    const ids: string[] = await client.pushMany("echo", [0, 1, 2].map((n) => ({ n })), { wantResults: true });
    const done = new Map<string, unknown>();
    for await (const event of client.watch("echo", ids, { deadlineMs: 60_000 }) as AsyncIterable<TaskEvent>) {
      if (event.kind === "succeeded") done.set(event.taskId, (event.result as { echo: { n: number } }).echo.n);
    }
    assert.deepEqual(ids.map((id) => done.get(id)), [0, 1, 2]);
    await assert.rejects(client.get("echo", "no-such-task"), SergeantError);
  } finally {
    client.close();
  }
  console.log("typescript: 3 passed, 0 failed");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
