import { availableParallelism, endianness } from "node:os";
import {
  type Hex,
  type JsonLeafValues,
  type LeafCodec,
  type LeafType,
  type LeafValues,
  hexOf,
  leafCodec,
  writeNode,
} from "./encoding.js";
import { HASH_BYTES, keccak256Into } from "./keccak.js";
import { HashPool } from "./parallel.js";

/** Options of `FastMerkleTree.of`. */
export interface BuildOptions {
  /**
   * Hashing threads for big trees (default: available parallelism, at most 4). 0 or 1 hashes on the
   * calling thread. Trees under `PARALLEL_THRESHOLD` leaves always hash on the calling thread.
   */
  threads?: number;
}

/** Below this many leaves, threads cost more than they save. */
export const PARALLEL_THRESHOLD = 32_768;
const CHUNK = 16_384;

/** The JSON dump of OpenZeppelin's StandardMerkleTree (`StandardMerkleTree.load` accepts it). */
export interface StandardMerkleTreeDump<E extends readonly LeafType[] = readonly LeafType[]> {
  format: "standard-v1";
  leafEncoding: LeafType[];
  tree: Hex[];
  values: { value: JsonLeafValues<E>; treeIndex: number }[];
}

/** A value of the tree, given by its index (order of the input) or by the value itself. */
export type LeafRef<E extends readonly LeafType[]> = number | LeafValues<E>;

const H = HASH_BYTES;

