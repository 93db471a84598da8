import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

// The package's root (build/test/unit -> clients/node); dist/ is `npm run build`'s output, as the package ships it.
const root = path.resolve(__dirname, "..", "..", "..");

describe("the ES module entry point", () => {
  it("exports every name of the CommonJS build, the very same objects", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cjs = require(path.join(root, "dist", "index.js")) as Record<string, unknown>;
    const esm = (await import(pathToFileURL(path.join(root, "esm", "index.mjs")).href)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(esm).sort(), Object.keys(cjs).filter((k) => k !== "__esModule").sort());
    for (const name of Object.keys(esm)) assert.equal(esm[name], cjs[name], name);
  });
});
