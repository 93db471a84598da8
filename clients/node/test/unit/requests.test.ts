import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decode, encode } from "../../src/codec";
import { TaskFailedError } from "../../src/errors";
import {
  buildTask, cancelOutcomeFromPb, checkOptions, eventFromPb, newTaskId, outcome, statusFromPb, TaskIdGenerator,
} from "../../src/requests";
import type { TaskEvent__Output } from "../../src/generated/sergeant/v1/TaskEvent";
import type { GetTaskResponse__Output } from "../../src/generated/sergeant/v1/GetTaskResponse";

const NOW = 1_700_000_000_000;

function pbEvent(fields: Partial<TaskEvent__Output>): TaskEvent__Output {
  return {
    queue: "q", taskId: "t1", kind: "EVENT_KIND_UNSPECIFIED", atUnixS: 1_700_000_000.25, progress: 0, message: "",
    data: Buffer.alloc(0), result: null, ...fields,
  };
}

describe("task ids", () => {
  it("are 26 hex characters, unique, increasing, and valid task ids", () => {
    const ids = Array.from({ length: 1000 }, () => newTaskId());
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[0-9a-f]{26}$/);
    assert.deepEqual([...ids].sort(), ids);
  });

  it("differ between generators (processes)", () => {
    const a = new TaskIdGenerator().next();
    const b = new TaskIdGenerator().next();
    assert.notEqual(a.slice(14), b.slice(14));
  });
});

describe("buildTask", () => {
  it("fills the envelope with msgpack kwargs and the defaults", () => {
    const task = buildTask("emails", { to: "a@example.com", n: 1 }, {}, NOW);
    assert.match(task.id, /^[0-9a-f]{26}$/);
    assert.equal(task.queue, "emails");
    assert.deepEqual(decode(task.kwargs as Uint8Array), { to: "a@example.com", n: 1 });
    assert.equal(task.serializer, "SERIALIZER_MSGPACK");
    assert.equal(task.compressor, "COMPRESSOR_NONE");
    assert.equal(task.priority, "PRIORITY_NORMAL");
    assert.equal(task.notBeforeUnixS, 0);
    assert.equal(task.maxAttempts, 0);
    assert.equal(task.timeoutS, 0);
    assert.equal(task.idempotencyKey, "");
    assert.equal(task.traceId, "");
  });

  it("maps every option", () => {
    const task = buildTask("q", {}, {
      id: "order-42:a.b_c-d", priority: "high", delayMs: 1500, maxAttempts: 1, timeoutMs: 2500,
      idempotencyKey: "key-1", traceId: "trace-9",
    }, NOW);
    assert.equal(task.id, "order-42:a.b_c-d");
    assert.equal(task.priority, "PRIORITY_HIGH");
    assert.equal(task.notBeforeUnixS, (NOW + 1500) / 1000);
    assert.equal(task.maxAttempts, 1);
    assert.equal(task.timeoutS, 2.5);
    assert.equal(task.idempotencyKey, "key-1");
    assert.equal(task.traceId, "trace-9");
    assert.equal(buildTask("q", {}, { priority: "normal" }).priority, "PRIORITY_NORMAL");
  });

  it("gives each task its own id", () => {
    assert.notEqual(buildTask("q", {}).id, buildTask("q", {}).id);
  });

  it("refuses bad options before sending anything", () => {
    const bad: unknown[] = [
      { id: "" }, { id: "has space" }, { id: "x".repeat(129) }, { id: "slash/no" },
      { priority: "urgent" }, { delayMs: -1 }, { delayMs: NaN }, { timeoutMs: -5 }, { timeoutMs: Infinity },
      { maxAttempts: -1 }, { maxAttempts: 1.5 }, { idempotencyKey: 5 }, { traceId: {} },
    ];
    for (const options of bad) {
      assert.throws(() => checkOptions(options as never), (e: unknown) => e instanceof RangeError || e instanceof TypeError,
        JSON.stringify(options));
    }
    assert.doesNotThrow(() => checkOptions({ id: "x".repeat(128), delayMs: 0, maxAttempts: 0 }));
    assert.throws(() => buildTask("", {}), TypeError);
    assert.throws(() => buildTask("q", [] as never), TypeError);
  });
});

