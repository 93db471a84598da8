/** A live gateway for the end-to-end tests: SERGEANT_GATEWAY when set, else `python tests/crosslang/backend.py`. */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";

/** The repository's root (clients/node/build/test/e2e -> ../../../../..). */
export const REPO_ROOT = findRepoRoot(__dirname);
export const PYTHON = process.env.SERGEANT_PYTHON ?? "python";

function findRepoRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, "tests", "crosslang", "backend.py"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`tests/crosslang/backend.py not found above ${start}`);
}

export interface Backend {
  address: string;
  stop(): Promise<void>;
}

/** Tokens for an auth-enabled backend: a producer limited to `echo`, and the workers' own token. */
export const TOKENS = {
  "producer-token": { name: "node-e2e", roles: ["produce"], queues: ["echo"] },
  "worker-token": { name: "workers", roles: ["consume"], queues: ["*"] },
};

/**
 * Start backend.py (optionally with a tokens file, or with `down`: a gateway whose store of that kind has
 * stopped) and wait for its READY line.
 */
export async function startBackend(
  options: { tokens?: object; down?: "redis" | "mongodb"; timeoutMs?: number } = {},
): Promise<Backend> {
  const args = ["tests/crosslang/backend.py"];
  if (options.down) args.push("--down", options.down);
  let dir: string | undefined;
  if (options.tokens) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sergeant-node-e2e-"));
    const file = path.join(dir, "tokens.json");
    fs.writeFileSync(file, JSON.stringify(options.tokens));
    args.push("--tokens-file", file);
  }
  const child = spawn(PYTHON, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const cleanup = (): void => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  let address: string;
  try {
    address = await readyAddress(child, options.timeoutMs ?? 90_000);
  } catch (err) {
    child.kill("SIGKILL");
    cleanup();
    throw err;
  }
  return {
    address,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    },
  };
}

function readyAddress(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`backend.py printed no READY line in ${timeoutMs} ms`)), timeoutMs);
    lines.on("line", (line) => {
      const match = /^READY (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`backend.py exited (${String(code)}) before it was ready`));
    });
  });
}

/** The gateway of the main e2e suite: SERGEANT_GATEWAY, or a backend.py of its own. */
export async function gatewayUnderTest(): Promise<Backend> {
  const given = process.env.SERGEANT_GATEWAY;
  if (given) return { address: given, stop: async () => undefined };
  return startBackend();
}
