import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Metadata } from "@grpc/grpc-js";
import { SergeantError, Status, statusName, TaskFailedError, toSergeantError } from "../../src/errors";
import { backoffMs, DEFAULT_RETRY, isRetryable, retryPolicy, withRetries } from "../../src/retry";
import { deadlineFrom, metadataFor } from "../../src/client";

describe("errors", () => {
  it("map grpc-js ServiceErrors to SergeantError with code, name and details", () => {
    const raw = Object.assign(new Error("7 PERMISSION_DENIED: no"), { code: 7, details: "no", metadata: new Metadata() });
    const mapped = toSergeantError(raw);
    assert.ok(mapped instanceof SergeantError);
    assert.ok(mapped instanceof Error);
    assert.equal(mapped.code, Status.PERMISSION_DENIED);
    assert.equal(mapped.codeName, "PERMISSION_DENIED");
    assert.equal(mapped.details, "no");
    assert.equal(mapped.message, "PERMISSION_DENIED: no");
    assert.equal(mapped.name, "SergeantError");
    const other = new TypeError("x");
    assert.equal(toSergeantError(other), other);
    assert.equal(toSergeantError(mapped), mapped);
  });

  it("name every status code", () => {
    assert.equal(statusName(Status.UNAUTHENTICATED), "UNAUTHENTICATED");
    assert.equal(statusName(Status.UNAVAILABLE), "UNAVAILABLE");
    assert.equal(statusName(99), "CODE_99");
  });

  it("TaskFailedError is its own kind of Error", () => {
    const e = new TaskFailedError("q", "t", "dead", "ValueError", "boom", "tb");
    assert.ok(e instanceof Error);
    assert.ok(!(e instanceof SergeantError));
    assert.equal(e.name, "TaskFailedError");
    assert.equal(e.message, "task t (queue q) dead: ValueError: boom");
  });
});

describe("metadata and deadlines", () => {
  it("carries the bearer token only when there is one", () => {
    assert.deepEqual(metadataFor("abc").get("authorization"), ["Bearer abc"]);
    assert.deepEqual(metadataFor(undefined).get("authorization"), []);
    assert.deepEqual(metadataFor("").get("authorization"), []);
  });

  it("turns deadlineMs into an absolute time; 0 means none", () => {
    assert.equal(deadlineFrom(undefined, 30_000, 1000), 31_000);
    assert.equal(deadlineFrom(500, 30_000, 1000), 1500);
    assert.equal(deadlineFrom(0, 30_000, 1000), undefined);
    assert.equal(deadlineFrom(undefined, 0, 1000), undefined);
    assert.equal(deadlineFrom(Infinity, 0, 1000), undefined);
    assert.throws(() => deadlineFrom(-1, 0), RangeError);
  });
});

describe("retry policy", () => {
  it("retries UNAVAILABLE by default, with capped exponential backoff and jitter", () => {
    const p = retryPolicy(undefined);
    assert.deepEqual(p, DEFAULT_RETRY);
    assert.equal(backoffMs(p, 1, () => 1), 100);
    assert.equal(backoffMs(p, 1, () => 0), 50);
    assert.equal(backoffMs(p, 3, () => 1), 400);
    assert.equal(backoffMs(p, 10, () => 1), 2000);
    assert.ok(isRetryable(p, new SergeantError(Status.UNAVAILABLE, "x")));
    assert.ok(!isRetryable(p, new SergeantError(Status.DEADLINE_EXCEEDED, "x")));
    assert.ok(!isRetryable(p, new Error("x")));
    assert.equal(retryPolicy(false).maxAttempts, 1);
    assert.ok(isRetryable(retryPolicy({ retryableCodes: [Status.RESOURCE_EXHAUSTED] }), new SergeantError(Status.RESOURCE_EXHAUSTED, "full")));
    assert.throws(() => retryPolicy({ maxAttempts: 0 }), RangeError);
  });

  it("withRetries stops at success, at a code it does not retry, at maxAttempts and before the deadline", async () => {
    const policy = retryPolicy({ initialBackoffMs: 1, maxBackoffMs: 2 });
    let n = 0;
    assert.equal(await withRetries(policy, async () => {
      n += 1;
      if (n < 3) throw new SergeantError(Status.UNAVAILABLE, "down");
      return "ok";
    }), "ok");
    assert.equal(n, 3);

    n = 0;
    await assert.rejects(withRetries(policy, async () => {
      n += 1;
      throw new SergeantError(Status.INVALID_ARGUMENT, "bad");
    }), { code: Status.INVALID_ARGUMENT });
    assert.equal(n, 1);

    n = 0;
    await assert.rejects(withRetries(policy, async () => {
      n += 1;
      throw new SergeantError(Status.UNAVAILABLE, "down");
    }), { code: Status.UNAVAILABLE });
    assert.equal(n, 5);

    n = 0;
    const slow = retryPolicy({ initialBackoffMs: 10_000, maxBackoffMs: 10_000 });
    await assert.rejects(withRetries(slow, async () => {
      n += 1;
      throw new SergeantError(Status.UNAVAILABLE, "down");
    }, Date.now() + 1000), { code: Status.UNAVAILABLE });
    assert.equal(n, 1);
  });
});
