import { keccak256Bytes } from "./keccak.js";

/** A `0x`-prefixed hex string. */
export type Hex = `0x${string}`;

/**
 * The Solidity types a leaf can hold. Every one is a static type that `abi.encode` writes as one
 * 32-byte word, which is what lets leaves be encoded without a general ABI coder.
 */
export type LeafType = "address" | "bool" | `bytes${number}` | `uint${number}` | `int${number}`;

/** The TypeScript value accepted for one leaf type. */
export type LeafValue<T extends LeafType> = T extends "address"
  ? string
  : T extends "bool"
    ? boolean
    : T extends `bytes${number}`
      ? string
      : bigint | number | string;

/** The JSON form of one leaf value, as written to dumps and proof files. */
export type JsonLeafValue<T extends LeafType> = T extends "bool" ? boolean : string;

/** A leaf: one value per type of the encoding. */
export type LeafValues<E extends readonly LeafType[]> = { -readonly [K in keyof E]: LeafValue<E[K]> };

/** A leaf in JSON form: checksummed addresses, lowercase bytes, decimal integers. */
export type JsonLeafValues<E extends readonly LeafType[]> = {
  -readonly [K in keyof E]: JsonLeafValue<E[K]>;
};

/** Datanet version leaf: (bytes32 contributionId, address contributor, bytes32 contentHash). */
export const VERSION_LEAF_ENCODING = ["bytes32", "address", "bytes32"] as const;
/** Attribution leaf of one (model, epoch): (address contributor, uint256 weight). */
export const ATTRIBUTION_LEAF_ENCODING = ["address", "uint256"] as const;
/**
 * Settlement leaf (`LeafLib.settlementLeaf`): (bytes32 tag, address account, uint256 cumulativeAmount,
 * address nextAccount, uint256 prefixBefore). Five words, so never equal to a two-word attribution
 * leaf; leaves sorted by account, linked and prefix-summed (see src/settlement/tree.ts).
 */
export const SETTLEMENT_LEAF_ENCODING = ["bytes32", "address", "uint256", "address", "uint256"] as const;
/** `LeafLib.SETTLEMENT_LEAF_TAG`: keccak256("OpenLedger.settlementLeaf.v2"). */
export const SETTLEMENT_LEAF_TAG = "0x7d254bfb9a5ee12145dce8c66de0247bb00d7abf210392c73f9f940504c73d02";

export type VersionLeafEncoding = typeof VERSION_LEAF_ENCODING;
export type AttributionLeafEncoding = typeof ATTRIBUTION_LEAF_ENCODING;
export type SettlementLeafEncoding = typeof SETTLEMENT_LEAF_ENCODING;

const WORD = 32;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const LOWER_RE = /^0x[0-9a-f]{40}$/;
const UPPER_RE = /^0x[0-9A-F]{40}$/;

/** Writes one value as one ABI word at `offset` of `out` (32 bytes). */
type WordWriter = (value: unknown, out: Buffer, offset: number) => void;
/** Turns one value into its JSON form; `trusted` skips checks already made when the value was encoded. */
type WordNormalizer = (value: unknown, trusted: boolean) => string | boolean;

interface WordCodec {
  readonly write: WordWriter;
  readonly normalize: WordNormalizer;
}

/** A compiled leaf encoding: writes a whole leaf's `abi.encode` into a buffer. */
export interface LeafCodec {
  /** The Solidity types, in order. */
  readonly types: readonly LeafType[];
  /** Size of `abi.encode(values...)`: 32 bytes a value. */
  readonly size: number;
  /** Writes `abi.encode(values...)` at `offset` of `out`; throws on a malformed value. */
  encodeInto(values: readonly unknown[], out: Buffer, offset: number): void;
  /**
   * The JSON form of a leaf: addresses as given (validated), lowercase bytes, decimal integers.
   * @param values The leaf's values.
   * @param trusted The values were already encoded successfully (skip re-validation).
   */
  normalize(values: readonly unknown[], trusted?: boolean): (string | boolean)[];
}

function fail(type: string, value: unknown, why: string): never {
  const shown = typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
  throw new TypeError(`Invalid ${type} leaf value ${shown}: ${why}`);
}

/**
 * EIP-55 checksummed form of a 20-byte address given as 40 lowercase hex characters.
 * @param lowerHex40 The address without `0x`, lowercase.
 * @returns The checksummed address with `0x`.
 */
function checksumFromLower(lowerHex40: string): string {
  const hash = keccak256Bytes(Buffer.from(lowerHex40, "latin1"));
  // Build the 42 chars in a buffer: one flat string, not a chain of 42 concatenations.
  const chars = Buffer.allocUnsafe(42);
  chars[0] = 48; // 0
  chars[1] = 120; // x
  for (let i = 0; i < 40; i++) {
    const c = lowerHex40.charCodeAt(i);
    const nibble = (hash[i >> 1] >> (i & 1 ? 0 : 4)) & 0xf;
    chars[i + 2] = c >= 97 && nibble >= 8 ? c - 32 : c;
  }
  return chars.toString("latin1");
}

