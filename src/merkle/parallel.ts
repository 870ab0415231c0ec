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
  post(job: HashJob): void {
    this.#workers[this.#next++ % this.size].postMessage(job);
    this.#expected++;
  }

  /** Splits [from, to) into one job a thread and queues them. */
  postSplit(kind: HashJob["kind"], from: number, to: number): void {
    const step = Math.ceil((to - from) / this.size);
    for (let a = from; a < to; a += step) {
      const b = Math.min(to, a + step);
      this.post({ kind, from: a, to: b });
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
