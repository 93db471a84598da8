// Retries stay inside the caller's deadline: against a real gRPC server (in process) that answers UNAVAILABLE
// slowly, as a gateway waiting for an unreachable store does, a call ends with that UNAVAILABLE before its
// deadline, never with DEADLINE_EXCEEDED.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SergeantClient, SergeantError, Status } from "../../src/index";
import { startFakeGateway, statusError, type FakeGateway } from "./fake-gateway";

const DEADLINE_MS = 3000;
const STORE_WAIT_MS = 1000; // how long the gateway waits for its store before answering UNAVAILABLE

let gw: FakeGateway;
let attempts = 0;

before(async () => {
  gw = await startFakeGateway();
  const down = (answer: () => void): void => {
    attempts += 1;
    setTimeout(answer, STORE_WAIT_MS);
  };
  gw.handlers.Push = (_call, callback) => down(() => callback(statusError(Status.UNAVAILABLE, "store unreachable")));
  gw.handlers.Submit = (call) => down(() => call.emit("error", statusError(Status.UNAVAILABLE, "store unreachable")));
  gw.handlers.Watch = (call) => down(() => call.emit("error", statusError(Status.UNAVAILABLE, "store unreachable")));
});

after(async () => {
  await gw.stop();
});

async function unavailableInTime(call: () => Promise<unknown>): Promise<void> {
  attempts = 0;
  const started = Date.now();
  await assert.rejects(call(), (e: unknown) => e instanceof SergeantError && e.code === Status.UNAVAILABLE
    && e.details === "store unreachable");
  const took = Date.now() - started;
  assert.ok(took < DEADLINE_MS, `the error came ${took} ms after the call, past its ${DEADLINE_MS} ms deadline`);
  assert.equal(attempts, 2); // at 1 s a second attempt fits; at 2 s a third would not
}

describe("retries within the deadline", () => {
  it("push, submit and watch answer the gateway's UNAVAILABLE before the deadline", async () => {
    const client = new SergeantClient(gw.address, { deadlineMs: DEADLINE_MS });
    try {
      await unavailableInTime(() => client.push("q", { n: 1 }));
      await unavailableInTime(() => client.submit("q", { n: 1 }, { deadlineMs: DEADLINE_MS }).result);
      await unavailableInTime(async () => {
        for await (const _ of client.watch("q", ["t1"], { deadlineMs: DEADLINE_MS })) { /* none come */ }
      });
    } finally {
      client.close();
    }
  });
});
