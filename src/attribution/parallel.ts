/**
 * Span attribution on worker threads. The index's arrays are copied once into shared memory;
 * each worker matches a slice of every batch of outputs and sends back its credits, which are
 * sums of integers (see {@link SpanCredits}): the result, and the root, do not depend on the
 * number of workers or on which worker matched which output.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Corpus, ManifestEntry } from "./corpus.js";
import { ShardedSpanIndex } from "./index-store.js";
import { startProgress, type ProgressOptions } from "./progress.js";
import { SpanCredits, SpanIndex, type InferenceOutput } from "./span-index.js";
import { TokenDictionary } from "./tokenizer.js";

/** An index the workers can match against: one suffix array, or shards of one corpus. */
export type SpanSource = SpanIndex | ShardedSpanIndex;

/** The sharded view of a source (a single index is one shard). */
export function shardedView(source: SpanSource): ShardedSpanIndex {
  return source instanceof ShardedSpanIndex ? source : new ShardedSpanIndex(source.corpus, [source], [0]);
}

/** One shard's arrays in shared memory. */
export interface SharedShardParts {
  tokens: Uint32Array;
  suffixArray: Int32Array;
  bucketStart: Int32Array;
  documentStarts: Uint32Array;
}

/** The arrays of an index a worker needs, in shared memory. */
export interface SharedIndexParts {
  shards: SharedShardParts[];
  /** Global number of each shard's first document. */
  docOffsets: number[];
  /** Contributions of global document d: docContributions[docContribOffsets[d] .. docContribOffsets[d + 1]). */
  docContribOffsets: Int32Array;
  docContributions: Int32Array;
  contributionCount: number;
}

/** Work sent to a worker: outputs as token ids, output o is ids[offsets[o] .. offsets[o + 1]). */
export interface CreditRequest {
  id: number;
  ids: Uint32Array;
  offsets: Int32Array;
}

/** A worker's answer: (contribution, k, tokens) triples and its counters. */
export interface CreditReply {
  id: number;
  triples: Float64Array;
  spans: number;
  matchedTokens: number;
  outputs: number;
  error?: string;
}

function shared<T extends Uint32Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const buffer = new SharedArrayBuffer(a.byteLength);
  const copy = (a instanceof Uint32Array ? new Uint32Array(buffer) : new Int32Array(buffer)) as T;
  copy.set(a);
  return copy;
}

const partsCache = new WeakMap<object, SharedIndexParts>();

/** The source's arrays in shared memory (copied once per source). */
export function sharedIndexParts(source: SpanSource): SharedIndexParts {
  const cached = partsCache.get(source);
  if (cached) return cached;
  const view = shardedView(source);
  const docs = view.corpus.documents;
  const docContribOffsets = new Int32Array(docs.length + 1);
  docs.forEach((d, i) => (docContribOffsets[i + 1] = docContribOffsets[i] + d.contributions.length));
  const docContributions = new Int32Array(docContribOffsets[docs.length]);
  docs.forEach((d, i) => docContributions.set(d.contributions, docContribOffsets[i]));
  const parts: SharedIndexParts = {
    shards: view.shards.map((shard) => ({
      tokens: shared(shard.corpus.tokens),
      suffixArray: shared(shard.suffixArray),
      bucketStart: shared(shard.bucketStart),
      documentStarts: shared(shard.corpus.documentStarts),
    })),
    docOffsets: [...view.docOffsets],
    docContribOffsets: shared(docContribOffsets),
    docContributions: shared(docContributions),
    contributionCount: view.corpus.contributions.length,
  };
  partsCache.set(source, parts);
  return parts;
}

/** A worker-side index over shared parts (no dictionary: outputs arrive as token ids). */
export function indexFromParts(parts: SharedIndexParts): ShardedSpanIndex {
  const dictionary = new TokenDictionary();
  const count = parts.docContribOffsets.length - 1;
  const documents = Array.from({ length: count }, (_, d) => ({
    contentHash: "",
    contributions: Array.from(
      parts.docContributions.subarray(parts.docContribOffsets[d], parts.docContribOffsets[d + 1]),
    ),
    start: 0,
    length: 0,
  }));
  const corpusOf = (tokens: Uint32Array, documentStarts: Uint32Array): Corpus => ({
    contributions: new Array<ManifestEntry>(parts.contributionCount),
    documents,
    documentStarts,
    tokens,
    dictionary,
    bytes: 0,
  });
  const shards = parts.shards.map((p) =>
    SpanIndex.fromParts(corpusOf(p.tokens, p.documentStarts), p.suffixArray, p.bucketStart),
  );
  return new ShardedSpanIndex(corpusOf(new Uint32Array(0), new Uint32Array(0)), shards, parts.docOffsets);
}

/** Matches the outputs of a request and returns the credits as a reply (what a worker runs). */
export function creditRequest(source: SpanSource, minSpan: number, req: CreditRequest): CreditReply {
  const view = shardedView(source);
  const credits = new SpanCredits(view.corpus.contributions.length);
  const count = req.offsets.length - 1;
  for (let o = 0; o < count; o++) {
    const ids = req.ids.subarray(req.offsets[o], req.offsets[o + 1]);
    for (const m of view.match(ids, minSpan)) credits.add(view.corpus, m);
    credits.outputs++;
  }
  const triples: number[] = [];
  credits.byShare.forEach((m, c) => {
    for (const [k, tokens] of m) triples.push(c, k, tokens);
  });
  return {
    id: req.id,
    triples: Float64Array.from(triples),
    spans: credits.spans,
    matchedTokens: credits.matchedTokens,
    outputs: credits.outputs,
  };
}

