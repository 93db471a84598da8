// The JavaScript app of .ci/packages.sh (an ES module): round-trips every value through a live gateway and a
// Python echo worker, with the client installed from the packed tarball.
import assert from "node:assert/strict";
import { SergeantClient } from "@sergeant-queue/client";

const values = {
  text: "nul \u0000 and emoji 😀",
  min_i64: -(2n ** 63n),
  max_i64: 2n ** 63n - 1n,
  two_63: 2n ** 63n,
  max_u64: 2n ** 64n - 1n,
  floats: [0.1, -2.5e-300, 1e300, 0.5],
  bytes: Uint8Array.from({ length: 256 }, (_, i) => i),
  nested: { empty_map: {}, empty_list: [], deep: { list: [1, { x: [null, true, false] }] } },
  before_1970: new Date("1969-07-20T20:17:40.123Z"), // a Date holds milliseconds: no microseconds in JavaScript
  null: null,
};

const client = new SergeantClient(process.env.SERGEANT_GATEWAY);
try {
  const result = await client.submit("echo", values, { deadlineMs: 60_000 }).result;
  assert.deepEqual(result, { echo: values, keys: Object.keys(values).length });
  const ids = await client.pushMany("echo", [0, 1, 2].map((n) => ({ n })), { wantResults: true });
  const done = new Map();
  for await (const event of client.watch("echo", ids, { deadlineMs: 60_000 })) {
    if (event.kind === "succeeded") done.set(event.taskId, event.result.echo.n);
  }
  assert.deepEqual(ids.map((id) => done.get(id)), [0, 1, 2]);
} finally {
  client.close();
}
console.log("javascript: 2 passed, 0 failed");