/**
 * Validates an address: `0x` + 40 hex digits; a mixed-case address must carry a correct EIP-55
 * checksum (a typo in a payee address must not be hashed into a root).
 * @param value The candidate.
 * @returns The address, lowercase, without `0x`.
 */
function checkAddress(value: unknown): string {
  if (typeof value !== "string" || !ADDRESS_RE.test(value)) {
    fail("address", value, "expected 0x followed by 40 hex digits");
  }
  const lower = value.slice(2).toLowerCase();
  if (!LOWER_RE.test(value) && !UPPER_RE.test(value) && checksumFromLower(lower) !== value) {
    fail("address", value, "bad EIP-55 checksum");
  }
  return lower;
}

/**
 * EIP-55 checksummed address.
 * @param address Any valid address (lowercase, uppercase or already checksummed).
 * @returns The checksummed form.
 */
export function toChecksumAddress(address: string): string {
  return checksumFromLower(checkAddress(address));
}

function toBigInt(type: string, value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) fail(type, value, "numbers must be safe integers; use a bigint");
    return BigInt(value);
  }
  if (typeof value === "string" && /^(-?[0-9]+|0x[0-9a-fA-F]+)$/.test(value)) return BigInt(value);
  return fail(type, value, "expected a bigint, a safe integer or a decimal/0x string");
}

/** Writes the hex digits of a non-negative integer (from `toString(16)`, at most 64) right-aligned in a word. */
function writeWordHex(hex: string, out: Buffer, offset: number): void {
  let p = offset + WORD - 1;
  let i = hex.length;
  while (i > 1) {
    const lo = HEX_VALUE[hex.charCodeAt(--i)];
    out[p--] = (HEX_VALUE[hex.charCodeAt(--i)] << 4) | lo;
  }
  if (i === 1) out[p--] = HEX_VALUE[hex.charCodeAt(0)];
  while (p >= offset) out[p--] = 0;
}

function uintCodec(type: string, bits: number): WordCodec {
  const max = (1n << BigInt(bits)) - 1n;
  const check = (value: unknown): bigint => {
    const v = toBigInt(type, value);
    if (v < 0n || v > max) fail(type, value, `out of range for ${type}`);
    return v;
  };
  return {
    write: (value, out, offset) => writeWordHex(check(value).toString(16), out, offset),
    normalize: (value) => check(value).toString(10),
  };
}

function intCodec(type: string, bits: number): WordCodec {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -(1n << BigInt(bits - 1));
  const check = (value: unknown): bigint => {
    const v = toBigInt(type, value);
    if (v < min || v > max) fail(type, value, `out of range for ${type}`);
    return v;
  };
  return {
    // abi.encode sign-extends to 256 bits (two's complement).
    write: (value, out, offset) => {
      const v = check(value);
      writeWordHex((v < 0n ? (1n << 256n) + v : v).toString(16), out, offset);
    },
    normalize: (value) => check(value).toString(10),
  };
}

function bytesCodec(type: string, size: number): WordCodec {
  const re = new RegExp(`^0x[0-9a-fA-F]{${size * 2}}$`);
  const check = (value: unknown): string => {
    if (typeof value !== "string" || !re.test(value)) {
      fail(type, value, `expected 0x followed by ${size * 2} hex digits`);
    }
    return value;
  };
  return {
    // bytesN is left-aligned in its word, zero-padded on the right.
    write: (value, out, offset) => {
      out.write(check(value).slice(2), offset, size, "hex");
      if (size < WORD) out.fill(0, offset + size, offset + WORD);
    },
    normalize: (value) => check(value).toLowerCase(),
  };
}

// Hex digit value of each char code, 255 for a non-hex char.
const HEX_VALUE = new Uint8Array(256).fill(255);
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[65 + c] = 10 + c;
  HEX_VALUE[97 + c] = 10 + c;
}

const ascii = new Uint8Array(40);
const HEX_ASCII = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** EIP-55 check of a mixed-case address whose 20 bytes are already at `bytes[offset..]`. */
function checkChecksum(value: string, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 20; i++) {
    ascii[2 * i] = HEX_ASCII[bytes[offset + i] >> 4];
    ascii[2 * i + 1] = HEX_ASCII[bytes[offset + i] & 15];
  }
  const hash = keccak256Bytes(ascii);
  for (let i = 0; i < 40; i++) {
    const c = value.charCodeAt(2 + i);
    if (c < 65) continue; // a digit has no case
    const wantUpper = ((hash[i >> 1] >> (i & 1 ? 0 : 4)) & 0xf) >= 8;
    if (wantUpper !== c < 97) fail("address", value, "bad EIP-55 checksum");
  }
}

