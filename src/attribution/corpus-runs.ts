/**
 * Reading and tokenizing a corpus on worker threads, for the in-memory index ({@link loadCorpus})
 * and the stored one (index-store.ts). The contents, in content-hash order, are cut into runs of
 * about `runBytes`; each run is read, hash-checked and tokenized by a worker with a dictionary
 * of its own; the runs' dictionaries are merged on the calling thread in order, interning each
 * run's tokens in its order of first occurrence, which gives every token the id a single pass
 * over the corpus gives. The result does not depend on the number of workers or the run size.
 */
import {
  AttributionInputError,
  compareHex,
  type Corpus,
  type CorpusDocument,
  type ManifestEntry,
} from "./corpus.js";
import { runIndexTask, type IndexTaskRequest, type TokenizeReply } from "./index-tasks.js";
import { startProgress, type ProgressOptions } from "./progress.js";
import { SEPARATOR_TOKEN_ID, TokenDictionary } from "./tokenizer.js";
import { defaultWorkerCount, WorkerPool } from "./worker-pool.js";

/** Default bytes of contributed text (by the manifest's sizes) a worker reads and tokenizes at once. */
export const DEFAULT_RUN_BYTES = 4 << 20;

/** How a corpus is read. */
export interface CorpusReadOptions {
  /**
   * Worker threads (default: one per core for a corpus of more than two runs by the manifest's
   * sizes, else the calling thread alone; 1 reads on the calling thread).
   */
  workers?: number;
  /** Bytes of text a worker tokenizes at once (default {@link DEFAULT_RUN_BYTES}; no effect on the result). */
  runBytes?: number;
  progress?: ProgressOptions;
  /** Workers already running to read with (then `workers` is ignored, and they are left running). */
  runner?: IndexTaskRunner;
}

