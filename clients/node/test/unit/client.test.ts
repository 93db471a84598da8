import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { decode as msgpackDecode } from "@msgpack/msgpack";
import { decode, encode } from "../../src/codec";
import { SergeantClient, SergeantError, Status, TaskFailedError, type TaskEvent } from "../../src/index";
import type { TaskEvent as PbEvent } from "../../src/generated/sergeant/v1/TaskEvent";
import type { Task__Output } from "../../src/generated/sergeant/v1/Task";
import { producerProto } from "../../src/stubs";
import { startFakeGateway, statusError, type FakeGateway } from "./fake-gateway";

const FAST_RETRY = { initialBackoffMs: 5, maxBackoffMs: 20 };

function event(kind: string, taskId: string, extra: Partial<PbEvent> = {}): PbEvent {
  return { queue: "q", taskId, kind: `EVENT_KIND_${kind}` as PbEvent["kind"], atUnixS: Date.now() / 1000, ...extra };
}

function succeeded(taskId: string, value: unknown): PbEvent {
  return event("SUCCEEDED", taskId, { result: { state: "TASK_STATE_SUCCEEDED", result: Buffer.from(encode(value)) } });
}

let gw: FakeGateway;
let client: SergeantClient;

before(async () => {
  gw = await startFakeGateway();
});

after(async () => {
  await gw.stop();
});

beforeEach(() => {
  for (const key of Object.keys(gw.handlers)) delete (gw.handlers as Record<string, unknown>)[key];
  client?.close();
  client = new SergeantClient(gw.address, { token: "s3cret", retry: FAST_RETRY });
});

