/**
 * Span attribution on worker threads. The index's arrays are copied once into shared memory;
 * the calling thread encodes the outputs in requests that the first free worker matches, and
 * each worker sends back its credits, which are sums of integers (see {@link SpanCredits}): the
 * result, and the root, do not depend on the number of workers or on which worker matched which
 * output. Workers load only shared-index.ts and what it imports, so they start quickly.
 */
import { startProgress, type ProgressOptions } from "./progress.js";
import {
  creditRequest,
  shardedView,
  type CreditReply,
  type CreditRequest,
  type SharedIndexParts,
  type SpanSource,
} from "./shared-index.js";
import { ShardedSpanIndex, SpanCredits, type InferenceOutput } from "./span-index.js";
import { defaultWorkerCount, WorkerPool } from "./worker-pool.js";

export { defaultWorkerCount } from "./worker-pool.js";

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

const WORKER_URL = new URL("./credit-worker.ts", import.meta.url);

/** A pool of attribution workers over one index. */
export class CreditPool {
  private constructor(
    readonly index: SpanSource,
    readonly minSpan: number,
    private readonly _pool: WorkerPool<CreditRequest, CreditReply>,
  ) {}

  get size(): number {
    return this._pool.size;
  }

  /** Starts `workers` workers (>= 1) sharing the index. */
  static open(index: SpanSource, minSpan: number, workers: number): CreditPool {
    const parts = sharedIndexParts(index);
    return new CreditPool(index, minSpan, new WorkerPool(WORKER_URL, { parts, minSpan }, workers));
  }

  /**
   * Matches `outputs` on the first free worker; resolves to that worker's credits. Requests
   * queue while every worker is busy, so the caller can encode the next ones meanwhile.
   */
  submit(outputs: readonly InferenceOutput[]): Promise<CreditReply> {
    const req = encodeBatch(this.index, outputs, this._pool.nextId());
    return this._pool.submit(req, [req.ids.buffer as ArrayBuffer, req.offsets.buffer as ArrayBuffer]);
  }

  /** Stops the workers. */
  close(): Promise<void> {
    return this._pool.close();
  }
}

/** Requests a worker may have outstanding (encoded, a few hundred KB each) before the reader waits. */
const MAX_REQUESTS_PER_WORKER = 8;

/** Options of {@link creditOutputsParallel}. */
export interface ParallelOptions {
  /** Worker threads (default {@link defaultWorkerCount}); 1 matches on the calling thread. */
  workers?: number;
  /** Outputs per request sent to a worker (default 256). */
  batch?: number;
  /** Expected number of outputs, for the progress bar (0: no bar). */
  expected?: number;
  progress?: ProgressOptions;
}

/**
 * Matches every output against the index on worker threads and returns the summed credits. The
 * calling thread reads and encodes the outputs in requests of `batch` while the workers match
 * earlier ones (at most {@link MAX_REQUESTS_PER_WORKER} requests a worker outstanding, so the
 * encoding runs ahead while the workers start); a free worker takes the next request, so a slow
 * or descheduled worker holds up no other.
 */
export async function creditOutputsParallel(
  index: SpanSource,
  outputs: Iterable<InferenceOutput> | AsyncIterable<InferenceOutput>,
  minSpan: number,
  options: ParallelOptions = {},
): Promise<SpanCredits> {
  const workers = options.workers ?? defaultWorkerCount();
  const batchSize = options.batch ?? 256;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch must be an integer >= 1, got ${batchSize}`);
  // A reopened stored index reads its shards now, before the workers share them.
  if (index instanceof ShardedSpanIndex) await index.load();
  const credits = new SpanCredits(index.corpus.contributions.length);
  const bar = startProgress("attributing outputs", options.expected ?? 0, options.progress ?? {});
  const pool = workers > 1 ? CreditPool.open(index, minSpan, workers) : undefined;
  const inFlight: Promise<CreditReply>[] = [];
  const settle = (reply: CreditReply) => {
    mergeReply(credits, reply);
    for (let i = 0; i < reply.outputs; i++) bar.tick();
  };
  try {
    let batch: InferenceOutput[] = [];
    const flush = async () => {
      if (pool) {
        const reply = pool.submit(batch);
        // Awaited below, in order; the handler only keeps an early failure from being unhandled.
        reply.catch(() => undefined);
        inFlight.push(reply);
        while (inFlight.length >= MAX_REQUESTS_PER_WORKER * workers) settle(await inFlight.shift()!);
      } else settle(creditRequest(index, minSpan, encodeBatch(index, batch, 0)));
      batch = [];
    };
    for await (const output of outputs) {
      batch.push(output);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    while (inFlight.length > 0) settle(await inFlight.shift()!);
  } finally {
    await pool?.close();
  }
  bar.done();
  return credits;
}
