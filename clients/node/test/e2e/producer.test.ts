/**
 * End to end against a live gateway with Python echo workers (SERGEANT_GATEWAY, or backend.py started here).
 * The echo worker on queue `echo` returns {"echo": kwargs, "keys": <top-level key count>}.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SergeantClient, SergeantError, Status, TaskFailedError, newTaskId, type TaskEvent } from "../../src/index";
import { gatewayUnderTest, type Backend } from "./backend";

const QUEUE = "echo";
const T = { timeout: 60_000 };

let backend: Backend;
let client: SergeantClient;

before(async () => {
  backend = await gatewayUnderTest();
  client = new SergeantClient(backend.address, { deadlineMs: 20_000 });
}, { timeout: 120_000 });

after(async () => {
  client?.close();
  await backend?.stop();
});

/** Every msgpack type JavaScript can express, nested. */
function everyType(): Record<string, unknown> {
  return {
    nested: { list: [1, [2, { deep: ["x", null, true]}]], empty_map: {}, empty_list: [] },
    ints: {
      zero: 0, small: 7, neg_fix: -32, neg: -33, u8: 255, u16: 65_535, u32: 4_294_967_295, i32: -2_147_483_648,
      past_u32: 4_294_967_296, past_i32: -2_147_483_649,
      max_safe: Number.MAX_SAFE_INTEGER, min_safe: Number.MIN_SAFE_INTEGER,
    },
    edges: { int64_min: -(2n ** 63n), int64_max: 2n ** 63n - 1n, uint64_max: 2n ** 64n - 1n, past_safe: 2n ** 53n },
    floats: [3.141592653589793, -0.5, 1e300, 5e-324, -1.7976931348623157e308, Infinity, -Infinity, 0.1],
    nan: NaN,
    bytes: new Uint8Array([0, 1, 2, 127, 128, 254, 255]),
    empty_bytes: new Uint8Array(0),
    big_bytes: new Uint8Array(70_000).map((_, i) => i % 251),
    strings: ["", "plain ascii", "ünïcødé", "中文字符", "emoji 🎉 and 👩‍👩‍👧", "\u0000nul\u0000", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"],
    long_string: "x".repeat(70_000),
    nil: null,
    yes: true,
    no: false,
    when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    epoch: new Date(0),
    before_epoch: new Date(Date.UTC(1969, 6, 20, 20, 17, 40, 1)),
    far_future: new Date(Date.UTC(2500, 11, 31, 23, 59, 59, 999)),
    set: new Set(["a", 1, 2n ** 64n - 1n]),
    "key with spaces and ünïcødé 🔑": "value",
  };
}

describe("submit round-trips", () => {
  it("every msgpack type exactly through the Python worker", T, async () => {
    const kwargs = everyType();
    const result = await client.submit(QUEUE, kwargs).result;
    assert.deepEqual(result, { echo: kwargs, keys: Object.keys(kwargs).length });
  });

  it("a Map with integer keys arrives as a dict with int keys", T, async () => {
    const result = await client.submit(QUEUE, new Map<unknown, unknown>([["m", new Map([[1, "one"], [2, "two"]])]])).result;
    assert.deepEqual(result, { echo: { m: { 1: "one", 2: "two" } }, keys: 1 });
  });

  it("reports progress events, then the result", T, async () => {
    const progress: TaskEvent[] = [];
    const submission = client.submit(QUEUE, { progress: 3, tag: "p" }, { onProgress: (e) => progress.push(e) });
    const kinds: string[] = [];
    submission.on("event", (e) => kinds.push(e.kind));
    const result = (await submission.result) as { echo: unknown; keys: number };
    assert.deepEqual(result, { echo: { progress: 3, tag: "p" }, keys: 2 });
    assert.equal(progress.length, 3);
    for (const e of progress) {
      assert.equal(e.kind, "progress");
      assert.equal(e.taskId, submission.id);
      assert.ok(e.progress >= 0 && e.progress <= 1, `progress ${e.progress}`);
    }
    assert.deepEqual(progress.map((e) => e.progress), [...progress.map((e) => e.progress)].sort((a, b) => a - b));
    assert.equal(kinds[0], "accepted");
    assert.equal(kinds.at(-1), "succeeded");
    assert.deepEqual(kinds.filter((k) => k === "progress").length, 3);
    assert.ok(kinds.indexOf("started") < kinds.indexOf("progress"));
    const iterated: string[] = [];
    for await (const e of submission) iterated.push(e.kind);
    assert.deepEqual(iterated, kinds);
  });

  it("surfaces a failing task as TaskFailedError with the worker's error", T, async () => {
    const submission = client.submit(QUEUE, { fail: "the input was bad ✗" }, { maxAttempts: 1 });
    await assert.rejects(submission.result, (e: unknown) => {
      assert.ok(e instanceof TaskFailedError, String(e));
      assert.equal(e.state, "dead");
      assert.equal(e.errorType, "ValueError");
      assert.match(e.errorMessage, /the input was bad ✗/); // the echo worker words it "asked to fail: ..."
      assert.equal(e.taskId, submission.id);
      assert.equal(e.queue, QUEUE);
      return true;
    });
    const status = await client.get(QUEUE, submission.id);
    assert.equal(status.state, "dead");
    assert.equal(status.error?.type, "ValueError");
  });
});

describe("push, pushMany, watch and get", () => {
  it("pushMany stores a batch; watch follows it to the end; get reads each result", T, async () => {
    const batch = Array.from({ length: 200 }, (_, i) => ({ i, label: `task-${i}` }));
    const ids = await client.pushMany(QUEUE, batch, { traceId: "node-batch", wantResults: true });
    assert.equal(ids.length, batch.length);
    assert.equal(new Set(ids).size, batch.length);
    const finished = new Map<string, TaskEvent>();
    for await (const e of client.watch(QUEUE, ids, { deadlineMs: 50_000 })) {
      if (e.terminal) finished.set(e.taskId, e);
    }
    assert.equal(finished.size, ids.length);
    for (const [index, id] of ids.entries()) {
      const e = finished.get(id);
      assert.equal(e?.kind, "succeeded", `${id}: ${e?.kind}`);
    }
    for (const index of [0, 57, 199]) {
      const status = await client.get(QUEUE, ids[index] as string);
      assert.equal(status.state, "succeeded");
      assert.deepEqual(status.result, { echo: batch[index], keys: 2 });
      assert.ok(status.finishedAt instanceof Date);
    }
  });

  it("pushMany answers an idempotency key's match with the first id, and keeps many batches in order", T, async () => {
    const key = `node-key-${newTaskId()}`;
    const [first] = await client.pushMany(QUEUE, [{ n: 0 }], { idempotencyKey: key });
    assert.deepEqual(await client.pushMany(QUEUE, [{ n: 1 }], { idempotencyKey: key }), [first]);
    const ids = Array.from({ length: 2500 }, (_, i) => `node-${first}-${i}`);
    assert.deepEqual(await client.pushMany(QUEUE, ids.map((_, n) => ({ n })), { ids, batchSize: 1000 }), ids);
  });

  it("push returns the id; get shows the stored kwargs and options while it waits", T, async () => {
    const kwargs = { to: "alice", n: 2n ** 64n - 1n, when: new Date(Date.UTC(2030, 0, 1)) };
    const before = Date.now();
    const id = await client.push(QUEUE, kwargs, {
      delayMs: 600_000, priority: "high", maxAttempts: 3, timeoutMs: 4_500, traceId: "trace-1", wantResults: true,
    });
    try {
      const status = await client.get(QUEUE, id);
      assert.equal(status.state, "scheduled");
      assert.equal(status.attempt, 0);
      assert.deepEqual(status.kwargs, kwargs);
      assert.equal(status.options?.priority, "high");
      assert.equal(status.options?.maxAttempts, 3);
      assert.equal(status.options?.timeoutMs, 4_500);
      assert.equal(status.options?.traceId, "trace-1");
      const notBefore = status.options?.notBefore?.getTime() ?? 0;
      assert.ok(notBefore >= before + 599_000 && notBefore <= Date.now() + 601_000, `notBefore ${notBefore}`);
    } finally {
      await client.cancel(QUEUE, id);
    }
  });

  it("a chosen id and an idempotency key are each stored once", T, async () => {
    const chosen = `node-e2e-${Date.now()}:a.b_c`;
    assert.equal(await client.push(QUEUE, { x: 1 }, { id: chosen, delayMs: 600_000, wantResults: true }), chosen);
    assert.equal(await client.push(QUEUE, { x: 2 }, { id: chosen, delayMs: 600_000, wantResults: true }), chosen);
    assert.deepEqual((await client.get(QUEUE, chosen)).kwargs, { x: 1 });
    await client.cancel(QUEUE, chosen);

    const key = `node-key-${Date.now()}`;
    const first = await client.push(QUEUE, { y: 1 }, { idempotencyKey: key, delayMs: 600_000, wantResults: true });
    const second = await client.push(QUEUE, { y: 2 }, { idempotencyKey: key, delayMs: 600_000, wantResults: true });
    assert.equal(second, first);
    await client.cancel(QUEUE, first);
  });

  it("gateway errors are SergeantErrors carrying the status code", T, async () => {
    await assert.rejects(client.get(QUEUE, "no-such-task-node"),
      (e: unknown) => e instanceof SergeantError && e.code === Status.NOT_FOUND && e.details.length > 0);
    await assert.rejects(client.push("not a queue!", {}),
      (e: unknown) => e instanceof SergeantError && e.code === Status.INVALID_ARGUMENT && /queue/.test(e.details));
  });
});

describe("cancel", () => {
  it("a queued (delayed) task never runs", T, async () => {
    const id = await client.push(QUEUE, { never: true }, { delayMs: 600_000, wantResults: true });
    assert.equal((await client.get(QUEUE, id)).state, "scheduled");
    assert.equal(await client.cancel(QUEUE, id), "cancelled");
    assert.equal((await client.get(QUEUE, id)).state, "cancelled");
    assert.equal(await client.cancel(QUEUE, id), "finished");
    const events: string[] = [];
    for await (const e of client.watch(QUEUE, [id], { deadlineMs: 10_000 })) events.push(e.kind);
    assert.deepEqual(events, ["cancelled"]);
  });

  it("submission.cancel() of a delayed submit rejects its result as cancelled", T, async () => {
    const submission = client.submit(QUEUE, { later: 1 }, { delayMs: 600_000 });
    await new Promise((resolve) => submission.once("event", resolve)); // accepted: the store holds it
    assert.equal(await submission.cancel(), "cancelled");
    await assert.rejects(submission.result, (e: unknown) => e instanceof TaskFailedError && e.state === "cancelled"
      && e.taskId === submission.id);
  });

  it("a running task (pushed, then watched) is told to stop, and ends cancelled", T, async () => {
    const id = await client.push(QUEUE, { sleep_s: 30 }, { maxAttempts: 1, wantResults: true });
    const started = Date.now();
    while ((await client.get(QUEUE, id)).state !== "active") {
      assert.ok(Date.now() - started < 20_000, "a worker leased the task");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await client.cancel(QUEUE, id), "running");
    const kinds: string[] = [];
    for await (const e of client.watch(QUEUE, [id], { deadlineMs: 50_000 })) kinds.push(e.kind);
    assert.equal(kinds.at(-1), "cancelled", kinds.join(","));
    assert.ok(Date.now() - started < 25_000, "the worker stopped the task before its sleep ended");
    assert.equal((await client.get(QUEUE, id)).state, "cancelled");
  });

  it("a running task is told to stop, and ends cancelled", T, async () => {
    const submission = client.submit(QUEUE, { sleep_s: 30 }, { maxAttempts: 1 });
    await new Promise<void>((resolve) => {
      const onEvent = (e: TaskEvent): void => {
        if (e.kind === "started") {
          submission.off("event", onEvent);
          resolve();
        }
      };
      submission.on("event", onEvent);
    });
    const started = Date.now();
    assert.equal(await submission.cancel(), "running");
    await assert.rejects(submission.result, (e: unknown) => e instanceof TaskFailedError
      && e.state === "cancelled");
    assert.ok(Date.now() - started < 25_000, "the worker stopped the task before its sleep ended");
  });
});