describe("push", () => {
  it("sends the bearer token, a deadline and msgpack kwargs under client-made ids", async () => {
    let seen: { auth: unknown; deadline: number; tasks: Task__Output[] } | undefined;
    gw.handlers.Push = (call, callback) => {
      const deadline = call.getDeadline();
      seen = { auth: call.metadata.get("authorization"), deadline: deadline instanceof Date ? deadline.getTime() : Number(deadline), tasks: call.request.tasks };
      callback(null, { tasks: call.request.tasks.map((t) => ({ id: t.id, created: true })) });
    };
    const started = Date.now();
    const id = await client.push("q", { to: "alice", n: 2n ** 64n - 1n }, { priority: "high", delayMs: 10_000, traceId: "tr" });
    assert.ok(seen);
    assert.deepEqual(seen.auth, ["Bearer s3cret"]);
    assert.ok(seen.deadline > started + 25_000 && seen.deadline <= Date.now() + 30_000, `deadline ${seen.deadline}`);
    const [task] = seen.tasks;
    assert.ok(task);
    assert.equal(task.id, id);
    assert.equal(task.queue, "q");
    assert.equal(task.priority, "PRIORITY_HIGH");
    assert.equal(task.serializer, "SERIALIZER_MSGPACK");
    assert.equal(task.traceId, "tr");
    assert.ok(task.notBeforeUnixS >= started / 1000 + 10 && task.notBeforeUnixS <= Date.now() / 1000 + 10);
    assert.deepEqual(decode(task.kwargs), { to: "alice", n: 2n ** 64n - 1n });
  });

  it("sends no authorization without a token, and the per-call deadline", async () => {
    let auth: unknown;
    let deadline = 0;
    gw.handlers.Push = (call, callback) => {
      auth = call.metadata.get("authorization");
      deadline = new Date(call.getDeadline() as Date).getTime();
      callback(null, { tasks: [{ id: "x", created: true }] });
    };
    const anonymous = new SergeantClient(gw.address);
    try {
      await anonymous.push("q", {}, { deadlineMs: 1234 });
    } finally {
      anonymous.close();
    }
    assert.deepEqual(auth, []);
    assert.ok(deadline > Date.now() && deadline <= Date.now() + 1234);
  });

  it("pushMany sends one packed batch, ids in order, and returns the first id of each duplicate", async () => {
    let calls = 0;
    let sent: unknown[][] = [];
    gw.handlers.Push = (call, callback) => {
      calls += 1;
      sent = msgpackDecode(call.request.packed!.tasks) as unknown[][];
      // the second matched an earlier push: the gateway names it, with the first task's id
      callback(null, { count: sent.length, duplicates: [{ index: 1, id: "earlier" }] });
    };
    const ids = await client.pushMany("q", [{ i: 0 }, { i: 1 }, { i: 2 }], { maxAttempts: 3 });
    assert.equal(calls, 1);
    assert.equal(sent.length, 3);
    assert.equal(new Set(sent.map((t) => t[0])).size, 3);
    assert.deepEqual(sent[2], [ids[2], { i: 2 }, null, null, 3]);
    assert.deepEqual(ids, [sent[0]![0], "earlier", sent[2]![0]]);
    assert.deepEqual(await client.pushMany("q", []), []);
    await assert.rejects(client.pushMany("q", [{}, {}], { id: "one" }), RangeError);
    await assert.rejects(client.pushMany("q", [{}, {}], { ids: ["one"] }), RangeError);
    assert.equal(calls, 1);
  });

  it("pushMany splits a large batch, keeps 2-3 calls in flight, and passes ids and wantResults", async () => {
    let inFlight = 0;
    let most = 0;
    const batches: { size: number; wantResults: boolean }[] = [];
    gw.handlers.Push = (call, callback) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      const tasks = msgpackDecode(call.request.packed!.tasks) as unknown[][];
      batches.push({ size: tasks.length, wantResults: call.request.packed!.wantResults });
      setTimeout(() => { inFlight -= 1; callback(null, { count: tasks.length, duplicates: [] }); }, 20);
    };
    const ids = Array.from({ length: 2500 }, (_, i) => `mine-${i}`);
    const got = await client.pushMany("q", ids.map((_, n) => ({ n })), { ids, batchSize: 1000, wantResults: true });
    assert.deepEqual(got, ids);
    assert.deepEqual(batches.map((b) => b.size).sort(), [1000, 1000, 500]);
    assert.ok(batches.every((b) => b.wantResults));
    assert.ok(most >= 2 && most <= 3, `${most} calls in flight`);
  });

  it("retries UNAVAILABLE with the same task ids, so the store never holds a duplicate", async () => {
    const attempts: string[][] = [];
    gw.handlers.Push = (call, callback) => {
      const tasks = msgpackDecode(call.request.packed!.tasks) as string[][];
      attempts.push(tasks.map((t) => t[0]!));
      if (attempts.length < 3) callback(statusError(Status.UNAVAILABLE, "store unreachable"));
      else callback(null, { count: tasks.length, duplicates: [] });
    };
    const ids = await client.pushMany("q", [{ a: 1 }, { b: 2 }]);
    assert.equal(attempts.length, 3);
    assert.deepEqual(attempts[0], ids);
    assert.deepEqual(attempts[1], ids);
    assert.deepEqual(attempts[2], ids);
  });

  it("gives up after maxAttempts, and never retries other codes", async () => {
    let calls = 0;
    gw.handlers.Push = (_call, callback) => {
      calls += 1;
      callback(statusError(Status.UNAVAILABLE, "down"));
    };
    await assert.rejects(client.push("q", {}), (e: unknown) => e instanceof SergeantError && e.code === Status.UNAVAILABLE
      && e.codeName === "UNAVAILABLE" && e.details === "down" && e.message === "UNAVAILABLE: down");
    assert.equal(calls, 5);

    calls = 0;
    gw.handlers.Push = (_call, callback) => {
      calls += 1;
      callback(statusError(Status.PERMISSION_DENIED, "token may not produce to q"));
    };
    await assert.rejects(client.push("q", {}), (e: unknown) => e instanceof SergeantError
      && e.code === Status.PERMISSION_DENIED && e.details === "token may not produce to q");
    assert.equal(calls, 1);

    calls = 0;
    gw.handlers.Push = (_call, callback) => {
      calls += 1;
      callback(statusError(Status.UNAVAILABLE, "down"));
    };
    const noRetry = new SergeantClient(gw.address, { retry: false });
    await assert.rejects(noRetry.push("q", {}), SergeantError);
    noRetry.close();
    assert.equal(calls, 1);
  });

  it("reaches a gateway that comes up while it retries", async () => {
    const late = await startFakeGateway();
    const address = late.address;
    await late.stop();
    const patient = new SergeantClient(address, { retry: { maxAttempts: 20, initialBackoffMs: 50, maxBackoffMs: 100 } });
    let revived: FakeGateway | undefined;
    setTimeout(async () => {
      const server = new grpc.Server();
      server.addService(producerProto().sergeant.v1.Producer.service, {
        Push: (call: grpc.ServerUnaryCall<{ tasks: { id: string }[] }, unknown>, cb: grpc.sendUnaryData<unknown>) =>
          cb(null, { tasks: call.request.tasks.map((t) => ({ id: t.id, created: true })) }),
      });
      await new Promise<void>((resolve, reject) => server.bindAsync(address, grpc.ServerCredentials.createInsecure(),
        (err) => (err ? reject(err) : resolve())));
      revived = { address, server, handlers: {}, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
    }, 300);
    try {
      const id = await patient.push("q", { n: 1 });
      assert.match(id, /^[0-9a-f]{26}$/);
    } finally {
      patient.close();
      await revived?.stop();
    }
  });

  it("fails with DEADLINE_EXCEEDED past the deadline, and with the signal's reason when aborted", async () => {
    gw.handlers.Push = () => undefined; // never answers
    await assert.rejects(client.push("q", {}, { deadlineMs: 100 }),
      (e: unknown) => e instanceof SergeantError && e.code === Status.DEADLINE_EXCEEDED);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(client.push("q", {}, { signal: controller.signal }), { name: "AbortError" });
  });

  it("refuses bad kwargs and options without calling", async () => {
    let calls = 0;
    gw.handlers.Push = (_c, cb) => {
      calls += 1;
      cb(null, { tasks: [] });
    };
    await assert.rejects(client.push("q", [1, 2] as never), TypeError);
    await assert.rejects(client.push("q", {}, { priority: "urgent" as never }), RangeError);
    await assert.rejects(client.push("q", { f: () => 1 }), TypeError);
    assert.equal(calls, 0);
  });
});