const addressCodec: WordCodec = {
  // Hot path of tree building: parse and validate the 40 hex digits in one pass (no regex, no
  // string copies); only a mixed-case address pays for the EIP-55 check (one keccak).
  write: (value, out, offset) => {
    if (
      typeof value !== "string" ||
      value.length !== 42 ||
      value.charCodeAt(0) !== 48 ||
      value.charCodeAt(1) !== 120
    ) {
      fail("address", value, "expected 0x followed by 40 hex digits");
    }
    let lower = false;
    let upper = false;
    out.fill(0, offset, offset + 12);
    for (let i = 0; i < 20; i++) {
      const a = value.charCodeAt(2 + 2 * i);
      const b = value.charCodeAt(3 + 2 * i);
      const hi = HEX_VALUE[a & 0xff] | (a > 0xff ? 255 : 0);
      const lo = HEX_VALUE[b & 0xff] | (b > 0xff ? 255 : 0);
      if ((hi | lo) > 15) fail("address", value, "expected 0x followed by 40 hex digits");
      if (a >= 97 || b >= 97) lower = true;
      if ((a >= 65 && a <= 70) || (b >= 65 && b <= 70)) upper = true;
      out[offset + 12 + i] = (hi << 4) | lo;
    }
    if (lower && upper) checkChecksum(value, out, offset + 12);
  },
  normalize: (value, trusted) => {
    if (!trusted) checkAddress(value);
    return value as string;
  },
};

const boolCodec: WordCodec = {
  write: (value, out, offset) => {
    if (typeof value !== "boolean") fail("bool", value, "expected a boolean");
    out.fill(0, offset, offset + WORD);
    out[offset + WORD - 1] = value ? 1 : 0;
  },
  normalize: (value) => {
    if (typeof value !== "boolean") fail("bool", value, "expected a boolean");
    return value;
  },
};

function wordCodec(type: string): WordCodec {
  if (type === "address") return addressCodec;
  if (type === "bool") return boolCodec;
  let m = /^uint([0-9]+)?$/.exec(type);
  if (m) {
    const bits = m[1] === undefined ? 256 : Number(m[1]);
    if (bits >= 8 && bits <= 256 && bits % 8 === 0) return uintCodec(type, bits);
  }
  m = /^int([0-9]+)?$/.exec(type);
  if (m) {
    const bits = m[1] === undefined ? 256 : Number(m[1]);
    if (bits >= 8 && bits <= 256 && bits % 8 === 0) return intCodec(type, bits);
  }
  m = /^bytes([0-9]+)$/.exec(type);
  if (m) {
    const size = Number(m[1]);
    if (size >= 1 && size <= 32) return bytesCodec(type, size);
  }
  throw new TypeError(
    `Unsupported leaf type "${type}": only static one-word types (address, bool, bytes1..32, uint8..256, int8..256)`,
  );
}

const codecCache = new Map<string, LeafCodec>();

/**
 * Compiles a leaf encoding (e.g. `["address", "uint256"]`) into a codec; cached by type list.
 * @param types The Solidity types of the leaf, in order.
 * @returns The codec.
 */
export function leafCodec(types: readonly LeafType[]): LeafCodec {
  const key = types.join(",");
  const cached = codecCache.get(key);
  if (cached) return cached;
  if (types.length === 0) throw new TypeError("A leaf encoding needs at least one type");
  const words = types.map(wordCodec);
  const codec: LeafCodec = {
    types: [...types],
    size: WORD * words.length,
    encodeInto(values, out, offset) {
      if (values.length !== words.length) {
        throw new TypeError(`Expected ${words.length} leaf values (${key}), got ${values.length}`);
      }
      for (let w = 0; w < words.length; w++) words[w].write(values[w], out, offset + w * WORD);
    },
    normalize(values, trusted = false) {
      if (values.length !== words.length) {
        throw new TypeError(`Expected ${words.length} leaf values (${key}), got ${values.length}`);
      }
      const json: (string | boolean)[] = new Array<string | boolean>(words.length);
      for (let w = 0; w < words.length; w++) json[w] = words[w].normalize(values[w], trusted);
      return json;
    },
  };
  codecCache.set(key, codec);
  return codec;
}

/** Lowercase `0x` hex of bytes `[start, end)` of `bytes`. */
export function hexOf(bytes: Buffer, start: number, end: number): Hex {
  return `0x${bytes.toString("hex", start, end)}`;
}

/** Parses a 32-byte hex node into `out` at `offset`; throws when malformed. */
export function writeNode(hex: string, out: Buffer, offset: number): void {
  if (typeof hex !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    throw new TypeError(`Invalid Merkle node ${JSON.stringify(hex)}: expected 0x followed by 64 hex digits`);
  }
  out.write(hex.slice(2), offset, WORD, "hex");
}
