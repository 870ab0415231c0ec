/**
 * What an attribution worker thread needs, and nothing more (it loads only this module, the span
 * index and the tokenizer): the index's arrays as shared memory, the request and reply shapes,
 * and the matching of one request. The pool that starts the workers is in parallel.ts.
 */
import type { Corpus, ManifestEntry } from "./corpus.js";
import { ShardedSpanIndex, SpanCredits, SpanIndex } from "./span-index.js";
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
