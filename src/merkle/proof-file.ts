import { once } from "node:events";
import { closeSync, createWriteStream, openSync, writeSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import type { Hex, JsonLeafValues, LeafType } from "./encoding.js";
import { type FastMerkleTree, type LeafRef } from "./tree.js";

/**
 * One account's proof, self-contained: with it a contributor can claim from any wallet or block
 * explorer (the contract takes `value` and `proof`; `root` and `leafEncoding` say what it proves).
 */
export interface ProofFile<E extends readonly LeafType[] = readonly LeafType[]> {
  root: Hex;
  leafEncoding: LeafType[];
  value: JsonLeafValues<E>;
  proof: Hex[];
}

/** Format tag of the one-file-for-all-proofs JSON written by `writeProofs`. */
export const PROOFS_FORMAT = "openledger-proofs-v1";

/**
 * The whole-tree proofs file: one entry per value, `index` being its input index. Entries come in
 * tree order (not input order), one a line, so line-oriented tools can pick one without parsing all.
 */
export interface ProofsDocument<E extends readonly LeafType[] = readonly LeafType[]> {
  format: typeof PROOFS_FORMAT;
  root: Hex;
  leafEncoding: LeafType[];
  count: number;
  entries: { index: number; value: JsonLeafValues<E>; proof: Hex[] }[];
}

/** What a streaming writer wrote. */
export interface WriteSummary {
  /** Entries written. */
  entries: number;
  /** Bytes written. */
  bytes: number;
}

/**
 * The proof file of one value.
 * @param tree The tree.
 * @param ref An input index or a value of the tree.
 * @returns `{ root, leafEncoding, value, proof }`.
 */
export function proofFile<E extends readonly LeafType[]>(
  tree: FastMerkleTree<E>,
  ref: LeafRef<E>,
): ProofFile<E> {
  const index = tree.indexOf(ref);
  return {
    root: tree.root,
    leafEncoding: [...tree.leafEncoding],
    value: tree.jsonValue(index),
    proof: tree.proof(index),
  };
}

/**
 * Writes the proof file of one value as pretty JSON.
 * @param path Destination file.
 * @param tree The tree.
 * @param ref An input index or a value of the tree.
 */
export async function writeProofFile<E extends readonly LeafType[]>(
  path: string,
  tree: FastMerkleTree<E>,
  ref: LeafRef<E>,
): Promise<void> {
  await writeFile(path, JSON.stringify(proofFile(tree, ref), null, 2) + "\n");
}

const CHUNK_BYTES = 1 << 20;
const QUOTE = 0x22;

/** Buffers bytes in 1 MiB chunks and writes them to a stream, respecting backpressure. */
class ChunkWriter {
  #chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  #pos = 0;
  bytes = 0;
  readonly #out: Writable;
  #failed: Error | undefined;

  constructor(out: Writable) {
    this.#out = out;
    out.on("error", (error: Error) => (this.#failed = error));
  }

  /** Lets a synchronous encoder fill the rest of the chunk; it returns [next item, new position]. */
  fill(encode: (chunk: Buffer, start: number) => [number, number]): number {
    const [next, pos] = encode(this.#chunk, this.#pos);
    this.#pos = pos;
    return next;
  }

  /** Whether `size` more bytes fit; when not, `flush()` then `grow(size)` first. */
  fits(size: number): boolean {
    return this.#pos + size <= this.#chunk.length;
  }

  /** After a flush: makes sure an entry of `size` bytes fits in an empty chunk. */
  grow(size: number): void {
    if (size > this.#chunk.length) this.#chunk = Buffer.allocUnsafe(size);
  }

  ascii(text: string): void {
    this.#pos += this.#chunk.write(text, this.#pos, "latin1");
  }

  byte(b: number): void {
    this.#chunk[this.#pos++] = b;
  }

  copy(source: Buffer, start: number, end: number): void {
    this.#pos += source.copy(this.#chunk, this.#pos, start, end);
  }

  /** Writes the chunk and waits until the stream is done with it, then reuses it (bounded memory). */
  async flush(): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (this.#pos === 0) return;
    const full = this.#chunk.subarray(0, this.#pos);
    this.bytes += this.#pos;
    await new Promise<void>((resolve, reject) =>
      this.#out.write(full, (error) => (error ? reject(error) : resolve())),
    );
    this.#pos = 0;
  }
}

const TOKEN = 69; // ,"0x + 64 hex digits + "

/**
 * Every node as the JSON token `,"0x<64 hex digits>"` (69 ASCII bytes a node), so a proof element
 * is one copy; built in slices to keep the temporary strings small.
 */
function nodeTokens(nodes: Buffer): Buffer {
  const count = nodes.length / 32;
  const out = Buffer.allocUnsafe(count * TOKEN);
  const perSlice = 1 << 16;
  const hex = Buffer.allocUnsafe(perSlice * 64);
  for (let first = 0; first < count; first += perSlice) {
    const last = Math.min(count, first + perSlice);
    hex.write(nodes.toString("hex", first * 32, last * 32), 0, "latin1");
    for (let i = first; i < last; i++) {
      const at = i * TOKEN;
      out[at] = 0x2c; // ,
      out[at + 1] = QUOTE;
      out[at + 2] = 0x30; // 0
      out[at + 3] = 0x78; // x
      hex.copy(out, at + 4, (i - first) * 64, (i - first + 1) * 64);
      out[at + TOKEN - 1] = QUOTE;
    }
  }
  return out;
}

async function withStream(target: string | Writable, body: (out: Writable) => Promise<void>): Promise<void> {
  if (typeof target !== "string") return body(target);
  const out = createWriteStream(target);
  try {
    await body(out);
  } finally {
    out.end();
    await once(out, "close");
  }
}

/** Upper bound of one proofs-file entry: value JSON (< 2 KiB for one-word types) + 64 proof tokens. */
const MAX_ENTRY = 2048 + 64 * TOKEN;

/**
 * Encodes proof entries into `chunk` from `start` while a whole entry still fits, walking the leaves
 * in tree order (tree index `first` upwards) so that neighbours share the upper part of their proofs:
 * that shared tail is copied from the previous entry in one move instead of token by token.
 * Synchronous and allocation-light: this is the hot loop of a million-proof file.
 * @returns The next tree index to write and the new chunk position.
 */
function fillProofEntries<E extends readonly LeafType[]>(
  tree: FastMerkleTree<E>,
  tokens: Buffer,
  valueAt: Uint32Array,
  first: number,
  chunk: Buffer,
  start: number,
): [number, number] {
  const end = tree.nodeCount;
  const last = end - 1;
  let cur = new Int32Array(64); // path from the leaf up, root excluded
  let prev = new Int32Array(64);
  let curAt = new Int32Array(64); // chunk position of each proof element
  let prevAt = new Int32Array(64);
  let prevDepth = -1;
  let prevEnd = 0;
  let pos = start;
  let t = first;
  for (; t < end && pos + MAX_ENTRY <= chunk.length; t++) {
    const index = valueAt[last - t];
    pos += chunk.write(
      `{"index":${index},"value":${JSON.stringify(tree.jsonValue(index))},"proof":[`,
      pos,
      "latin1",
    );
    let depth = 0;
    for (let x = t; x > 0; x = (x - 1) >>> 1) cur[depth++] = x;
    let shared = 0;
    if (prevDepth >= 0) {
      while (shared < depth && shared < prevDepth && cur[depth - 1 - shared] === prev[prevDepth - 1 - shared])
        shared++;
    }
    for (let e = 0; e < depth - shared; e++) {
      const x = cur[e];
      const s = x & 1 ? x + 1 : x - 1;
      curAt[e] = pos;
      // The first element skips the token's leading comma.
      pos += tokens.copy(chunk, pos, s * TOKEN + (e === 0 ? 1 : 0), s * TOKEN + TOKEN);
    }
    if (shared > 0) {
      const from = prevAt[prevDepth - shared];
      for (let j = 0; j < shared; j++)
        curAt[depth - shared + j] = pos + prevAt[prevDepth - shared + j] - from;
      chunk.copyWithin(pos, from, prevEnd);
      pos += prevEnd - from;
    }
    prevEnd = pos;
    prevDepth = depth;
    [cur, prev] = [prev, cur];
    [curAt, prevAt] = [prevAt, curAt];
    pos += chunk.write(t + 1 < end ? "]},\n" : "]}\n", pos, "latin1");
  }
  return [t, pos];
}

/**
 * Streams every proof of the tree into one JSON file (`ProofsDocument`), one entry a line, without
 * building the document in memory: for a million leaves the file is ~1.5 GB.
 * @param tree The tree.
 * @param target A file path, or a writable stream (left open).
 * @returns Entries and bytes written.
 */
export async function writeProofs<E extends readonly LeafType[]>(
  tree: FastMerkleTree<E>,
  target: string | Writable,
): Promise<WriteSummary> {
  const tokens = nodeTokens(tree.nodeBytes());
  const valueAt = tree.sortedValueIndices();
  const n = tree.length;
  let bytes = 0;
  await withStream(target, async (out) => {
    const w = new ChunkWriter(out);
    const head = { format: PROOFS_FORMAT, root: tree.root, leafEncoding: tree.leafEncoding, count: n };
    w.ascii(JSON.stringify(head).slice(0, -1) + ',"entries":[\n');
    for (let t = n - 1; t < tree.nodeCount;) {
      if (!w.fits(MAX_ENTRY)) await w.flush();
      t = w.fill((chunk, start) => fillProofEntries(tree, tokens, valueAt, t, chunk, start));
    }
    w.ascii("]}\n");
    await w.flush();
    bytes = w.bytes;
  });
  return { entries: n, bytes };
}

/**
 * Streams `tree.dump()` (StandardMerkleTree's `standard-v1` JSON) to a file or stream without
 * holding the whole JSON string in memory.
 * @param tree The tree.
 * @param target A file path, or a writable stream (left open).
 * @returns Values and bytes written.
 */
export async function writeDump<E extends readonly LeafType[]>(
  tree: FastMerkleTree<E>,
  target: string | Writable,
): Promise<WriteSummary> {
  const tokens = nodeTokens(tree.nodeBytes());
  const n = tree.length;
  let bytes = 0;
  await withStream(target, async (out) => {
    const w = new ChunkWriter(out);
    w.ascii(`{"format":"standard-v1","leafEncoding":${JSON.stringify(tree.leafEncoding)},"tree":[`);
    for (let i = 0; i < tree.nodeCount; i++) {
      if (!w.fits(70)) {
        await w.flush();
        w.grow(70);
      }
      w.copy(tokens, i * TOKEN + (i === 0 ? 1 : 0), i * TOKEN + TOKEN);
    }
    w.ascii('],"values":[');
    for (let i = 0; i < n; i++) {
      const entry = `${i > 0 ? "," : ""}{"value":${JSON.stringify(tree.jsonValue(i))},"treeIndex":${tree.treeIndexOf(i)}}`;
      if (!w.fits(entry.length)) {
        await w.flush();
        w.grow(entry.length);
      }
      w.ascii(entry);
    }
    w.ascii("]}\n");
    await w.flush();
    bytes = w.bytes;
  });
  return { entries: n, bytes };
}

/** Proof files written between two yields to the event loop. */
const PROOF_FILES_PER_SLICE = 4096;

/**
 * Writes one self-contained proof file (`ProofFile` JSON) per value into `dir`, streaming: each file
 * is encoded from the tree's node tokens on its own and written at once, so a million accounts never
 * hold more than one file's text in memory. Files are written with plain synchronous calls (about
 * seven times faster than a promise per file for small files), yielding to the event loop between
 * slices of a few thousand.
 * @param tree The tree.
 * @param dir An existing directory.
 * @param nameOf The file name of a value (e.g. the account, lower-case, + ".json").
 * @returns Files and bytes written.
 */
export async function writeProofFiles<E extends readonly LeafType[]>(
  tree: FastMerkleTree<E>,
  dir: string,
  nameOf: (value: JsonLeafValues<E>, index: number) => string,
): Promise<WriteSummary> {
  const tokens = nodeTokens(tree.nodeBytes());
  const head = `{"root":"${tree.root}","leafEncoding":${JSON.stringify(tree.leafEncoding)},"value":`;
  let file = Buffer.allocUnsafe(MAX_ENTRY + head.length);
  let bytes = 0;
  for (let i = 0; i < tree.length; i++) {
    if (i > 0 && i % PROOF_FILES_PER_SLICE === 0) await new Promise<void>((r) => setImmediate(r));
    const value = tree.jsonValue(i);
    const start = `${head}${JSON.stringify(value)},"proof":[`;
    if (start.length + 64 * TOKEN + 3 > file.length) file = Buffer.allocUnsafe(start.length + 64 * TOKEN + 3);
    let pos = file.write(start, 0, "latin1");
    for (let x = tree.treeIndexOf(i), e = 0; x > 0; x = (x - 1) >>> 1, e++) {
      const sibling = x & 1 ? x + 1 : x - 1;
      // The first element skips the token's leading comma.
      pos += tokens.copy(file, pos, sibling * TOKEN + (e === 0 ? 1 : 0), sibling * TOKEN + TOKEN);
    }
    pos += file.write("]}\n", pos, "latin1");
    const fd = openSync(join(dir, nameOf(value, i)), "w");
    try {
      writeSync(fd, file, 0, pos);
    } finally {
      closeSync(fd);
    }
    bytes += pos;
  }
  return { entries: tree.length, bytes };
}
