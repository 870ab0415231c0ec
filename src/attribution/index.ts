/**
 * Off-chain attribution engine (issue 6): from accepted contributions (text files named by
 * their keccak256) and a batch of inference outputs, a deterministic integer weight table per
 * model and epoch, ready for a StandardMerkleTree of `[contributor, weight]` leaves.
 *
 * Method 1 (`span-match`): suffix-array index of the contributions' tokens; each output is
 * scanned for greedy maximal spans of at least `minSpan` tokens found in the corpus; a span of
 * length L found in k contributions credits each L/k tokens (exactly, as rationals); a
 * contributor's weight is their share of all credit, normalised to `totalWeight`.
 * Method 2 (`datanet-size`): the model's datanet weights (basis points) spread over each
 * datanet's contributions by size.
 */
import { loadCorpus, readManifest, type ManifestEntry } from "./corpus.js";
import { countJsonlLines, readOutputsJsonl } from "./outputs.js";
import type { ProgressOptions } from "./progress.js";
import { creditOutputStream, SpanIndex } from "./span-index.js";
import { spanWeightTable, type WeightTable } from "./weights.js";

export * from "./corpus.js";
export * from "./outputs.js";
export * from "./progress.js";
export * from "./span-index.js";
export * from "./suffix-array.js";
export * from "./table-io.js";
export * from "./tokenizer.js";
export * from "./weights.js";

/** Default minimum span length, in tokens, for method 1. */
export const DEFAULT_MIN_SPAN = 8;

/** Loads and hash-checks the corpus, tokenizes it and builds its suffix array. */
export async function buildSpanIndex(
  corpusDir: string,
  manifest: readonly ManifestEntry[] | string,
  progress: ProgressOptions = {},
): Promise<SpanIndex> {
  const entries = typeof manifest === "string" ? await readManifest(manifest) : manifest;
  const corpus = await loadCorpus(corpusDir, entries, progress);
  return SpanIndex.build(corpus, progress);
}

/** Options of {@link attributeOutputsFile}. */
export interface SpanAttributionOptions {
  modelId: bigint;
  epoch: bigint;
  /** Default {@link DEFAULT_MIN_SPAN}. */
  minSpan?: number;
  totalWeight?: bigint;
  progress?: ProgressOptions;
}

/** Result of {@link attributeOutputsFile}: the table and match statistics for logs. */
export interface SpanAttributionResult {
  table: WeightTable;
  /** Outputs read, matched spans credited, and tokens in those spans. */
  outputs: number;
  spans: number;
  matchedTokens: number;
}

/** Method 1 over a JSONL file of outputs (streamed), giving the epoch's weight table. */
export async function attributeOutputsFile(
  index: SpanIndex,
  outputsPath: string,
  options: SpanAttributionOptions,
): Promise<SpanAttributionResult> {
  const minSpan = options.minSpan ?? DEFAULT_MIN_SPAN;
  const expected = options.progress?.quiet === true ? 0 : await countJsonlLines(outputsPath);
  const credits = await creditOutputStream(
    index,
    readOutputsJsonl(outputsPath),
    minSpan,
    expected,
    options.progress,
  );
  const table = spanWeightTable(index.corpus, credits, { ...options, minSpan });
  return { table, outputs: credits.outputs, spans: credits.spans, matchedTokens: credits.matchedTokens };
}
export * from "./tree.js";
