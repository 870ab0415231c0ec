/**
 * Building the in-memory span index on worker threads: the corpus is read and tokenized on the
 * workers ({@link loadCorpus}), then the two halves' suffix arrays are built on two of them at
 * once and merged into one, the buckets split between all of them (suffix-array-merge.ts). The
 * spans, tables and roots are those of {@link SpanIndex.build} on one thread.
 */
import type { Corpus, ManifestEntry } from "./corpus.js";
import { IndexTaskRunner, corpusRuns, loadCorpus, type CorpusReadOptions } from "./corpus-runs.js";
import type { MergeReply } from "./index-tasks.js";
import { startProgress, type ProgressOptions } from "./progress.js";
import { SpanIndex } from "./span-index.js";
import { bucketStartsOf, type SuffixArrayHalves } from "./suffix-array-merge.js";

/** Below this many tokens the suffix array is built on the calling thread. */
export const PARALLEL_SUFFIX_ARRAY_MIN_TOKENS = 1 << 20;
/** Tokens the merge may compare per suffix (on average) before it gives up (module doc). */
export const MERGE_WORK_PER_TOKEN = 16;

/** Suffixes a merge's budget counts beyond its own (small ranges are not cut short). */
const MERGE_WORK_SLACK = 1 << 16;

/** How the in-memory index is built. */
export interface SpanIndexBuildOptions extends CorpusReadOptions {
  /** Build the suffix array on the workers from this many tokens (default {@link PARALLEL_SUFFIX_ARRAY_MIN_TOKENS}). */
  parallelMinTokens?: number;
  /** The merge's budget, in tokens compared per suffix (default {@link MERGE_WORK_PER_TOKEN}). */
  mergeWorkPerToken?: number;
}

function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * length));
}

/**
 * The suffix array and bucket starts of `corpus` (its tokens in shared memory), built on the
 * runner's workers: the halves' suffix arrays at once, then the merge; the whole array in one
 * piece when the corpus is one document or the merge runs over its budget.
 */
async function suffixArrayOnWorkers(
  corpus: Corpus,
  runner: IndexTaskRunner,
  mergeWorkPerToken: number,
): Promise<{ suffixArray: Int32Array; bucketStart: Int32Array }> {
  const tokens = corpus.tokens;
  const n = tokens.length;
  const upper = corpus.dictionary.maxId;
  const suffixArray = sharedInt32(n);
  const bucketStart = bucketStartsOf(tokens, upper, sharedInt32(upper + 2));
  const whole = async () => {
    await runner.run({ kind: "suffix-array", tokens, upper, into: suffixArray });
    return { suffixArray, bucketStart };
  };
  // The first document starting in the second half of the stream.
  const cut = corpus.documents.find((d) => d.start >= n >>> 1)?.start ?? 0;
  if (cut === 0) return whole();
  const halves: SuffixArrayHalves = {
    tokens: new Int32Array(tokens.buffer, tokens.byteOffset, n),
    cut,
    first: sharedInt32(cut),
    second: sharedInt32(n - cut),
    firstNext: sharedInt32(cut),
    secondNext: sharedInt32(n - cut),
    firstStarts: sharedInt32(upper + 2),
    secondStarts: sharedInt32(upper + 2),
    out: suffixArray,
  };
  const built = Promise.all([
    runner.run({
      kind: "suffix-array",
      tokens: tokens.subarray(0, cut),
      upper,
      into: halves.first,
      next: halves.firstNext,
    }),
    runner.run({
      kind: "suffix-array",
      tokens: tokens.subarray(cut),
      upper,
      into: halves.second,
      next: halves.secondNext,
    }),
  ]);
  bucketStartsOf(tokens.subarray(0, cut), upper, halves.firstStarts);
  bucketStartsOf(tokens.subarray(cut), upper, halves.secondStarts);
  await built;
  // Buckets split in ranges of about equal numbers of suffixes, one per worker.
  const bounds = [0];
  for (let p = 1; p < runner.workers; p++) {
    let t = bounds[bounds.length - 1];
    while (t <= upper && bucketStart[t] < (n * p) / runner.workers) t++;
    bounds.push(t);
  }
  bounds.push(upper + 1);
  const ranges: [number, number][] = [];
  for (let r = 0; r + 1 < bounds.length; r++)
    if (bounds[r] < bounds[r + 1]) ranges.push([bounds[r], bounds[r + 1]]);
  const merged = await Promise.all(
    ranges.map(([a, b]) =>
      runner.run<MergeReply>({
        kind: "merge",
        halves,
        from: a,
        to: b,
        maxWork: mergeWorkPerToken * (bucketStart[b] - bucketStart[a] + MERGE_WORK_SLACK),
      }),
    ),
  );
  return merged.every((m) => m.merged) ? { suffixArray, bucketStart } : whole();
}

/**
 * Loads and hash-checks the corpus, tokenizes it (on worker threads when large) and builds its
 * suffix array (on worker threads too from {@link PARALLEL_SUFFIX_ARRAY_MIN_TOKENS} tokens).
 */
export async function buildSpanIndexOnWorkers(
  corpusDir: string,
  manifest: readonly ManifestEntry[],
  progress: ProgressOptions = {},
  options: SpanIndexBuildOptions = {},
): Promise<SpanIndex> {
  const runs = corpusRuns(manifest, options.runBytes);
  const runner = options.runner ?? new IndexTaskRunner(IndexTaskRunner.workersFor(options, runs.length));
  try {
    const corpus = await loadCorpus(corpusDir, manifest, progress, { ...options, runner });
    const minTokens = options.parallelMinTokens ?? PARALLEL_SUFFIX_ARRAY_MIN_TOKENS;
    if (!runner.threaded || corpus.tokens.length < minTokens) return SpanIndex.build(corpus, progress);
    const bar = startProgress("indexing: suffix array", 1, progress);
    const { suffixArray, bucketStart } = await suffixArrayOnWorkers(
      corpus,
      runner,
      options.mergeWorkPerToken ?? MERGE_WORK_PER_TOKEN,
    );
    bar.tick();
    bar.done();
    return SpanIndex.fromParts(corpus, suffixArray, bucketStart);
  } finally {
    if (options.runner === undefined) await runner.close();
  }
}