describe("get and cancel", () => {
  it("decode the replies", async () => {
    gw.handlers.GetTask = (call, callback) => {
      assert.equal(call.request.queue, "q");
      callback(null, {
        state: "TASK_STATE_DEAD",
        result: { state: "TASK_STATE_DEAD", error: { type: "ValueError", message: "no", traceback: "tb" }, finishedAtUnixS: 3 },
      });
    };
    gw.handlers.Cancel = (call, callback) => callback(null, {
      outcome: call.request.taskId === "queued" ? "CANCEL_OUTCOME_CANCELLED" : "CANCEL_OUTCOME_RUNNING",
    });
    const status = await client.get("q", "t1");
    assert.equal(status.state, "dead");
    assert.deepEqual(status.error, { type: "ValueError", message: "no", traceback: "tb" });
    assert.deepEqual(status.finishedAt, new Date(3000));
    assert.equal(await client.cancel("q", "queued"), "cancelled");
    assert.equal(await client.cancel("q", "busy"), "running");
  });

  it("surface NOT_FOUND as a SergeantError", async () => {
    gw.handlers.GetTask = (_call, callback) => callback(statusError(Status.NOT_FOUND, "no such task"));
    await assert.rejects(client.get("q", "nope"), (e: unknown) => e instanceof SergeantError && e.code === Status.NOT_FOUND);
  });
});

