/**
 * msgpack for task kwargs, results and progress data, with @msgpack/msgpack.
 *
 * JavaScript                         msgpack                       Python (sergeant.encoder)
 * ---------------------------------  ----------------------------  -------------------------------
 * null, undefined                    nil                           None
 * boolean                            bool                          bool
 * number (safe integer)              int (smallest format; int 64  int
 *                                    / uint 64 past 32 bits)
 * number (fractional, or unsafe)     float 64                      float
 * bigint (-2^63 .. 2^64-1)           int 64 / uint 64              int
 * string                             str (UTF-8)                   str
 * Uint8Array, Buffer (any view)      bin                           bytes
 * Array                              array                         list
 * plain object                       map with string keys          dict
 * Map                                map with any keys             dict
 * Date                               ext -1 (Timestamp)            aware datetime (UTC)
 * Set                                ext 2 (an array payload)      set
 *
 * Decoding gives the same types back, with these choices: integers that fit a JS number exactly
 * decode to numbers and wider ones (beyond +-(2^53-1)) to bigint; bin decodes to Uint8Array; maps
 * decode to plain objects (integer keys become property names); ext 1 (tuple) decodes to an
 * Array and ext 2/3 (set/frozenset) to a Set. A number with an integral value is always sent as
 * an int (JS cannot tell 2.0 from 2), and a Date carries millisecond precision.
 */
import { Decoder, Encoder, ExtensionCodec, ExtData } from "@msgpack/msgpack";

export const EXT_TUPLE = 1;
export const EXT_SET = 2;
export const EXT_FROZENSET = 3;

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);

/** A value that msgpack cannot carry (or bytes that are not valid msgpack). */
export class EncodingError extends TypeError {
  override name = "EncodingError";
}

// @msgpack/msgpack gets three things wrong for this protocol, so a subclass adjusts them:
// with useBigInt64 it sends safe integers past 32 bits as floats (Python would see 2**40 as
// 1099511627776.0), it wraps bigints outside 64 bits silently, and it sends a Map as {}. Its
// decoder turns every int 64 into a bigint, even 2**40; ours keeps those that fit a number.
interface EncoderInternals {
  encodeNumber(this: EncoderInternals, n: number): void;
  encodeBigInt64(this: EncoderInternals, n: bigint): void;
  encodeObject(this: EncoderInternals, object: unknown, depth: number): void;
  doEncode(object: unknown, depth: number): void;
  writeU8(v: number): void;
  writeU16(v: number): void;
  writeU32(v: number): void;
  writeU64(v: number): void;
  writeI64(v: number): void;
}
interface DecoderInternals {
  readU64AsBigInt(this: DecoderInternals): bigint;
  readI64AsBigInt(this: DecoderInternals): bigint;
}

class SergeantEncoder extends Encoder<undefined> {}
class SergeantDecoder extends Decoder<undefined> {}

function internals<T>(proto: object, names: string[], what: string): T {
  for (const name of names) {
    if (typeof (proto as Record<string, unknown>)[name] !== "function") {
      throw new Error(`@sergeant-queue/client: this @msgpack/msgpack ${what} lacks ${name}(); use @msgpack/msgpack 3.1.x`);
    }
  }
  return proto as T;
}

const baseEncoder = internals<EncoderInternals>(Encoder.prototype, [
  "encodeNumber", "encodeBigInt64", "encodeObject", "doEncode", "writeU8", "writeU16", "writeU32", "writeU64", "writeI64",
], "Encoder");
const baseDecoder = internals<DecoderInternals>(Decoder.prototype, ["readU64AsBigInt", "readI64AsBigInt"], "Decoder");
const encoderProto = SergeantEncoder.prototype as unknown as EncoderInternals;
const decoderProto = SergeantDecoder.prototype as unknown as DecoderInternals;

encoderProto.encodeNumber = function (n: number): void {
  if (Number.isSafeInteger(n) && (n > 0xffffffff || n < -0x80000000)) {
    if (n >= 0) {
      this.writeU8(0xcf);
      this.writeU64(n);
    } else {
      this.writeU8(0xd3);
      this.writeI64(n);
    }
    return;
  }
  baseEncoder.encodeNumber.call(this, n);
};

encoderProto.encodeBigInt64 = function (n: bigint): void {
  if (n > UINT64_MAX || n < INT64_MIN) {
    throw new EncodingError(`${n} does not fit msgpack's 64-bit integers (-2^63 .. 2^64-1)`);
  }
  baseEncoder.encodeBigInt64.call(this, n);
};

