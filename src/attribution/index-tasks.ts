/**
 * The tasks of building a span index that run on worker threads (index-store.ts and
 * span-index-build.ts order them): tokenizing a run of documents with a dictionary of its own,
 * building and writing one shard's suffix array, and, for the in-memory index, building a suffix
 * array into shared memory and merging two of them (suffix-array-merge.ts). The calling thread merges the runs' dictionaries in corpus
 * order, which gives every token the id a single pass over the corpus would (ids by first
 * occurrence), so the files do not depend on the number of workers. Workers load only this
 * module and what it imports.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createKeccak } from "hash-wasm";
import { readContributionFile } from "./corpus.js";
import { buildSuffixArray } from "./suffix-array.js";
import { mergeSuffixArrayBuckets, type SuffixArrayHalves } from "./suffix-array-merge.js";
import { decodeUtf8, forEachTokenId, TokenDictionary } from "./tokenizer.js";
import type { PoolMessage } from "./worker-pool.js";

/** Tokenize the contents `hashes` (in that order) read from `corpusDir`. */
export interface TokenizeRequest extends PoolMessage {
  kind: "tokenize";
  corpusDir: string;
  hashes: string[];
}

/** A run of documents tokenized with its own dictionary. */
export interface TokenizedRun {
  /** Bytes read. */
  bytes: number;
  /** Tokens of each document (no separators). */
  docLengths: Int32Array;
  /** The documents' tokens one after the other, as ids of `words` (id i is `words[i - 1]`). */
  ids: Uint32Array;
  /** The run's tokens in order of first occurrence. */
  words: string[];
}

export type TokenizeReply = PoolMessage & TokenizedRun;

/** Build shard `n`'s suffix array over `tokens` (symbols <= `upper`) and write both files into `dir`. */
export interface ShardRequest extends PoolMessage {
  kind: "shard";
  dir: string;
  n: number;
  tokens: Uint32Array;
  upper: number;
}

/** Build the suffix array of `tokens` (symbols <= `upper`, in shared memory) into `into` (and `next`). */
export interface SuffixArrayRequest extends PoolMessage {
  kind: "suffix-array";
  tokens: Uint32Array;
  upper: number;
  into: Int32Array;
  next?: Int32Array;
}

/** Merge the buckets [from, to) of two halves' suffix arrays (suffix-array-merge.ts). */
export interface MergeRequest extends PoolMessage {
  kind: "merge";
  halves: SuffixArrayHalves;
  from: number;
  to: number;
  maxWork: number;
}

/** Whether a merge finished within its work budget. */
export interface MergeReply extends PoolMessage {
  merged: boolean;
}

export type IndexTaskRequest = TokenizeRequest | ShardRequest | SuffixArrayRequest | MergeRequest;

let hasher: Awaited<ReturnType<typeof createKeccak>> | undefined;

/** Reads (keccak256 checked) and tokenizes the contents `hashes` of `corpusDir`, in order. */
export async function tokenizeRun(corpusDir: string, hashes: readonly string[]): Promise<TokenizedRun> {
  hasher ??= await createKeccak(256);
  const dictionary = new TokenDictionary();
  const docLengths = new Int32Array(hashes.length);
  let ids = new Uint32Array(1 << 16);
  let length = 0;
  let bytes = 0;
  const push = (id: number) => {
    if (length === ids.length) {
      const bigger = new Uint32Array(ids.length * 2);
      bigger.set(ids);
      ids = bigger;
    }
    ids[length++] = id;
  };
  for (let d = 0; d < hashes.length; d++) {
    const data = await readContributionFile(corpusDir, hashes[d], hasher);
    bytes += data.length;
    const start = length;
    forEachTokenId(decodeUtf8(data), dictionary, true, push);
    docLengths[d] = length - start;
  }
  return { bytes, docLengths, ids: ids.slice(0, length), words: [...dictionary.tokens()] };
}

/** Builds the suffix array of one shard and writes `shard-<n>.tokens` and `shard-<n>.sa` into `dir`. */
export async function writeShard(dir: string, n: number, tokens: Uint32Array, upper: number): Promise<void> {
  const sa = buildSuffixArray(tokens, upper);
  await writeFile(
    join(dir, `shard-${n}.tokens`),
    new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength),
  );
  await writeFile(join(dir, `shard-${n}.sa`), new Uint8Array(sa.buffer, sa.byteOffset, sa.byteLength));
}

/** Runs one task (on a worker, or on the calling thread when building with one). */
export async function runIndexTask(req: IndexTaskRequest): Promise<TokenizeReply | MergeReply | PoolMessage> {
  switch (req.kind) {
    case "tokenize":
      return { id: req.id, ...(await tokenizeRun(req.corpusDir, req.hashes)) };
    case "shard":
      await writeShard(req.dir, req.n, req.tokens, req.upper);
      return { id: req.id };
    case "suffix-array":
      buildSuffixArray(req.tokens, req.upper, req.into, req.next);
      return { id: req.id };
    case "merge":
      return { id: req.id, merged: mergeSuffixArrayBuckets(req.halves, req.from, req.to, req.maxWork) };
  }
}
