/**
 * Off-chain attribution engine, specified in docs/attribution.md (version
 * {@link ATTRIBUTION_SPEC_VERSION}): from accepted contributions (text files named by their
 * keccak256) and a batch of inference outputs, a deterministic integer weight table per model
 * and epoch, ready for a StandardMerkleTree of `[contributor, weight]` leaves.
 *
 * Method `span-match`: suffix-array index of the contributions' tokens; the maximal spans of at
 * least `minSpan` tokens each output shares with the corpus; each output token credited once,
 * to its longest covering span, shared equally by the k contributions containing it (exact
 * rationals); weights by largest remainder over contributions, summed per contributor.
 * Method `datanet-size`: the model's datanet weights (basis points) spread over each datanet's
 * contributions by size.
 */
import { readFile } from "node:fs/promises";
import { contentHashOf, readManifest, type ManifestEntry } from "./corpus.js";
import { countJsonlLines, readOutputsJsonl } from "./outputs.js";
import { creditOutputsParallel } from "./parallel.js";
import type { SpanSource } from "./shared-index.js";
import type { ProgressOptions } from "./progress.js";
import type { SpanIndex } from "./span-index.js";
import { buildSpanIndexOnWorkers, type SpanIndexBuildOptions } from "./span-index-build.js";
import { ATTRIBUTION_SPEC_VERSION } from "./spec.js";
import { spanWeightTable, type TableInputs, type WeightTable } from "./weights.js";

export * from "./corpus.js";
export * from "./corpus-runs.js";
export * from "./index-store.js";
export * from "./outputs.js";
export * from "./parallel.js";
export * from "./progress.js";
export * from "./shared-index.js";
export * from "./span-index.js";
export * from "./span-index-build.js";
export * from "./suffix-array-merge.js";
export * from "./spec.js";
export * from "./suffix-array.js";
export * from "./table-io.js";
export * from "./tokenizer.js";
export {
  apportion,
  datanetWeightTable,
  DEFAULT_TOTAL_WEIGHT,
  exactSpanCredits,
  spanWeightTable,
  tableMethodId,
  type ContributionWeight,
  type PublishedInput,
  type TableInputs,
  type TableParams,
  type WeightEntry,
  type WeightTable,
} from "./weights.js";

/** Default minimum span length, in tokens, for method 1. */
export const DEFAULT_MIN_SPAN = 8;

/**
 * Loads and hash-checks the corpus, tokenizes it and builds its suffix array, on worker threads
 * when large ({@link buildSpanIndexOnWorkers}).
 */
export async function buildSpanIndex(
  corpusDir: string,
  manifest: readonly ManifestEntry[] | string,
  progress: ProgressOptions = {},
  options: SpanIndexBuildOptions = {},
): Promise<SpanIndex> {
  const entries = typeof manifest === "string" ? await readManifest(manifest) : manifest;
  return buildSpanIndexOnWorkers(corpusDir, entries, progress, options);
}

/** Options of {@link attributeOutputsFile}. */
export interface SpanAttributionOptions {
  modelId: bigint;
  epoch: bigint;
  /** Default {@link DEFAULT_MIN_SPAN}. */
  minSpan?: number;
  totalWeight?: bigint;
  progress?: ProgressOptions;
  /** Worker threads (default: one per core; 1 matches on the calling thread). */
  workers?: number;
  /** Where the outputs file is published (recorded with its keccak256 in the table's inputs). */
  outputsUri?: string;
  /** The datanet versions the corpus holds (recorded in the table's inputs). */
  versions?: TableInputs["versions"];
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
  index: SpanSource,
  outputsPath: string,
  options: SpanAttributionOptions,
): Promise<SpanAttributionResult> {
  const minSpan = options.minSpan ?? DEFAULT_MIN_SPAN;
  const expected = options.progress?.quiet === true ? 0 : await countJsonlLines(outputsPath);
  const credits = await creditOutputsParallel(index, readOutputsJsonl(outputsPath), minSpan, {
    workers: options.workers,
    expected,
    progress: options.progress,
  });
  let inputs: TableInputs | undefined;
  if (options.outputsUri !== undefined || options.versions !== undefined) {
    inputs = { versions: options.versions ?? [] };
    if (options.outputsUri !== undefined)
      inputs.outputs = {
        uri: options.outputsUri,
        contentHash: await contentHashOf(await readFile(outputsPath)),
        count: credits.outputs,
      };
  }
  const table = spanWeightTable(index.corpus, credits, { ...options, minSpan, inputs });
  return { table, outputs: credits.outputs, spans: credits.spans, matchedTokens: credits.matchedTokens };
}
export * from "./tree.js";
export * from "./weight-sum.js";