encoderProto.encodeObject = function (object: unknown, depth: number): void {
  if (object instanceof Map) {
    const size = object.size;
    if (size < 16) {
      this.writeU8(0x80 + size);
    } else if (size < 0x10000) {
      this.writeU8(0xde);
      this.writeU16(size);
    } else {
      this.writeU8(0xdf);
      this.writeU32(size);
    }
    for (const [key, value] of object) {
      this.doEncode(key, depth + 1);
      this.doEncode(value, depth + 1);
    }
    return;
  }
  if (typeof object === "function" || typeof object === "symbol") {
    throw new EncodingError(`a ${typeof object} cannot be encoded as msgpack`);
  }
  baseEncoder.encodeObject.call(this, object, depth);
};

decoderProto.readU64AsBigInt = function (): bigint | number {
  const value = baseDecoder.readU64AsBigInt.call(this);
  return value <= SAFE_MAX ? Number(value) : value;
} as DecoderInternals["readU64AsBigInt"];

decoderProto.readI64AsBigInt = function (): bigint | number {
  const value = baseDecoder.readI64AsBigInt.call(this);
  return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
} as DecoderInternals["readI64AsBigInt"];

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: EXT_SET,
  encode: (input: unknown) => (input instanceof Set ? encode([...input]) : null),
  decode: (data: Uint8Array) => new Set(decodeArray(data, "set")),
});
extensionCodec.register({
  type: EXT_TUPLE,
  encode: () => null, // JS has no tuples; arrays go out as msgpack arrays
  decode: (data: Uint8Array) => decodeArray(data, "tuple"),
});
extensionCodec.register({
  type: EXT_FROZENSET,
  encode: () => null,
  decode: (data: Uint8Array) => new Set(decodeArray(data, "frozenset")),
});

function decodeArray(data: Uint8Array, what: string): unknown[] {
  const value = newDecoder().decode(data);
  if (!Array.isArray(value)) throw new EncodingError(`a msgpack ${what} extension must hold an array`);
  return value;
}

function mapKeyConverter(key: unknown): string | number {
  if (typeof key === "string" || typeof key === "number") return key;
  if (typeof key === "bigint" || typeof key === "boolean" || key === null) return String(key);
  throw new EncodingError(`a map key of type ${key instanceof Uint8Array ? "bytes" : typeof key} cannot be an object property`);
}

function newEncoder(): SergeantEncoder {
  return new SergeantEncoder({ extensionCodec, useBigInt64: true });
}

function newDecoder(): SergeantDecoder {
  return new SergeantDecoder({ extensionCodec, useBigInt64: true, mapKeyConverter });
}

// One encoder and decoder serve every call (both are synchronous); nested calls (a Set inside a
// Set) get fresh instances.
const sharedEncoder = newEncoder();
const sharedDecoder = newDecoder();
let encoding = false;
let decoding = false;

/** msgpack bytes of a value (see the table above). Throws EncodingError for what msgpack cannot carry. */
export function encode(value: unknown): Uint8Array {
  const encoder = encoding ? newEncoder() : sharedEncoder;
  const outer = !encoding;
  encoding = true;
  try {
    return encoder.encode(value);
  } catch (err) {
    throw err instanceof EncodingError ? err : new EncodingError(`cannot encode as msgpack: ${(err as Error).message}`);
  } finally {
    if (outer) encoding = false;
  }
}

/** The value of msgpack bytes. Throws EncodingError for bytes that are not one msgpack value. */
export function decode(bytes: Uint8Array): unknown {
  const decoder = decoding ? newDecoder() : sharedDecoder;
  const outer = !decoding;
  decoding = true;
  // A Buffer's subarrays are Buffers: decode a plain view so that bin always comes back as a Uint8Array.
  const view = Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
  try {
    return decoder.decode(view);
  } catch (err) {
    throw err instanceof EncodingError ? err : new EncodingError(`cannot decode msgpack: ${(err as Error).message}`);
  } finally {
    if (outer) decoding = false;
  }
}

/** Task kwargs: a plain object or a Map (a msgpack map is what every worker expects). */
export function encodeKwargs(kwargs: unknown): Uint8Array {
  if (kwargs === null || typeof kwargs !== "object" || Array.isArray(kwargs) || ArrayBuffer.isView(kwargs)
      || kwargs instanceof Date || kwargs instanceof Set) {
    throw new EncodingError("kwargs must be a plain object or a Map");
  }
  return encode(kwargs);
}

/** Decode optional msgpack bytes: empty bytes (a field never set) decode to null, as nil does. */
export function decodeOptional(bytes: Uint8Array | undefined | null): unknown {
  return bytes && bytes.length > 0 ? decode(bytes) : null;
}

export { ExtData };
