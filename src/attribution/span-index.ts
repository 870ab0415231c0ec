/**
 * Method 1 index: a suffix array over the corpus token stream, in the spirit of infini-gram.
 *
 * Matching rule (deterministic): an output's tokens are scanned left to right. At position i
 * the longest token span starting at i that occurs somewhere in the corpus is found by
 * narrowing the suffix-array interval one token at a time (binary searches). If that span has
 * at least `minSpan` tokens it is a match: it is recorded and the scan resumes right after it
 * (greedy, non-overlapping); otherwise the scan moves to i + 1. Spans never cross a document
 * boundary (every document ends with a separator no output token equals) and tokens unknown to
 * the corpus match nothing.
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

  /** Greedy left-to-right maximal matches of at least `minSpan` tokens (see the module doc). */
  match(output: Uint32Array, minSpan: number): SpanMatch[] {
    if (!Number.isSafeInteger(minSpan) || minSpan < 1)
      throw new RangeError(`minSpan must be >= 1, got ${minSpan}`);
    const matches: SpanMatch[] = [];
    let i = 0;
    while (i < output.length) {
      const { length, lo, hi } = this.longestAt(output, i);
      if (length >= minSpan) {
        matches.push({ start: i, length, documents: this.documentsOf(lo, hi) });
        i += length;
      } else {
        i++;
      }
    }
    return matches;
  }
}

/**
 * Per-contribution span credit, kept exact: for contribution c, `byShare[c]` maps k to the
 * total length of matched spans that occurred in exactly k contributions. Contribution c's
 * credit is the sum over k of length / k tokens.
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
   * Credits one match: a span of `length` tokens found in `documents` is shared by the k
   * contributions of those documents (a document shared by several contributions counts each);
   * each of them is credited length / k.
   */
  add(corpus: Corpus, match: SpanMatch): void {
    let k = 0;
    for (const d of match.documents) k += corpus.documents[d].contributions.length;
    if (k === 0) return;
    for (const d of match.documents) {
      for (const c of corpus.documents[d].contributions) {
        const m = this.byShare[c];
        m.set(k, (m.get(k) ?? 0) + match.length);
      }
    }
    this.spans++;
    this.matchedTokens += match.length;
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

/** Progress-reporting variant of {@link creditOutputs} over an async source (e.g. a JSONL stream). */
export async function creditOutputStream(
  index: SpanIndex,
  outputs: AsyncIterable<InferenceOutput>,
  minSpan: number,
  expected: number,
  progress: ProgressOptions = {},
): Promise<SpanCredits> {
  const credits = new SpanCredits(index.corpus.contributions.length);
  const bar = startProgress("attributing outputs", expected, progress);
  for await (const output of outputs) {
    creditOutput(index, output, minSpan, credits);
    bar.tick();
  }
  bar.done();
  return credits;
}