describe("submit", () => {
  it("streams events, calls onProgress, resolves to the result", async () => {
    let progressAsked: boolean | undefined;
    let auth: unknown;
    gw.handlers.Submit = (call) => {
      progressAsked = call.request.progress;
      auth = call.metadata.get("authorization");
      const id = call.request.task?.id as string;
      call.write(event("ACCEPTED", id));
      call.write(event("STARTED", id));
      call.write(event("PROGRESS", id, { progress: 0.5, message: "half", data: Buffer.from(encode({ step: 1 })) }));
      call.write(event("PROGRESS", id, { progress: 1, message: "all" }));
      call.write(succeeded(id, { echo: { a: 1 }, keys: 1 }));
      call.end();
    };
    const progress: TaskEvent[] = [];
    const emitted: string[] = [];
    const submission = client.submit("q", { a: 1 }, { onProgress: (e) => progress.push(e) });
    submission.on("event", (e) => emitted.push(e.kind));
    assert.match(submission.id, /^[0-9a-f]{26}$/);
    assert.equal(submission.queue, "q");
    assert.deepEqual(await submission.result, { echo: { a: 1 }, keys: 1 });
    assert.equal(submission.done, true);
    assert.equal(progressAsked, true);
    assert.deepEqual(auth, ["Bearer s3cret"]);
    assert.deepEqual(progress.map((e) => [e.progress, e.message, e.data]), [[0.5, "half", { step: 1 }], [1, "all", null]]);
    assert.deepEqual(emitted, ["accepted", "started", "progress", "progress", "succeeded"]);
    const kinds: string[] = [];
    for await (const e of submission) kinds.push(e.kind);
    assert.deepEqual(kinds, emitted);
    assert.deepEqual(submission.events.map((e) => e.taskId), Array(5).fill(submission.id));
  });

  it("asks for no progress unless wanted, and iterates live", async () => {
    let progressAsked: boolean | undefined;
    gw.handlers.Submit = (call) => {
      progressAsked = call.request.progress;
      const id = call.request.task?.id as string;
      call.write(event("ACCEPTED", id));
      setTimeout(() => {
        call.write(succeeded(id, null));
        call.end();
      }, 50);
    };
    const submission = client.submit("q", {});
    const kinds: string[] = [];
    for await (const e of submission) kinds.push(e.kind);
    assert.deepEqual(kinds, ["accepted", "succeeded"]);
    assert.equal(await submission.result, null);
    assert.equal(progressAsked, false);
  });

  it("rejects with TaskFailedError for a dead task; its events still iterate", async () => {
    gw.handlers.Submit = (call) => {
      const id = call.request.task?.id as string;
      call.write(event("ACCEPTED", id));
      call.write(event("DEAD", id, {
        result: { state: "TASK_STATE_DEAD", error: { type: "ValueError", message: "bad input", traceback: "Traceback" } },
      }));
      call.end();
    };
    const submission = client.submit("q", { fail: "bad input" }, { maxAttempts: 1 });
    await assert.rejects(submission.result, (e: unknown) => e instanceof TaskFailedError && e.state === "dead"
      && e.errorType === "ValueError" && e.errorMessage === "bad input" && e.taskId === submission.id && e.queue === "q");
    const kinds: string[] = [];
    for await (const e of submission) kinds.push(e.kind);
    assert.deepEqual(kinds, ["accepted", "dead"]);
  });

  it("re-submits the same id when UNAVAILABLE comes before ACCEPTED", async () => {
    const ids: string[] = [];
    gw.handlers.Submit = (call) => {
      const id = call.request.task?.id as string;
      ids.push(id);
      if (ids.length === 1) {
        call.emit("error", statusError(Status.UNAVAILABLE, "store unreachable"));
        return;
      }
      call.write(event("ACCEPTED", id));
      call.write(succeeded(id, 7));
      call.end();
    };
    const submission = client.submit("q", {});
    assert.equal(await submission.result, 7);
    assert.deepEqual(ids, [submission.id, submission.id]);
  });

  it("resumes by watching its id when the stream breaks after ACCEPTED", async () => {
    let watched: { taskIds: string[]; progress: boolean } | undefined;
    gw.handlers.Submit = (call) => {
      call.write(event("ACCEPTED", call.request.task?.id as string));
      setTimeout(() => call.emit("error", statusError(Status.UNAVAILABLE, "gateway restarting")), 20);
    };
    gw.handlers.Watch = (call) => {
      watched = { taskIds: call.request.taskIds, progress: call.request.progress };
      const id = call.request.taskIds[0] as string;
      call.write(event("STARTED", id));
      call.write(succeeded(id, "done"));
      call.end();
    };
    const submission = client.submit("q", {}, { progress: true });
    assert.equal(await submission.result, "done");
    assert.deepEqual(watched, { taskIds: [submission.id], progress: true });
    assert.deepEqual(submission.events.map((e) => e.kind), ["accepted", "started", "succeeded"]);
  });

  it("surfaces other stream errors as SergeantError, to the result and the iterator", async () => {
    gw.handlers.Submit = (call) => call.emit("error", statusError(Status.UNAUTHENTICATED, "missing bearer token"));
    const submission = client.submit("q", {});
    await assert.rejects(submission.result, (e: unknown) => e instanceof SergeantError && e.code === Status.UNAUTHENTICATED);
    await assert.rejects(async () => {
      for await (const _ of submission) void _;
    }, SergeantError);
  });

  it("stops waiting at its deadline, or when its signal aborts", async () => {
    gw.handlers.Submit = (call) => call.write(event("ACCEPTED", call.request.task?.id as string));
    const slow = client.submit("q", {}, { deadlineMs: 150 });
    await assert.rejects(slow.result, (e: unknown) => e instanceof SergeantError && e.code === Status.DEADLINE_EXCEEDED);
    const controller = new AbortController();
    const aborted = client.submit("q", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(aborted.result, { name: "AbortError" });
  });

  it("cancel() cancels the task by queue and id", async () => {
    let cancelled: unknown;
    gw.handlers.Submit = (call) => {
      const id = call.request.task?.id as string;
      call.write(event("ACCEPTED", id));
      gw.handlers.Cancel = (c, cb) => {
        cancelled = c.request;
        cb(null, { outcome: "CANCEL_OUTCOME_CANCELLED" });
        call.write(event("CANCELLED", id, { result: { state: "TASK_STATE_CANCELLED" } }));
        call.end();
      };
    };
    const submission = client.submit("q", { sleep_s: 60 });
    await new Promise((resolve) => submission.once("event", resolve));
    assert.equal(await submission.cancel(), "cancelled");
    assert.deepEqual(cancelled, { queue: "q", taskId: submission.id });
    await assert.rejects(submission.result, (e: unknown) => e instanceof TaskFailedError && e.state === "cancelled");
  });

  it("never leaves an unhandled rejection when nobody awaits the result", async () => {
    gw.handlers.Submit = (call) => call.emit("error", statusError(Status.INTERNAL, "boom"));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", onUnhandled);
    const submission = client.submit("q", {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off("unhandledRejection", onUnhandled);
    assert.equal(submission.done, true);
    assert.deepEqual(unhandled, []);
  });
});

describe("watch", () => {
  it("yields events until every id is terminal, resuming the unfinished ids after UNAVAILABLE", async () => {
    const requests: string[][] = [];
    gw.handlers.Watch = (call) => {
      requests.push([...call.request.taskIds]);
      if (requests.length === 1) {
        call.write(event("STARTED", "a"));
        call.write(succeeded("a", 1));
        call.emit("error", statusError(Status.UNAVAILABLE, "blip"));
        return;
      }
      call.write(event("DEAD", "b", { result: { state: "TASK_STATE_DEAD", error: { type: "E", message: "m" } } }));
      call.end();
    };
    const seen: string[] = [];
    for await (const e of client.watch("q", ["a", "b"])) seen.push(`${e.taskId}:${e.kind}`);
    assert.deepEqual(seen, ["a:started", "a:succeeded", "b:dead"]);
    assert.deepEqual(requests, [["a", "b"], ["b"]]);
  });

  it("ends early when the consumer breaks, and throws SergeantError on failure", async () => {
    let cancelled = false;
    gw.handlers.Watch = (call) => {
      call.on("cancelled", () => {
        cancelled = true;
      });
      call.write(event("PROGRESS", "a", { progress: 0.1 }));
    };
    for await (const e of client.watch("q", [], { progress: true })) {
      assert.equal(e.kind, "progress");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(cancelled, true);

    gw.handlers.Watch = (call) => call.emit("error", statusError(Status.PERMISSION_DENIED, "no"));
    await assert.rejects(async () => {
      for await (const _ of client.watch("q", ["a"])) void _;
    }, (e: unknown) => e instanceof SergeantError && e.code === Status.PERMISSION_DENIED);
  });
});

describe("tls", () => {
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sergeant-node-tls-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("talks to a TLS gateway when trusting its certificate, and not in plaintext", async (t) => {
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"),
        "-out", path.join(dir, "cert.pem"), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore", timeout: 60_000 });
    } catch {
      t.skip("openssl is not available");
      return;
    }
    const cert = fs.readFileSync(path.join(dir, "cert.pem"));
    const key = fs.readFileSync(path.join(dir, "key.pem"));
    const secure = await startFakeGateway(grpc.ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: key }]));
    secure.handlers.Push = (call, cb) => cb(null, { tasks: call.request.tasks.map((x) => ({ id: x.id, created: true })) });
    const local = secure.address.replace("127.0.0.1", "localhost"); // a name, as certificates usually carry
    const tlsClient = new SergeantClient(local, { tls: { ca: cert }, token: "t" });
    const plain = new SergeantClient(secure.address, { retry: false, deadlineMs: 2000 });
    try {
      assert.match(await tlsClient.push("q", {}), /^[0-9a-f]{26}$/);
      await assert.rejects(plain.push("q", {}), (e: unknown) => e instanceof SergeantError && e.code === Status.UNAVAILABLE);
    } finally {
      tlsClient.close();
      plain.close();
      await secure.stop();
    }
  });
});