/** Compares the 32-byte nodes at `a` and `b` of `nodes` (byte offsets), as unsigned big-endian numbers. */
function compareNodes(x: Buffer, a: number, y: Buffer, b: number): number {
  for (let i = 0; i < H; i++) {
    const d = x[a + i] - y[b + i];
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Orders leaves like StandardMerkleTree: by hash ascending, ties (duplicate values) by input index
 * (its `Array.prototype.sort` is stable).
 * @param leaves n leaf hashes, 32 bytes each, in input order.
 * @param n Number of leaves.
 * @returns `order[k]` = input index of the k-th smallest leaf.
 */
function sortLeaves(leaves: Buffer, n: number): Uint32Array {
  const byFullHash = (i: number, j: number): number => compareNodes(leaves, i * H, leaves, j * H) || i - j;
  if (endianness() !== "LE") {
    return Uint32Array.from({ length: n }, (_, i) => i).sort(byFullHash);
  }
  // Sort 64-bit keys (first 4 hash bytes << 32 | index) natively, then order the rare runs that share
  // their first 4 bytes by the full hash. Far faster than a comparator sort over a million leaves.
  const keys = new BigUint64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    words[2 * i] = i;
    words[2 * i + 1] = leaves.readUInt32BE(i * H);
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = words[2 * k];
  for (let k = 0; k < n;) {
    let end = k + 1;
    while (end < n && words[2 * end + 1] === words[2 * k + 1]) end++;
    if (end - k > 1) order.subarray(k, end).sort(byFullHash);
    k = end;
  }
  return order;
}

/**
 * A Merkle tree with the same leaves, layout, root, proofs and dump as OpenZeppelin's
 * `StandardMerkleTree.of(values, leafEncoding)`, built for millions of leaves: nodes live in one
 * Buffer (32 bytes each, complete binary tree in an array, children of node i at 2i+1 and 2i+2,
 * leaves sorted by hash at the end), leaves are ABI-encoded without a general coder and hashed with
 * a WebAssembly keccak.
 */
export class FastMerkleTree<const E extends readonly LeafType[]> {
  /** The Solidity types of every leaf. */
  readonly leafEncoding: E;
  readonly #codec: LeafCodec;
  readonly #values: readonly LeafValues<E>[];
  /** (2n - 1) nodes of 32 bytes. */
  readonly #nodes: Buffer;
  /** Input index -> tree index. */
  readonly #treeIndexOf: Uint32Array;
  /** Sorted position k (tree index 2n - 2 - k) -> input index. */
  readonly #valueAt: Uint32Array;
  #scratch = Buffer.alloc(2 * H);

  private constructor(
    leafEncoding: E,
    values: readonly LeafValues<E>[],
    nodes: Buffer,
    treeIndexOf: Uint32Array,
    valueAt: Uint32Array,
  ) {
    this.leafEncoding = leafEncoding;
    this.#codec = leafCodec(leafEncoding);
    this.#values = values;
    this.#nodes = nodes;
    this.#treeIndexOf = treeIndexOf;
    this.#valueAt = valueAt;
  }

  /**
   * Builds the tree of `values`, like `StandardMerkleTree.of(values, leafEncoding)`.
   * @param values The leaves' values (kept by reference: do not mutate them afterwards).
   * @param leafEncoding The Solidity types, e.g. `["address", "uint256"]`.
   * @returns The tree.
   */
  static of<const E extends readonly LeafType[]>(
    values: readonly LeafValues<E>[],
    leafEncoding: E,
    options: BuildOptions = {},
  ): FastMerkleTree<E> {
    const n = values.length;
    if (n === 0) throw new RangeError("Expected non-zero number of leaves");
    const codec = leafCodec(leafEncoding);
    const threads = options.threads ?? Math.min(4, availableParallelism());
    const pool = threads > 1 && n >= PARALLEL_THRESHOLD ? HashPool.get(threads) : undefined;
    const encode = (i: number, out: Buffer, offset: number): void => {
      try {
        codec.encodeInto(values[i], out, offset);
      } catch (error) {
        throw new TypeError(`Leaf ${i}: ${(error as Error).message}`, { cause: error });
      }
    };
    let leaves: Buffer;
    let nodes: Buffer;
    if (pool) {
      // Encode on this thread chunk by chunk while the pool hashes the chunks already encoded.
      const shared = {
        encoded: new SharedArrayBuffer(n * codec.size),
        size: codec.size,
        leaves: new SharedArrayBuffer(n * H),
        nodes: new SharedArrayBuffer((2 * n - 1) * H),
      };
      pool.setBuffers(shared);
      const encoded = Buffer.from(shared.encoded);
      leaves = Buffer.from(shared.leaves);
      nodes = Buffer.from(shared.nodes);
      try {
        for (let from = 0; from < n; from += CHUNK) {
          const to = Math.min(n, from + CHUNK);
          for (let i = from; i < to; i++) encode(i, encoded, i * codec.size);
          pool.post({ kind: "leaves", from, to });
        }
      } finally {
        pool.wait();
      }
    } else {
      const encoded = Buffer.allocUnsafe(codec.size);
      const inner = Buffer.allocUnsafe(H);
      leaves = Buffer.allocUnsafe(n * H);
      nodes = Buffer.allocUnsafe((2 * n - 1) * H);
      for (let i = 0; i < n; i++) {
        encode(i, encoded, 0);
        keccak256Into(encoded, inner, 0);
        keccak256Into(inner, leaves, i * H);
      }
    }
    const order = sortLeaves(leaves, n);
    const treeIndexOf = new Uint32Array(n);
    const last = 2 * n - 2;
    for (let k = 0; k < n; k++) {
      const v = order[k];
      leaves.copy(nodes, (last - k) * H, v * H, v * H + H);
      treeIndexOf[v] = last - k;
    }
    const tree = new FastMerkleTree(leafEncoding, values, nodes, treeIndexOf, order);
    // Inner nodes level by level from the bottom: node i (level floor(log2(i + 1))) needs 2i + 1, 2i + 2.
    for (let level = Math.floor(Math.log2(Math.max(1, n - 1))); level >= 0; level--) {
      const from = 2 ** level - 1;
      const to = Math.min(2 ** (level + 1) - 1, n - 1);
      if (from >= to) continue;
      if (pool && to - from >= CHUNK) {
        pool.postSplit("nodes", from, to);
        pool.wait();
      } else {
        for (let i = to - 1; i >= from; i--) tree.#hashPairInto(2 * i + 1, 2 * i + 2, nodes, i * H);
      }
    }
    return tree;
  }

  /**
   * Loads a StandardMerkleTree dump (`format: "standard-v1"`, sorted leaves) and checks every node.
   * @param data The dump, e.g. `JSON.parse` of a file written by either library.
   * @returns The tree.
   */
  static load<const E extends readonly LeafType[]>(data: StandardMerkleTreeDump<E>): FastMerkleTree<E> {
    if (data.format !== "standard-v1") throw new TypeError(`Unknown format '${String(data.format)}'`);
    const leafEncoding = [...data.leafEncoding] as unknown as E;
    leafCodec(leafEncoding); // throws on an unsupported encoding
    const n = data.values.length;
    if (n === 0 || data.tree.length !== 2 * n - 1) {
      throw new TypeError(`Expected ${2 * n - 1} tree nodes for ${n} values, got ${data.tree.length}`);
    }
    const nodes = Buffer.allocUnsafe(data.tree.length * H);
    data.tree.forEach((hex, i) => writeNode(hex, nodes, i * H));
    const last = 2 * n - 2;
    const treeIndexOf = new Uint32Array(n);
    const valueAt = new Uint32Array(n).fill(0xffffffff);
    data.values.forEach(({ treeIndex }, v) => {
      const k = last - treeIndex;
      if (!Number.isInteger(treeIndex) || k < 0 || k >= n || valueAt[k] !== 0xffffffff) {
        throw new TypeError(`Value ${v}: bad or repeated treeIndex ${treeIndex}`);
      }
      treeIndexOf[v] = treeIndex;
      valueAt[k] = v;
    });
    const values = data.values.map(({ value }) => value as unknown as LeafValues<E>);
    const tree = new FastMerkleTree(leafEncoding, values, nodes, treeIndexOf, valueAt);
    for (let k = 1; k < n; k++) {
      if (compareNodes(nodes, (last - k + 1) * H, nodes, (last - k) * H) > 0) {
        throw new TypeError("Leaves are not sorted by hash (a tree built with sortLeaves: false)");
      }
    }
    const leaf = Buffer.allocUnsafe(H);
    for (let v = 0; v < n; v++) {
      tree.#leafHashInto(values[v], leaf, 0);
      if (compareNodes(leaf, 0, nodes, treeIndexOf[v] * H) !== 0) {
        throw new TypeError(`Value ${v} does not match its leaf at tree index ${treeIndexOf[v]}`);
      }
    }
    const expected = Buffer.allocUnsafe(H);
    for (let i = n - 2; i >= 0; i--) {
      tree.#hashPairInto(2 * i + 1, 2 * i + 2, expected, 0);
      if (compareNodes(expected, 0, nodes, i * H) !== 0) throw new TypeError(`Invalid node ${i}`);
    }
    return tree;
  }

  /**
   * Checks a proof without a tree, like `StandardMerkleTree.verify`.
   * @param root The root.
   * @param leafEncoding The leaf types.
   * @param value The leaf's values.
   * @param proof Sibling hashes, leaf to root.
   * @returns Whether the proof leads from the leaf to `root`.
   */
  static verify<const E extends readonly LeafType[]>(
    root: string,
    leafEncoding: E,
    value: LeafValues<E>,
    proof: readonly string[],
  ): boolean {
    const codec = leafCodec(leafEncoding);
    const buf = Buffer.allocUnsafe(Math.max(codec.size, 2 * H));
    codec.encodeInto(value, buf, 0);
    const node = Buffer.allocUnsafe(H);
    keccak256Into(buf.subarray(0, codec.size), node, 0);
    keccak256Into(node, node, 0);
    return processProof(node, proof) === root.toLowerCase();
  }

  /** The root, lowercase hex. */
  get root(): Hex {
    return hexOf(this.#nodes, 0, H);
  }

  /** Number of values (leaves). */
  get length(): number {
    return this.#values.length;
  }

  /**
   * The value at an input index.
   * @param index Input index.
   * @returns The value as given, or undefined out of range.
   */
  at(index: number): LeafValues<E> | undefined {
    return this.#values[index];
  }

  /** Input index and value of every leaf, in input order (like StandardMerkleTree's `entries()`). */
  *entries(): Generator<[number, LeafValues<E>]> {
    for (let i = 0; i < this.#values.length; i++) yield [i, this.#values[i]];
  }

  /**
   * The input index of a value or index. Duplicate values resolve like StandardMerkleTree (last one).
   * @param ref An input index or a value.
   * @returns The input index.
   */
  indexOf(ref: LeafRef<E>): number {
    if (typeof ref === "number") {
      if (!Number.isInteger(ref) || ref < 0 || ref >= this.#values.length) {
        throw new RangeError(`Index out of bounds: ${ref}`);
      }
      return ref;
    }
    const target = Buffer.allocUnsafe(H);
    this.#leafHashInto(ref, target, 0);
    // Sorted position k holds tree index last - k; hashes ascend with k. Find the last k <= target.
    const n = this.#values.length;
    const last = 2 * n - 2;
    let lo = 0;
    let hi = n; // first k whose hash > target
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNodes(this.#nodes, (last - mid) * H, target, 0) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k < 0 || compareNodes(this.#nodes, (last - k) * H, target, 0) !== 0) {
      throw new RangeError("Leaf is not in tree");
    }
    return this.#valueAt[k];
  }

  /**
   * The tree index (position in `dump().tree`) of a value.
   * @param ref An input index or a value.
   * @returns The tree index.
   */
  treeIndexOf(ref: LeafRef<E>): number {
    return this.#treeIndexOf[this.indexOf(ref)];
  }

  /**
   * The leaf hash of a value (`LeafLib`'s leaf for the matching encoding).
   * @param ref An input index or a value (need not be in the tree).
   * @returns The leaf hash.
   */
  leafHash(ref: LeafRef<E>): Hex {
    if (typeof ref === "number") {
      const t = this.#treeIndexOf[this.indexOf(ref)];
      return hexOf(this.#nodes, t * H, t * H + H);
    }
    const out = Buffer.allocUnsafe(H);
    this.#leafHashInto(ref, out, 0);
    return hexOf(out, 0, H);
  }

  /**
   * The Merkle proof of a value: sibling hashes from the leaf up, for `MerkleProof.verify`.
   * @param ref An input index or a value of the tree.
   * @returns The proof, same as StandardMerkleTree's `getProof`.
   */
  proof(ref: LeafRef<E>): Hex[] {
    let t = this.#treeIndexOf[this.indexOf(ref)];
    const proof: Hex[] = [];
    while (t > 0) {
      const s = t & 1 ? t + 1 : t - 1;
      proof.push(hexOf(this.#nodes, s * H, s * H + H));
      t = (t - 1) >>> 1;
    }
    return proof;
  }

  /**
   * Tree indices of a value's proof, leaf to root (for writers that copy nodes without strings).
   * @param ref An input index or a value of the tree.
   * @returns Tree indices of the sibling nodes.
   */
  proofIndices(ref: LeafRef<E>): number[] {
    let t = this.#treeIndexOf[this.indexOf(ref)];
    const out: number[] = [];
    while (t > 0) {
      out.push(t & 1 ? t + 1 : t - 1);
      t = (t - 1) >>> 1;
    }
    return out;
  }

  /**
   * Checks a proof against this tree's root.
   * @param ref An input index or a value (need not be in the tree).
   * @param proof Sibling hashes, leaf to root.
   * @returns Whether the proof leads from the value's leaf to the root.
   */
  verify(ref: LeafRef<E>, proof: readonly string[]): boolean {
    const leaf = Buffer.allocUnsafe(H);
    if (typeof ref === "number") {
      const t = this.#treeIndexOf[this.indexOf(ref)];
      this.#nodes.copy(leaf, 0, t * H, t * H + H);
    } else {
      this.#leafHashInto(ref, leaf, 0);
    }
    return processProof(leaf, proof) === this.root;
  }

  /**
   * The JSON form of a value: addresses as given (validated), bytes lowercase, integers in decimal.
   * @param ref An input index or a value.
   * @returns JSON-safe values (no bigint).
   */
  jsonValue(ref: LeafRef<E>): JsonLeafValues<E> {
    if (typeof ref === "number") {
      return this.#codec.normalize(this.#values[this.indexOf(ref)], true) as JsonLeafValues<E>;
    }
    return this.#codec.normalize(ref) as JsonLeafValues<E>;
  }

  /**
   * A dump in StandardMerkleTree's format (`StandardMerkleTree.load(tree.dump())` works). Holds every
   * node as a string: for millions of leaves prefer `writeDump` (see `./proof-file.js`).
   * @returns The dump, JSON-safe.
   */
  dump(): StandardMerkleTreeDump<E> {
    const tree: Hex[] = new Array<Hex>(this.nodeCount);
    for (let i = 0; i < tree.length; i++) tree[i] = hexOf(this.#nodes, i * H, i * H + H);
    return {
      format: "standard-v1",
      leafEncoding: [...this.leafEncoding],
      tree,
      values: this.#values.map((value, i) => ({
        value: this.#codec.normalize(value, true) as JsonLeafValues<E>,
        treeIndex: this.#treeIndexOf[i],
      })),
    };
  }

  /** Number of nodes, 2n - 1. */
  get nodeCount(): number {
    return this.#nodes.length / H;
  }

  /**
   * Tree index of every input index (do not modify).
   * @returns `treeIndices()[i]` = tree index of value i.
   */
  treeIndices(): Uint32Array {
    return this.#treeIndexOf;
  }

  /**
   * Input index of every leaf by sorted position (do not modify).
   * @returns `sortedValueIndices()[k]` = input index of the leaf at tree index `2n - 2 - k`.
   */
  sortedValueIndices(): Uint32Array {
    return this.#valueAt;
  }

  /**
   * Read-only view of node bytes: node i is bytes [32i, 32i + 32).
   * @returns The nodes buffer (do not modify).
   */
  nodeBytes(): Buffer {
    return this.#nodes;
  }

  #leafHashInto(value: LeafValues<E>, out: Buffer, offset: number): void {
    const encoded = Buffer.allocUnsafe(this.#codec.size);
    this.#codec.encodeInto(value, encoded, 0);
    keccak256Into(encoded, out, offset);
    keccak256Into(out.subarray(offset, offset + H), out, offset);
  }

  #hashPairInto(a: number, b: number, out: Buffer, offset: number): void {
    const nodes = this.#nodes;
    const scratch = this.#scratch;
    const [lo, hi] = compareNodes(nodes, a * H, nodes, b * H) <= 0 ? [a, b] : [b, a];
    nodes.copy(scratch, 0, lo * H, lo * H + H);
    nodes.copy(scratch, H, hi * H, hi * H + H);
    keccak256Into(scratch, out, offset);
  }
}

/**
 * Folds a proof onto a leaf with sorted-pair keccak (OpenZeppelin `MerkleProof.processProof`).
 * @param leaf The 32-byte leaf.
 * @param proof Sibling hashes, leaf to root.
 * @returns The computed root, lowercase hex.
 */
export function processProof(leaf: Uint8Array, proof: readonly string[]): Hex {
  const pair = Buffer.allocUnsafe(2 * H);
  const node = Buffer.from(leaf);
  const sibling = Buffer.allocUnsafe(H);
  for (const hex of proof) {
    writeNode(hex, sibling, 0);
    const first = Buffer.compare(node, sibling) <= 0;
    (first ? node : sibling).copy(pair, 0);
    (first ? sibling : node).copy(pair, H);
    keccak256Into(pair, node, 0);
  }
  return hexOf(node, 0, H);
}
