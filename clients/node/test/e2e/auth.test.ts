/**
 * Auth and TLS against real gateways started here: backend.py with a tokens file (its workers use
 * "worker-token"), and `sergeant serve --tls-cert/--tls-key` over a SQLite store.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { SergeantClient, SergeantError, Status } from "../../src/index";
import { REPO_ROOT, startBackend, TOKENS, type Backend } from "./backend";

const T = { timeout: 60_000 };

describe("auth", () => {
  let backend: Backend;

  before(async () => {
    backend = await startBackend({ tokens: TOKENS });
  }, { timeout: 120_000 });

  after(async () => {
    await backend?.stop();
  });

  it("without a token: UNAUTHENTICATED", T, async () => {
    const anonymous = new SergeantClient(backend.address);
    try {
      await assert.rejects(anonymous.push("echo", { n: 1 }),
        (e: unknown) => e instanceof SergeantError && e.code === Status.UNAUTHENTICATED && e.codeName === "UNAUTHENTICATED");
      await assert.rejects(anonymous.submit("echo", { n: 1 }).result,
        (e: unknown) => e instanceof SergeantError && e.code === Status.UNAUTHENTICATED);
    } finally {
      anonymous.close();
    }
  });

  it("with an unknown token: UNAUTHENTICATED", T, async () => {
    const stranger = new SergeantClient(backend.address, { token: "not-a-token" });
    try {
      await assert.rejects(stranger.get("echo", "x"),
        (e: unknown) => e instanceof SergeantError && e.code === Status.UNAUTHENTICATED);
    } finally {
      stranger.close();
    }
  });

  it("a produce token for another queue: PERMISSION_DENIED", T, async () => {
    const producer = new SergeantClient(backend.address, { token: "producer-token" });
    try {
      await assert.rejects(producer.push("other", { n: 1 }),
        (e: unknown) => e instanceof SergeantError && e.code === Status.PERMISSION_DENIED);
      await assert.rejects(producer.pushMany("other", [{ n: 1 }, { n: 2 }]),
        (e: unknown) => e instanceof SergeantError && e.code === Status.PERMISSION_DENIED);
      await assert.rejects(async () => {
        for await (const _ of producer.watch("other", ["x"])) void _;
      }, (e: unknown) => e instanceof SergeantError && e.code === Status.PERMISSION_DENIED);
    } finally {
      producer.close();
    }
  });

  it("the worker token may not produce: PERMISSION_DENIED", T, async () => {
    const worker = new SergeantClient(backend.address, { token: "worker-token" });
    try {
      await assert.rejects(worker.push("echo", { n: 1 }),
        (e: unknown) => e instanceof SergeantError && e.code === Status.PERMISSION_DENIED);
    } finally {
      worker.close();
    }
  });

  it("the produce token works on its own queue, end to end", T, async () => {
    const producer = new SergeantClient(backend.address, { token: "producer-token" });
    try {
      assert.deepEqual(await producer.submit("echo", { hello: "wörld" }).result, { echo: { hello: "wörld" }, keys: 1 });
    } finally {
      producer.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("tls", () => {
  let dir = "";
  let gateway: ChildProcess | undefined;
  let address = "";
  let cert: Buffer;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sergeant-node-tls-"));
    const certFile = path.join(dir, "cert.pem");
    const keyFile = path.join(dir, "key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile,
      "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
    { stdio: "ignore", timeout: 60_000 });
    cert = fs.readFileSync(certFile);
    const port = await freePort();
    address = `localhost:${port}`;
    gateway = spawn("sergeant", ["serve", "--listen", `127.0.0.1:${port}`, "--store", `sqlite:///${dir}/tasks.db`,
      "--tls-cert", certFile, "--tls-key", keyFile], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }, { timeout: 120_000 });

  after(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway?.once("exit", resolve));
      gateway.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("pushes over TLS trusting the gateway's certificate; plaintext fails UNAVAILABLE", T, async () => {
    // the gateway is starting: retries of UNAVAILABLE wait for it
    const secure = new SergeantClient(address, { tls: { ca: cert }, retry: { maxAttempts: 60, maxBackoffMs: 500 } });
    const plaintext = new SergeantClient(address, { retry: false, deadlineMs: 5_000 });
    try {
      const id = await secure.push("secure", { n: 1 });
      const status = await secure.get("secure", id);
      assert.equal(status.state, "pending");
      assert.deepEqual(status.kwargs, { n: 1 });
      await assert.rejects(plaintext.push("secure", { n: 2 }),
        (e: unknown) => e instanceof SergeantError && e.code === Status.UNAVAILABLE);
    } finally {
      secure.close();
      plaintext.close();
    }
  });
});
