import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

// A small pool of hashing threads for big trees. The main thread stays synchronous: it posts jobs
// and sleeps in Atomics.wait on a shared counter the workers bump when a job is done, so
// `FastMerkleTree.of` keeps a synchronous API. Workers share the leaf, encoding and node buffers
// (SharedArrayBuffer) and each owns a hash-wasm keccak instance. The worker source is plain
// JavaScript evaluated in the thread, so it runs the same from TypeScript sources (tsx) or from
// compiled output.

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createKeccak } = require(workerData.hashWasm);
const done = new Int32Array(workerData.control);
const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
// Formats proofs-file entries for tree indices [from, to) into out; see fillProofEntries in proof-file.ts,
// which this mirrors (tree order, the shared upper part of neighbouring proofs copied in one move).
function proofs(m) {
  const out = new Uint8Array(m.out), tokens = new Uint8Array(m.tokens), json = new Uint8Array(m.json);
  const offsets = new Uint32Array(m.offsets), valueAt = new Uint32Array(m.valueAt);
  const last = m.nodeCount - 1;
  let cur = new Int32Array(64), prev = new Int32Array(64), curAt = new Int32Array(64), prevAt = new Int32Array(64);
  let prevDepth = -1, prevEnd = 0, pos = 0;
  const ascii = (s) => { for (let k = 0; k < s.length; k++) out[pos++] = s.charCodeAt(k); };
  for (let t = m.from; t < m.to; t++) {
    const index = valueAt[last - t];
    ascii('{"index":' + index + ',"value":');
    out.set(json.subarray(offsets[index], offsets[index + 1]), pos);
    pos += offsets[index + 1] - offsets[index];
    ascii(',"proof":[');
    let depth = 0;
    for (let x = t; x > 0; x = (x - 1) >>> 1) cur[depth++] = x;
    let shared = 0;
    if (prevDepth >= 0) {
      while (shared < depth && shared < prevDepth && cur[depth - 1 - shared] === prev[prevDepth - 1 - shared]) shared++;
    }
    for (let e = 0; e < depth - shared; e++) {
      const x = cur[e];
      const s = x & 1 ? x + 1 : x - 1;
      curAt[e] = pos;
      out.set(tokens.subarray(s * 69 + (e === 0 ? 1 : 0), s * 69 + 69), pos);
      pos += e === 0 ? 68 : 69;
    }
    if (shared > 0) {
      const from = prevAt[prevDepth - shared];
      for (let j = 0; j < shared; j++) curAt[depth - shared + j] = pos + prevAt[prevDepth - shared + j] - from;
      out.copyWithin(pos, from, prevEnd);
      pos += prevEnd - from;
    }
    prevEnd = pos;
    prevDepth = depth;
    let swap = cur; cur = prev; prev = swap;
    swap = curAt; curAt = prevAt; prevAt = swap;
    ascii(t === last ? "]}\\n" : "]},\\n");
  }
  new Int32Array(m.lengths)[m.slot] = pos;
}
createKeccak(256).then((h) => {
  const pair = new Uint8Array(64);
  let encoded, size, leaves, nodes;
  parentPort.on("message", (m) => {
    if (m.kind === "buffers") {
      encoded = new Uint8Array(m.encoded); size = m.size;
      leaves = new Uint8Array(m.leaves); nodes = new Uint8Array(m.nodes);
    } else if (m.kind === "leaves") {
      for (let i = m.from; i < m.to; i++) {
        h.init(); h.update(encoded.subarray(i * size, i * size + size));
        const inner = h.digest("binary");
        h.init(); h.update(inner);
        leaves.set(h.digest("binary"), i * 32);
      }
    } else if (m.kind === "tokens") {
      // Node i as the JSON token ,"0x<64 hex digits>" (69 bytes).
      const src = new Uint8Array(m.nodes), tokens = new Uint8Array(m.tokens);
      for (let i = m.from; i < m.to; i++) {
        let at = i * 69;
        tokens[at++] = 44; tokens[at++] = 34; tokens[at++] = 48; tokens[at++] = 120;
        for (let j = i * 32, e = j + 32; j < e; j++) {
          const b = src[j];
          tokens[at++] = HEX[b >> 4]; tokens[at++] = HEX[b & 15];
        }
        tokens[at] = 34;
      }
    } else if (m.kind === "proofs") {
      proofs(m);
    } else if (m.kind === "nodes") {
      for (let i = m.from; i < m.to; i++) {
        const a = (2 * i + 1) * 32, b = a + 32;
        let d = 0;
        for (let j = 0; j < 32 && d === 0; j++) d = nodes[a + j] - nodes[b + j];
        if (d <= 0) { pair.set(nodes.subarray(a, a + 32), 0); pair.set(nodes.subarray(b, b + 32), 32); }
        else { pair.set(nodes.subarray(b, b + 32), 0); pair.set(nodes.subarray(a, a + 32), 32); }
        h.init(); h.update(pair);
        nodes.set(h.digest("binary"), i * 32);
      }
    }
    Atomics.add(done, 0, 1);
    Atomics.notify(done, 0);
  });
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
`;

/** The shared buffers of one build. */
export interface SharedTreeBuffers {
  /** `abi.encode` of every leaf, `size` bytes each. */
  encoded: SharedArrayBuffer;
  size: number;
  /** Leaf hashes in input order. */
  leaves: SharedArrayBuffer;
  /** All 2n - 1 nodes. */
  nodes: SharedArrayBuffer;
}

/** A job: hash leaves [from, to) or inner nodes [from, to) of the buffers set by `setBuffers`. */
export interface HashJob {
  kind: "leaves" | "nodes";
  from: number;
  to: number;
}

/** A job: write the JSON tokens of nodes [from, to) (69 bytes each) into `tokens`. */
export interface TokenJob {
  kind: "tokens";
  nodes: SharedArrayBuffer;
  tokens: SharedArrayBuffer;
  from: number;
  to: number;
}

/** A job: format proofs-file entries of tree indices [from, to) into `out`; length goes to `lengths[slot]`. */
export interface ProofsJob {
  kind: "proofs";
  out: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  slot: number;
  tokens: SharedArrayBuffer;
  json: SharedArrayBuffer;
  offsets: SharedArrayBuffer;
  valueAt: SharedArrayBuffer;
  nodeCount: number;
  from: number;
  to: number;
}

/** Threads that hash jobs over shared buffers; the caller waits synchronously. */
export class HashPool {
  readonly size: number;
  readonly #workers: Worker[];
  readonly #done: Int32Array;
  #expected = 0;
  #next = 0;

  private constructor(size: number) {
    this.size = size;
    const control = new SharedArrayBuffer(4);
    this.#done = new Int32Array(control);
    const hashWasm = createRequire(import.meta.url).resolve("hash-wasm");
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { hashWasm, control } });
      worker.unref(); // an idle pool never keeps the process alive
      return worker;
    });
    this.#expected = size; // each worker reports once when its keccak is ready
    this.wait();
  }

  static #shared: HashPool | undefined;

  /**
   * The process-wide pool, started on first use.
   * @param threads Wanted number of threads (default: available parallelism, at most 4).
   * @returns The pool.
   */
  static get(threads = Math.min(4, availableParallelism())): HashPool {
    if (!HashPool.#shared || HashPool.#shared.size < threads) {
      HashPool.#shared?.close();
      HashPool.#shared = new HashPool(threads);
    }
    return HashPool.#shared;
  }

  /** Hands the buffers of a build to every thread. */
  setBuffers(buffers: SharedTreeBuffers): void {
    for (const worker of this.#workers) worker.postMessage({ kind: "buffers", ...buffers });
    this.#expected += this.size; // every message is acknowledged, this one too
  }

  /** Queues a job on the next thread (round robin). */
  post(job: HashJob | TokenJob | ProofsJob): void {
    this.#workers[this.#next++ % this.size].postMessage(job);
    this.#expected++;
  }

  /** Splits [from, to) into one job a thread (`make` builds each) and queues them. */
  postSplit(
    kind: HashJob["kind"],
    from: number,
    to: number,
    make?: (from: number, to: number) => TokenJob,
  ): void {
    const step = Math.ceil((to - from) / this.size);
    for (let a = from; a < to; a += step) {
      const b = Math.min(to, a + step);
      this.post(make ? make(a, b) : { kind, from: a, to: b });
    }
  }

  /** Blocks until every queued job is done. */
  wait(): void {
    for (;;) {
      const seen = Atomics.load(this.#done, 0);
      if (seen >= this.#expected) break;
      if (
        Atomics.wait(this.#done, 0, seen, 120_000) === "timed-out" &&
        Atomics.load(this.#done, 0) === seen
      ) {
        this.close();
        HashPool.#shared = undefined;
        throw new Error("Merkle hashing threads made no progress for 120 s");
      }
    }
    Atomics.sub(this.#done, 0, this.#expected);
    this.#expected = 0;
  }

  /** Stops the threads. */
  close(): void {
    for (const worker of this.#workers) void worker.terminate();
  }
}
