import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decode, encode, encodeKwargs, EncodingError } from "../../src/codec";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

// Bytes written by the Python side (sergeant.encoder.encode, msgpack serializer) for the same values.
const PY_TIMESTAMP = "81a174d7ffa1a5d60065937d25"; // {"t": datetime(2024,1,2,3,4,5,678000, UTC)}
const PY_EXTS = "83a57475706c65d6019201a161a3736574d5029103a26673d5039104"; // {"tuple": (1,"a"), "set": {3}, "fs": frozenset([4])}
const PY_INTS = "81a4696e747396cf0000000100000000d3ffffffff7fffffffcf0020000000000000cf7fffffffffffffffd38000000000000000cfffffffffffffffff";
const PY_SCALARS = "85a166cb3ff8000000000000a162c40200ffa173ab68c3a96c6c6f20f09f8e89a16ec0a26f6bc3";

describe("encode", () => {
  it("writes integers in their smallest format, 64-bit ones as int 64 / uint 64 (never float)", () => {
    assert.equal(hex(encode(0)), "00");
    assert.equal(hex(encode(-1)), "ff");
    assert.equal(hex(encode(0xffffffff)), "ceffffffff");
    assert.equal(hex(encode(2 ** 32)), "cf0000000100000000");
    assert.equal(hex(encode(-(2 ** 31))), "d280000000");
    assert.equal(hex(encode(-(2 ** 31) - 1)), "d3ffffffff7fffffff");
    assert.equal(hex(encode(Number.MAX_SAFE_INTEGER)), "cf001fffffffffffff");
    assert.equal(hex(encode(Number.MIN_SAFE_INTEGER)), "d3ffe0000000000001");
  });

  it("writes bigints at the 64-bit edges and refuses wider ones", () => {
    assert.equal(hex(encode(2n ** 63n - 1n)), "cf7fffffffffffffff");
    assert.equal(hex(encode(-(2n ** 63n))), "d38000000000000000");
    assert.equal(hex(encode(2n ** 64n - 1n)), "cfffffffffffffffff");
    assert.throws(() => encode(2n ** 64n), EncodingError);
    assert.throws(() => encode(-(2n ** 63n) - 1n), EncodingError);
  });

  it("matches the Python encoder byte for byte", () => {
    assert.equal(hex(encode({ ints: [2 ** 32, -(2 ** 31) - 1, 2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n] })), PY_INTS);
    assert.equal(hex(encode({ f: 1.5, b: Buffer.from([0, 255]), s: "héllo 🎉", n: null, ok: true })), PY_SCALARS);
    assert.equal(hex(encode({ t: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) })), PY_TIMESTAMP);
  });

  it("writes fractional and unsafe numbers as float 64", () => {
    assert.equal(hex(encode(0.5)), "cb3fe0000000000000");
    assert.equal(hex(encode(2 ** 64)), "cb43f0000000000000");
  });

  it("writes a Map with its keys' own types, a Set as ext 2, undefined as nil", () => {
    assert.equal(hex(encode(new Map<unknown, unknown>([[1, "a"], ["k", true]]))), "8201a161a16bc3");
    assert.equal(hex(encode(new Set([3]))), "d5029103");
    assert.equal(hex(encode({ u: undefined })), "81a175c0");
    assert.equal(hex(encode(new Set([new Set([1])]))), "c7050291d5029101");
  });

  it("refuses functions and symbols", () => {
    assert.throws(() => encode({ f: () => 1 }), EncodingError);
    assert.throws(() => encode({ s: Symbol("x") }), EncodingError);
  });
});

describe("decode", () => {
  it("reads Python's ints: numbers while exact, bigint beyond", () => {
    assert.deepEqual(decode(bytes(PY_INTS)), {
      ints: [2 ** 32, -(2 ** 31) - 1, 2n ** 53n /* 2**53 is past Number.MAX_SAFE_INTEGER */, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n],
    });
    assert.equal(decode(bytes("cf001fffffffffffff")), Number.MAX_SAFE_INTEGER);
    assert.equal(decode(bytes("d3ffe0000000000001")), Number.MIN_SAFE_INTEGER);
    assert.equal(decode(bytes("cf0000010000000000")), 2 ** 40);
  });

  it("reads Python's tuple as an Array, set and frozenset as Sets, Timestamp as Date", () => {
    assert.deepEqual(decode(bytes(PY_EXTS)), { tuple: [1, "a"], set: new Set([3]), fs: new Set([4]) });
    assert.deepEqual(decode(bytes(PY_TIMESTAMP)), { t: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) });
  });

  it("reads scalars: floats, bin as Uint8Array, UTF-8, nil, bool", () => {
    const value = decode(bytes(PY_SCALARS)) as Record<string, unknown>;
    assert.equal(value.f, 1.5);
    assert.equal(Object.getPrototypeOf(value.b), Uint8Array.prototype);
    assert.equal(Object.getPrototypeOf((decode(Buffer.from(PY_SCALARS, "hex")) as { b: unknown }).b), Uint8Array.prototype,
      "bin from a Buffer (as gRPC hands it over) is a plain Uint8Array too");
    assert.deepEqual([...(value.b as Uint8Array)], [0, 255]);
    assert.equal(value.s, "héllo 🎉");
    assert.equal(value.n, null);
    assert.equal(value.ok, true);
  });

  it("turns integer map keys into property names and refuses bytes keys", () => {
    assert.deepEqual(decode(bytes("8201a161a16bc3")), { 1: "a", k: true });
    assert.throws(() => decode(bytes("81c40161c0")), EncodingError);
  });

  it("raises EncodingError for bytes that are not msgpack", () => {
    assert.throws(() => decode(bytes("c1")), EncodingError);
    assert.throws(() => decode(bytes("92")), EncodingError);
  });

  it("round-trips every type it writes", () => {
    const value = {
      nested: { list: [1, [2, { deep: "x" }]], empty: {}, none: [] },
      n: [0, -1, 127, 128, -32, -33, 255, 256, 65535, 65536, 2 ** 32, -(2 ** 53 - 1)],
      edges: [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n],
      f: [3.14159, -0.5, 1e300, 5e-324, Infinity, -Infinity],
      bin: new Uint8Array([0, 1, 2, 253, 254, 255]),
      s: ["", "ascii", "ünïcødé", "中文", "🎉👩‍👩‍👧"],
      nil: null,
      yes: true,
      no: false,
      when: new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 1)),
      later: new Date(Date.UTC(2300, 0, 1)),
      set: new Set(["a", 1]),
    };
    assert.deepEqual(decode(encode(value)), value);
    assert.ok(Number.isNaN(decode(encode(NaN))));
  });
});

describe("encodeKwargs", () => {
  it("takes plain objects and Maps only", () => {
    assert.equal(hex(encodeKwargs({})), "80");
    assert.equal(hex(encodeKwargs(new Map([["a", 1]]))), "81a16101");
    for (const bad of [null, undefined, 1, "s", [], new Uint8Array(1), new Date(0), new Set()]) {
      assert.throws(() => encodeKwargs(bad), EncodingError, `kwargs ${String(bad)}`);
    }
  });
});
