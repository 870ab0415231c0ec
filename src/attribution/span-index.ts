/**
 * Span-match index (docs/attribution.md, specification version 1): a suffix array over the
 * corpus token stream, in the spirit of infini-gram.
 *
 * Spans (deterministic, independent of the scan direction): for each output position i, L(i) is
 * the length of the longest token span starting at i that occurs somewhere in the corpus. The
 * spans of an output are its maximal exact matches: [i, i + L(i)) for every i whose span is not
 * contained in the span of an earlier position (i + L(i) > max over j < i of j + L(j)), with
 * L(i) >= `minSpan`. Unlike greedy left-to-right matching, a longer span starting inside an
 * earlier one is found. Each output token covered by spans is credited once, to the longest span
 * covering it (ties: the earliest). Spans never cross a document boundary (every document ends
 * with a separator no output token equals) and tokens unknown to the corpus match nothing.
 */
import type { Corpus } from "./corpus.js";
import { startProgress, type ProgressOptions } from "./progress.js";
import { buildSuffixArray } from "./suffix-array.js";

/** A maximal span of an output found in the corpus. */
export interface SpanMatch {
  /** Token offset in the output. */
  start: number;
  /** Length in tokens. */
  length: number;
  /** Output tokens credited through this span (those whose longest covering span it is). */
  credited: number;
  /** Indexes of the corpus documents containing the span, ascending. */
  documents: number[];
}

/** Suffix-array index of a corpus. */
export class SpanIndex {
  readonly corpus: Corpus;
  /** Suffix array of `corpus.tokens`. */
  readonly suffixArray: Int32Array;
  /** bucketStart[t]..bucketStart[t+1]: the suffix-array interval of suffixes starting with token t. */
  private readonly _bucketStart: Int32Array;
  private readonly _documentCache = new Map<number, number[]>();

  private constructor(corpus: Corpus, suffixArray: Int32Array, bucketStart: Int32Array) {
    this.corpus = corpus;
    this.suffixArray = suffixArray;
    this._bucketStart = bucketStart;
  }

  /** An index from parts already built (a worker thread's view of shared arrays, or a reopened index). */
  static fromParts(corpus: Corpus, suffixArray: Int32Array, bucketStart: Int32Array): SpanIndex {
    return new SpanIndex(corpus, suffixArray, bucketStart);
  }

  /** bucketStart[t]: first suffix-array slot of token t (length maxId + 2). */
  get bucketStart(): Int32Array {
    return this._bucketStart;
  }

  /** Builds the suffix array of the corpus (linear time, SA-IS). */
  static build(corpus: Corpus, progress: ProgressOptions = {}): SpanIndex {
    const bar = startProgress("indexing: suffix array", 1, progress);
    const upper = corpus.dictionary.maxId;
    const sa = buildSuffixArray(corpus.tokens, upper);
    const bucketStart = new Int32Array(upper + 2);
    for (let i = 0; i < corpus.tokens.length; i++) bucketStart[corpus.tokens[i] + 1]++;
    for (let t = 0; t <= upper; t++) bucketStart[t + 1] += bucketStart[t];
    bar.tick();
    bar.done();
    return new SpanIndex(corpus, sa, bucketStart);
  }

  /**
   * Longest span of `output` starting at `start` that occurs in the corpus: its length and the
   * suffix-array interval [lo, hi) of its occurrences (empty when length is 0).
   */
  longestAt(output: Uint32Array, start: number): { length: number; lo: number; hi: number } {
    const text = this.corpus.tokens;
    const sa = this.suffixArray;
    const first = output[start];
    if (first === undefined || first + 1 >= this._bucketStart.length || first === 0)
      return { length: 0, lo: 0, hi: 0 };
    let lo = this._bucketStart[first];
    let hi = this._bucketStart[first + 1];
    if (lo >= hi) return { length: 0, lo: 0, hi: 0 };
    let d = 1;
    // Invariant: every suffix in [lo, hi) starts with output[start .. start+d). Those tokens are
    // real tokens, never the separator, so sa[k] + d stays inside the stream (it ends with one).
    while (start + d < output.length) {
      const tok = output[start + d];
      // First k in [lo, hi) whose token at offset d is >= tok.
      let a = lo;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (text[sa[mid] + d] < tok) a = mid + 1;
        else b = mid;
      }
      if (a === hi || text[sa[a] + d] !== tok) break;
      // First k in [a, hi) whose token at offset d is > tok.
      let c = a + 1;
      b = hi;
      while (c < b) {
        const mid = (c + b) >>> 1;
        if (text[sa[mid] + d] <= tok) c = mid + 1;
        else b = mid;
      }
      lo = a;
      hi = c;
      d++;
    }
    return { length: d, lo, hi };
  }

  /** Distinct documents of the suffixes in [lo, hi), ascending. */
  documentsOf(lo: number, hi: number): number[] {
    const cacheable = hi - lo > 32;
    const key = lo * 2 ** 32 + hi;
    if (cacheable) {
      const cached = this._documentCache.get(key);
      if (cached !== undefined) return cached;
    }
    const starts = this.corpus.documentStarts;
    const found = new Set<number>();
    for (let k = lo; k < hi; k++) {
      const pos = this.suffixArray[k];
      // Last document whose start <= pos.
      let a = 0;
      let b = starts.length - 1;
      while (a < b) {
        const mid = (a + b + 1) >>> 1;
        if (starts[mid] <= pos) a = mid;
        else b = mid - 1;
      }
      found.add(a);
    }
    const docs = [...found].sort((x, y) => x - y);
    if (cacheable) this._documentCache.set(key, docs);
    return docs;
  }

  /** The maximal spans of at least `minSpan` tokens, by start, with their credited tokens (module doc). */
  match(output: Uint32Array, minSpan: number): SpanMatch[] {
    return selectSpans(output.length, minSpan, (i) => {
      const { length, lo, hi } = this.longestAt(output, i);
      return { length, documents: () => this.documentsOf(lo, hi) };
    });
  }
}

