/**
 * Against a real gateway whose store (redis-server, SecantusDB) has stopped: a push with a 3 s deadline rejects
 * with the gateway's UNAVAILABLE, naming the store, before the deadline.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SergeantClient, SergeantError, Status } from "../../src/index";
import { startBackend, type Backend } from "./backend";

const DEADLINE_MS = 3000;
const STORES = { redis: "Redis at", mongodb: "MongoDB is unreachable" } as const;

describe("a store outage", () => {
  const backends: Backend[] = [];

  after(async () => {
    await Promise.all(backends.map((b) => b.stop()));
  });

  for (const [store, says] of Object.entries(STORES)) {
    it(`${store}: push is UNAVAILABLE before its deadline`, { timeout: 150_000 }, async () => {
      const backend = await startBackend({ down: store as keyof typeof STORES, timeoutMs: 120_000 });
      backends.push(backend);
      const client = new SergeantClient(backend.address, { deadlineMs: DEADLINE_MS });
      try {
        const started = Date.now();
        await assert.rejects(client.push("outage", { n: 1 }), (e: unknown) => e instanceof SergeantError
          && e.code === Status.UNAVAILABLE && e.details.includes(says));
        const took = Date.now() - started;
        assert.ok(took < DEADLINE_MS, `the error came ${took} ms after the push, past its ${DEADLINE_MS} ms deadline`);
      } finally {
        client.close();
      }
    });
  }
});