function mergeReply(credits: SpanCredits, reply: CreditReply): void {
  for (let i = 0; i < reply.triples.length; i += 3)
    credits.addShare(reply.triples[i], reply.triples[i + 1], reply.triples[i + 2]);
  credits.spans += reply.spans;
  credits.matchedTokens += reply.matchedTokens;
  credits.outputs += reply.outputs;
}

function encodeBatch(index: SpanSource, outputs: readonly InferenceOutput[], id: number): CreditRequest {
  const encoded = outputs.map((o) => index.corpus.dictionary.encode(o.text));
  const offsets = new Int32Array(encoded.length + 1);
  encoded.forEach((e, i) => (offsets[i + 1] = offsets[i] + e.length));
  const ids = new Uint32Array(offsets[encoded.length]);
  encoded.forEach((e, i) => ids.set(e, offsets[i]));
  return { id, ids, offsets };
}

/** Default number of workers: one per core the process may use. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

const WORKER_URL = new URL("./credit-worker.ts", import.meta.url);

/** A pool of attribution workers over one index. */
export class CreditPool {
  private readonly _workers: Worker[] = [];
  private readonly _pending = new Map<
    number,
    { resolve: (r: CreditReply) => void; reject: (e: Error) => void }
  >();
  private _next = 0;

  private constructor(
    readonly index: SpanSource,
    readonly minSpan: number,
    readonly size: number,
  ) {}

  /** Starts `workers` workers (>= 1) sharing the index. */
  static open(index: SpanSource, minSpan: number, workers: number): CreditPool {
    if (!Number.isSafeInteger(workers) || workers < 1)
      throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
    const pool = new CreditPool(index, minSpan, workers);
    const parts = sharedIndexParts(index);
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(WORKER_URL, {
        workerData: { parts, minSpan },
        execArgv: ["--import", "tsx"],
      });
      worker.on("message", (reply: CreditReply) => {
        const p = pool._pending.get(reply.id);
        if (!p) return;
        pool._pending.delete(reply.id);
        if (reply.error !== undefined) p.reject(new Error(`attribution worker: ${reply.error}`));
        else p.resolve(reply);
      });
      worker.on("error", (error) => {
        for (const p of pool._pending.values()) p.reject(error);
        pool._pending.clear();
      });
      pool._workers.push(worker);
    }
    return pool;
  }

  /** Matches `outputs` (split over the workers) and adds their credits to `credits`. */
  async credit(outputs: readonly InferenceOutput[], credits: SpanCredits): Promise<void> {
    const per = Math.ceil(outputs.length / this.size);
    const replies: Promise<CreditReply>[] = [];
    for (let w = 0; w < this.size && w * per < outputs.length; w++) {
      const req = encodeBatch(this.index, outputs.slice(w * per, (w + 1) * per), this._next++);
      replies.push(
        new Promise<CreditReply>((resolve, reject) => {
          this._pending.set(req.id, { resolve, reject });
          this._workers[w].postMessage(req, [
            req.ids.buffer as ArrayBuffer,
            req.offsets.buffer as ArrayBuffer,
          ]);
        }),
      );
    }
    for (const reply of await Promise.all(replies)) mergeReply(credits, reply);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this._workers.map((w) => w.terminate()));
    this._workers.length = 0;
  }
}

/** Options of {@link creditOutputsParallel}. */
export interface ParallelOptions {
  /** Worker threads (default {@link defaultWorkerCount}); 1 matches on the calling thread. */
  workers?: number;
  /** Outputs per round (default 4,096). */
  batch?: number;
  /** Expected number of outputs, for the progress bar (0: no bar). */
  expected?: number;
  progress?: ProgressOptions;
}

/** Matches every output against the index on worker threads and returns the summed credits. */
export async function creditOutputsParallel(
  index: SpanSource,
  outputs: Iterable<InferenceOutput> | AsyncIterable<InferenceOutput>,
  minSpan: number,
  options: ParallelOptions = {},
): Promise<SpanCredits> {
  const workers = options.workers ?? defaultWorkerCount();
  const batchSize = options.batch ?? 4096;
  const credits = new SpanCredits(index.corpus.contributions.length);
  const bar = startProgress("attributing outputs", options.expected ?? 0, options.progress ?? {});
  const pool = workers > 1 ? CreditPool.open(index, minSpan, workers) : undefined;
  try {
    let batch: InferenceOutput[] = [];
    const flush = async () => {
      if (pool) await pool.credit(batch, credits);
      else mergeReply(credits, creditRequest(index, minSpan, encodeBatch(index, batch, 0)));
      for (let i = 0; i < batch.length; i++) bar.tick();
      batch = [];
    };
    for await (const output of outputs) {
      batch.push(output);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await pool?.close();
  }
  bar.done();
  return credits;
}
