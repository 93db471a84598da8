import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decode as msgpackDecode } from "@msgpack/msgpack";
import { buildTask } from "../../src/requests";
import { idsFromPacked, packTasks } from "../../src/packed";
import { SergeantError } from "../../src/errors";

describe("the packed batch (PackedTasks v1)", () => {
  it("is an array of [id, kwargs map, ...options], each cut after its last field that is set", () => {
    const now = 1_700_000_000_000;
    const plain = buildTask("q", { big: 2n ** 64n - 1n, b: Uint8Array.of(0, 255) }, {}, now);
    const full = buildTask("q", {}, { priority: "high", delayMs: 60_500, timeoutMs: 2_500, idempotencyKey: "k", traceId: "t" }, now);
    const keyOnly = buildTask("q", { s: "a\u0000😀" }, { idempotencyKey: "k2" }, now);
    const packed = packTasks([plain, full, keyOnly]);
    const rows = msgpackDecode(Uint8Array.from(packed), { useBigInt64: true }) as unknown[][];
    assert.deepEqual(rows, [
      [plain.id, { big: 2n ** 64n - 1n, b: Uint8Array.of(0, 255) }],
      [full.id, {}, 2, 1_700_000_060.5, null, 2.5, "k", "t"],
      [keyOnly.id, { s: "a\u0000😀" }, null, null, null, null, "k2"],
    ]);
    // kwargs are the map itself (fixmap 0x8N), the bytes buildTask encoded, not wrapped in bin
    const kwargs = plain.kwargs as Uint8Array;
    assert.equal(kwargs[0]! & 0xf0, 0x80);
    assert.ok(Buffer.from(packed).includes(Buffer.from(kwargs)));
  });

  it("answers ids in order, each duplicate replaced by the first task's id", () => {
    const sent = [{ id: "a" }, { id: "b" }, { id: "c" }];
    assert.deepEqual(idsFromPacked(sent, { tasks: [], count: 3, duplicates: [{ index: 2, id: "first" }] }), ["a", "b", "first"]);
    assert.throws(() => idsFromPacked(sent, { tasks: [], count: 2, duplicates: [] }), SergeantError);
    assert.throws(() => idsFromPacked(sent, { tasks: [], count: 3, duplicates: [{ index: 3, id: "x" }] }), SergeantError);
  });
});