/** The distinct content hashes of a manifest in corpus order (ascending), cut into runs of about `runBytes`. */
export function corpusRuns(manifest: readonly ManifestEntry[], runBytes = DEFAULT_RUN_BYTES): string[][] {
  if (!(runBytes >= 1)) throw new RangeError(`runBytes must be >= 1, got ${runBytes}`);
  const size = new Map<string, number>();
  for (const m of manifest) {
    const h = m.contentHash.toLowerCase();
    size.set(h, Math.max(m.size, size.get(h) ?? 0));
  }
  const runs: string[][] = [];
  let run: string[] = [];
  let bytes = 0;
  for (const h of [...size.keys()].sort(compareHex)) {
    run.push(h);
    bytes += size.get(h)!;
    if (bytes >= runBytes) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** A task before the runner numbers it. */
type NewTask<T = IndexTaskRequest> = T extends IndexTaskRequest ? Omit<T, "id"> : never;

const INDEX_WORKER_URL = new URL("./index-worker.ts", import.meta.url);

/** Runs index tasks on a pool of workers, or on the calling thread when given one worker. */
export class IndexTaskRunner {
  private readonly _pool: WorkerPool<IndexTaskRequest, TokenizeReply> | undefined;
  private _next = 0;

  constructor(readonly workers: number) {
    this._pool =
      workers > 1
        ? new WorkerPool<IndexTaskRequest, TokenizeReply>(INDEX_WORKER_URL, undefined, workers, (reply) =>
            reply.inputError === true
              ? new AttributionInputError(reply.error)
              : new Error(`index worker: ${reply.error}`),
          )
        : undefined;
  }

  /** The number of workers `options` asks for, for a corpus cut in `runs` runs. */
  static workersFor(options: CorpusReadOptions, runs: number): number {
    return options.workers ?? (runs > 2 ? defaultWorkerCount() : 1);
  }

  /** Whether tasks leave the calling thread (then typed arrays sent are moved, not copied). */
  get threaded(): boolean {
    return this._pool !== undefined;
  }

  /** Runs a task (its id is set here); the promise never rejects unhandled, await it in turn. */
  run<R>(req: NewTask, transfer: ArrayBuffer[] = []): Promise<R> {
    const full = { ...req, id: this._next++ } as IndexTaskRequest;
    const reply = (this._pool ? this._pool.submit(full, transfer) : runIndexTask(full)) as Promise<R>;
    reply.catch(() => undefined);
    return reply;
  }

  close(): Promise<void> {
    return this._pool?.close() ?? Promise.resolve();
  }
}

/**
 * Reads the runs in order (tokenized ahead by up to two runs a worker) and calls `onDocument`
 * for every document with its tokens as ids of the run (`runIds`, valid during the call) and
 * the map from those ids to `dictionary`'s. Returns the bytes read.
 */
export async function tokenizeRuns(
  corpusDir: string,
  runs: readonly string[][],
  dictionary: TokenDictionary,
  runner: IndexTaskRunner,
  onDocument: (contentHash: string, runIds: Uint32Array, toCorpus: Uint32Array) => void | Promise<void>,
): Promise<number> {
  const tokenizing: Promise<TokenizeReply>[] = [];
  let submitted = 0;
  const feed = () => {
    while (submitted < runs.length && tokenizing.length < 2 * runner.workers)
      tokenizing.push(runner.run({ kind: "tokenize", corpusDir, hashes: runs[submitted++] }));
  };
  let bytes = 0;
  for (const run of runs) {
    feed();
    const r = await tokenizing.shift()!;
    feed();
    bytes += r.bytes;
    const toCorpus = new Uint32Array(r.words.length + 1);
    for (let w = 0; w < r.words.length; w++) toCorpus[w + 1] = dictionary.intern(r.words[w]);
    let p = 0;
    for (let d = 0; d < run.length; d++) {
      const count = r.docLengths[d];
      await onDocument(run[d], r.ids.subarray(p, p + count), toCorpus);
      p += count;
    }
  }
  return bytes;
}

/**
 * Reads every distinct content of `manifest` from `dir` (one file at a time, never the whole
 * corpus as one string), checks that keccak256 of its bytes equals its name, and tokenizes it
 * into one token stream, on worker threads for a large corpus. Documents are in ascending
 * content-hash order, which fixes the dictionary's ids. A missing file or a hash mismatch
 * throws {@link AttributionInputError}.
 */
export async function loadCorpus(
  dir: string,
  manifest: readonly ManifestEntry[],
  progress: ProgressOptions = {},
  options: CorpusReadOptions = {},
): Promise<Corpus> {
  const contributions = [...manifest].sort((a, b) => compareHex(a.contributionId, b.contributionId));
  const byHash = new Map<string, number[]>();
  contributions.forEach((c, i) => {
    const list = byHash.get(c.contentHash);
    if (list === undefined) byHash.set(c.contentHash, [i]);
    else list.push(i);
  });
  const runs = corpusRuns(manifest, options.runBytes);
  const runner = options.runner ?? new IndexTaskRunner(IndexTaskRunner.workersFor(options, runs.length));
  const dictionary = new TokenDictionary();
  let tokens = new Uint32Array(1 << 16);
  let length = 0;
  const documents: CorpusDocument[] = [];
  const bar = startProgress("indexing: reading", byHash.size, progress);
  let bytes: number;
  try {
    bytes = await tokenizeRuns(dir, runs, dictionary, runner, (contentHash, runIds, toCorpus) => {
      if (length + runIds.length + 1 > tokens.length) {
        const bigger = new Uint32Array(Math.max(tokens.length * 2, length + runIds.length + 1));
        bigger.set(tokens.subarray(0, length));
        tokens = bigger;
      }
      const start = length;
      for (let i = 0; i < runIds.length; i++) tokens[length++] = toCorpus[runIds[i]];
      tokens[length++] = SEPARATOR_TOKEN_ID;
      documents.push({
        contentHash,
        contributions: byHash.get(contentHash) ?? [],
        start,
        length: runIds.length,
      });
      bar.tick();
    });
  } finally {
    if (options.runner === undefined) await runner.close();
  }
  bar.done();
  // In shared memory when read on workers: the workers building the index read it in place.
  const stream = runner.threaded
    ? new Uint32Array(new SharedArrayBuffer(4 * length))
    : new Uint32Array(length);
  stream.set(tokens.subarray(0, length));
  return {
    contributions,
    documents,
    documentStarts: Uint32Array.from(documents, (d) => d.start),
    tokens: stream,
    dictionary,
    bytes,
  };
}