/** The longest corpus match starting at one output position, and (lazily) its documents. */
export interface LongestMatch {
  length: number;
  documents: () => number[];
}

/**
 * The spans of an output of `n` tokens (module doc), given the longest match at each position:
 * the maximal ones of at least `minSpan` tokens, each output token credited to its longest
 * covering span (the earliest on a tie).
 */
export function selectSpans(n: number, minSpan: number, longestAt: (i: number) => LongestMatch): SpanMatch[] {
  if (!Number.isSafeInteger(minSpan) || minSpan < 1)
    throw new RangeError(`minSpan must be >= 1, got ${minSpan}`);
  const found: { start: number; length: number; match: LongestMatch }[] = [];
  let reach = 0;
  for (let i = 0; i < n; i++) {
    // A span that cannot pass the reach of earlier spans is contained in one of them.
    if (n - i < minSpan || n <= reach) break;
    const match = longestAt(i);
    if (i + match.length <= reach) continue;
    reach = i + match.length;
    if (match.length >= minSpan) found.push({ start: i, length: match.length, match });
  }
  if (found.length === 0) return [];
  const owner = new Int32Array(n).fill(-1);
  for (let s = 0; s < found.length; s++) {
    const f = found[s];
    for (let p = f.start; p < f.start + f.length; p++) {
      const o = owner[p];
      if (o === -1 || found[o].length < f.length) owner[p] = s;
    }
  }
  const credited = new Int32Array(found.length);
  for (let p = 0; p < owner.length; p++) if (owner[p] !== -1) credited[owner[p]]++;
  return found.map((f, s) => ({
    start: f.start,
    length: f.length,
    credited: credited[s],
    documents: f.match.documents(),
  }));
}

/**
 * The spans of an output against a corpus split in shards (each a suffix array over some of its
 * documents, one token dictionary): the longest match at a position is the longest over the
 * shards, held by the documents of every shard reaching that length. Documents are numbered
 * globally: shard s's document d is `docOffsets[s] + d`.
 */
export function matchShards(
  shards: readonly SpanIndex[],
  docOffsets: readonly number[],
  output: Uint32Array,
  minSpan: number,
): SpanMatch[] {
  if (shards.length === 1) return shards[0].match(output, minSpan);
  return selectSpans(output.length, minSpan, (i) => {
    const hits = shards.map((shard) => shard.longestAt(output, i));
    const length = Math.max(0, ...hits.map((h) => h.length));
    return {
      length,
      documents: () =>
        hits.flatMap((h, s) =>
          h.length === length && length > 0
            ? shards[s].documentsOf(h.lo, h.hi).map((d) => d + docOffsets[s])
            : [],
        ),
    };
  });
}

/**
 * Per-contribution span credit, kept exact: for contribution c, `byShare[c]` maps k to the
 * number of output tokens credited through spans that occurred in exactly k contributions.
 * Contribution c's credit is the sum over k of tokens / k. Sums of integers: the order in which
 * outputs are credited (or workers merged) never changes the result.
 */
export class SpanCredits {
  readonly byShare: Map<number, number>[];
  /** Number of matched spans and matched tokens over all outputs. */
  spans = 0;
  matchedTokens = 0;
  outputs = 0;

  constructor(contributionCount: number) {
    this.byShare = Array.from({ length: contributionCount }, () => new Map<number, number>());
  }

  /**
   * Credits one match: the `credited` tokens of a span found in `documents` are shared by the k
   * contributions of those documents (a document shared by several contributions counts each);
   * each of them is credited credited / k.
   */
  add(corpus: Corpus, match: SpanMatch): void {
    let k = 0;
    for (const d of match.documents) k += corpus.documents[d].contributions.length;
    if (k === 0) return;
    for (const d of match.documents) {
      for (const c of corpus.documents[d].contributions) this.addShare(c, k, match.credited);
    }
    this.spans++;
    this.matchedTokens += match.credited;
  }

  /** Adds `tokens` credited tokens shared k ways to contribution `c`. */
  addShare(c: number, k: number, tokens: number): void {
    const m = this.byShare[c];
    m.set(k, (m.get(k) ?? 0) + tokens);
  }

  /** Adds another accumulator's credits (same corpus) into this one. */
  merge(other: SpanCredits): void {
    other.byShare.forEach((m, c) => {
      for (const [k, tokens] of m) this.addShare(c, k, tokens);
    });
    this.spans += other.spans;
    this.matchedTokens += other.matchedTokens;
    this.outputs += other.outputs;
  }
}

/** An inference output of one model and epoch (one line of the outputs JSONL file). */
export interface InferenceOutput {
  id: string;
  text: string;
}

/** Matches every output against the index and accumulates contribution credits. */
export function creditOutputs(
  index: SpanIndex,
  outputs: Iterable<InferenceOutput>,
  minSpan: number,
  credits: SpanCredits = new SpanCredits(index.corpus.contributions.length),
): SpanCredits {
  for (const output of outputs) creditOutput(index, output, minSpan, credits);
  return credits;
}

/** Matches one output and adds its credits. */
export function creditOutput(
  index: SpanIndex,
  output: InferenceOutput,
  minSpan: number,
  credits: SpanCredits,
): void {
  const ids = index.corpus.dictionary.encode(output.text);
  for (const m of index.match(ids, minSpan)) credits.add(index.corpus, m);
  credits.outputs++;
}