describe("eventFromPb", () => {
  it("decodes a progress event's data", () => {
    const event = eventFromPb(pbEvent({
      kind: "EVENT_KIND_PROGRESS", progress: 0.5, message: "half", data: Buffer.from(encode({ step: 1 })),
    }));
    assert.equal(event.kind, "progress");
    assert.equal(event.terminal, false);
    assert.equal(event.progress, 0.5);
    assert.equal(event.message, "half");
    assert.deepEqual(event.data, { step: 1 });
    assert.equal(event.result, null);
    assert.equal(event.at.getTime(), 1_700_000_000_250);
    assert.equal(event.error, undefined);
  });

  it("decodes a terminal event's result or error", () => {
    const ok = eventFromPb(pbEvent({
      kind: "EVENT_KIND_SUCCEEDED",
      result: { state: "TASK_STATE_SUCCEEDED", result: Buffer.from(encode({ echo: 1 })), error: null, finishedAtUnixS: 1 },
    }));
    assert.equal(ok.kind, "succeeded");
    assert.equal(ok.terminal, true);
    assert.deepEqual(ok.result, { echo: 1 });
    assert.deepEqual(outcome(ok), { ok: true, value: { echo: 1 } });

    const dead = eventFromPb(pbEvent({
      kind: "EVENT_KIND_DEAD",
      result: { state: "TASK_STATE_DEAD", result: Buffer.alloc(0), finishedAtUnixS: 1,
        error: { type: "ValueError", message: "boom", traceback: "Traceback..." } },
    }));
    assert.equal(dead.terminal, true);
    assert.deepEqual(dead.error, { type: "ValueError", message: "boom", traceback: "Traceback..." });
    const failed = outcome(dead);
    assert.equal(failed.ok, false);
    const error = (failed as { error: TaskFailedError }).error;
    assert.ok(error instanceof TaskFailedError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "TaskFailedError");
    assert.equal(error.queue, "q");
    assert.equal(error.taskId, "t1");
    assert.equal(error.state, "dead");
    assert.equal(error.errorType, "ValueError");
    assert.equal(error.errorMessage, "boom");
    assert.equal(error.traceback, "Traceback...");
    assert.equal(error.message, "task t1 (queue q) dead: ValueError: boom");

    const cancelled = outcome(eventFromPb(pbEvent({ kind: "EVENT_KIND_CANCELLED" })));
    assert.equal(cancelled.ok, false);
    assert.equal((cancelled as { error: TaskFailedError }).error.state, "cancelled");
    assert.equal((cancelled as { error: TaskFailedError }).error.message, "task t1 (queue q) cancelled");
  });

  it("names every kind, and unknown for what it does not know", () => {
    const kinds = ["ACCEPTED", "STARTED", "PROGRESS", "RETRYING", "SUCCEEDED", "DEAD", "CANCELLED"];
    for (const k of kinds) assert.equal(eventFromPb(pbEvent({ kind: `EVENT_KIND_${k}` as never })).kind, k.toLowerCase());
    assert.equal(eventFromPb(pbEvent({ kind: 42 as never })).kind, "unknown");
  });
});

describe("statusFromPb and cancel outcomes", () => {
  it("decodes a queued task's kwargs and a finished one's result", () => {
    const queued: GetTaskResponse__Output = {
      state: "TASK_STATE_SCHEDULED", result: null,
      task: {
        id: "t", queue: "q", kwargs: Buffer.from(encode({ a: 1 })), serializer: "SERIALIZER_MSGPACK",
        compressor: "COMPRESSOR_NONE", priority: "PRIORITY_NORMAL", notBeforeUnixS: 5, attempt: 2, maxAttempts: 5,
        timeoutS: 0, idempotencyKey: "", traceId: "", createdAtUnixS: 1, wantResult: false,
      },
    };
    assert.deepEqual(statusFromPb("q", "t", queued), {
      queue: "q", taskId: "t", state: "scheduled", attempt: 2, result: null, kwargs: { a: 1 },
      options: {
        priority: "normal", notBefore: new Date(5000), maxAttempts: 5, timeoutMs: 0, idempotencyKey: "", traceId: "",
        createdAt: new Date(1000),
      },
    });
    const done: GetTaskResponse__Output = {
      state: "TASK_STATE_SUCCEEDED", task: null,
      result: { state: "TASK_STATE_SUCCEEDED", result: Buffer.from(encode([1, 2])), error: null, finishedAtUnixS: 2 },
    };
    assert.deepEqual(statusFromPb("q", "t", done), {
      queue: "q", taskId: "t", state: "succeeded", attempt: 0, result: [1, 2], finishedAt: new Date(2000),
    });
  });

  it("leaves pickled kwargs alone", () => {
    const pickled = statusFromPb("q", "t", {
      state: "TASK_STATE_PENDING", result: null,
      task: {
        id: "t", queue: "q", kwargs: Buffer.from([0x80, 0x05]), serializer: "SERIALIZER_PICKLE",
        compressor: "COMPRESSOR_NONE", priority: "PRIORITY_NORMAL", notBeforeUnixS: 0, attempt: 0, maxAttempts: 5,
        timeoutS: 0, idempotencyKey: "", traceId: "", createdAtUnixS: 1, wantResult: false,
      },
    });
    assert.equal(pickled.kwargs, undefined);
    assert.equal(pickled.state, "pending");
  });

  it("names cancel outcomes", () => {
    assert.equal(cancelOutcomeFromPb("CANCEL_OUTCOME_CANCELLED"), "cancelled");
    assert.equal(cancelOutcomeFromPb("CANCEL_OUTCOME_RUNNING"), "running");
    assert.equal(cancelOutcomeFromPb("CANCEL_OUTCOME_FINISHED"), "finished");
    assert.equal(cancelOutcomeFromPb("CANCEL_OUTCOME_UNSPECIFIED"), "unknown");
  });
});
