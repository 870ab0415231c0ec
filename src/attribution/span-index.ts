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
   * Narrows a search state to the suffixes that start with `output[start .. start + limit)`,
   * token by token: `state` holds `[lo, hi, depth]`, the suffix-array interval of the suffixes
   * starting with the first `depth` tokens (depth 0: not begun). Stops at the first token no
   * suffix continues with; returns the depth reached (<= limit), the interval being that
   * depth's (non-empty when depth > 0).
   */
  extend(output: Uint32Array, start: number, limit: number, state: Int32Array): number {
    const text = this.corpus.tokens;
    const sa = this.suffixArray;
    let lo = state[0];
    let hi = state[1];
    let d = state[2];
    if (d === 0 && limit > 0) {
      const first = output[start];
      // The separator and tokens unknown to this shard match nothing.
      if (first === 0 || first + 1 >= this._bucketStart.length) return 0;
      lo = this._bucketStart[first];
      hi = this._bucketStart[first + 1];
      if (lo >= hi) return 0;
      d = 1;
    }
    // Invariant: every suffix in [lo, hi) starts with output[start .. start+d). Those tokens are
    // real tokens, never the separator, so sa[k] + d stays inside the stream (it ends with one).
    while (d < limit) {
      const tok = output[start + d];
      if (hi - lo === 1) {
        // One occurrence left: compare it directly.
        const at = sa[lo];
        while (d < limit && text[at + d] === output[start + d]) d++;
        break;
      }
      // Some k in [lo, hi) whose token at offset d is tok, narrowing [a, b) around it.
      let a = lo;
      let b = hi;
      let hit = -1;
      while (a < b) {
        const mid = (a + b) >>> 1;
        const t = text[sa[mid] + d];
        if (t < tok) a = mid + 1;
        else if (t > tok) b = mid;
        else {
          hit = mid;
          break;
        }
      }
      if (hit === -1) break;
      // First k in [a, hit] whose token at offset d is tok.
      let c = hit;
      while (a < c) {
        const mid = (a + c) >>> 1;
        if (text[sa[mid] + d] < tok) a = mid + 1;
        else c = mid;
      }
      // First k in [hit + 1, b) whose token at offset d is > tok.
      c = hit + 1;
      while (c < b) {
        const mid = (c + b) >>> 1;
        if (text[sa[mid] + d] <= tok) c = mid + 1;
        else b = mid;
      }
      lo = a;
      hi = c;
      d++;
    }
    state[0] = lo;
    state[1] = hi;
    state[2] = d;
    return d;
  }

  /**
   * Length of the longest prefix of `output[start .. start + limit)` that occurs in the corpus
   * (0 when its first token does not). One bisection of the first token's bucket for where the
   * whole prefix would sort: the suffix sharing the longest prefix with it is next to that
   * place, on one side or the other. Each step compares from the prefix its two bounds are known
   * to share (Manber and Myers), so a step costs one random read of the suffix array and one of
   * the text, then reads on in the text's cache line: about log2 of the bucket's size random
   * reads in all, where narrowing token by token ({@link extend}) bisects again at every depth.
   */
  matchLength(output: Uint32Array, start: number, limit: number): number {
    if (limit <= 0) return 0;
    const first = output[start];
    // The separator and tokens unknown to this shard match nothing.
    if (first === 0 || first + 1 >= this._bucketStart.length) return 0;
    const bucketLo = this._bucketStart[first];
    const bucketHi = this._bucketStart[first + 1];
    if (bucketLo >= bucketHi) return 0;
    if (limit === 1) return 1;
    const text = this.corpus.tokens;
    const sa = this.suffixArray;
    // Invariant: the suffixes in (lo, hi) all start with the first min(lcpLo, lcpHi) tokens of
    // the prefix; lo < bucketLo and hi >= bucketHi stand for the bucket's edges (sharing 1).
    // Suffix lo sorts before the prefix, suffix hi not (having the whole prefix counts as not).
    let lo = bucketLo - 1;
    let hi = bucketHi;
    let lcpLo = 1;
    let lcpHi = 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      let l = lcpLo < lcpHi ? lcpLo : lcpHi;
      // Tokens of the prefix are real tokens, never the separator, so the text (which ends with
      // one) is never read past its end.
      const at = sa[mid];
      while (l < limit && text[at + l] === output[start + l]) l++;
      if (l === limit || text[at + l] > output[start + l]) {
        hi = mid;
        lcpHi = l;
      } else {
        lo = mid;
        lcpLo = l;
      }
    }
    const below = lo >= bucketLo ? lcpLo : 0;
    const above = hi < bucketHi ? lcpHi : 0;
    return below > above ? below : above;
  }

  /**
   * Longest span of `output` starting at `start` that occurs in the corpus: its length and the
   * suffix-array interval [lo, hi) of its occurrences (empty when length is 0).
   */
  longestAt(output: Uint32Array, start: number): { length: number; lo: number; hi: number } {
    const state = new Int32Array(3);
    const length = this.extend(output, start, output.length - start, state);
    return length === 0 ? { length: 0, lo: 0, hi: 0 } : { length, lo: state[0], hi: state[1] };
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
    return matchShards([this], [0], output, minSpan);
  }
}

/**
 * The spans of an output (module doc) against a corpus split in shards (each a suffix array over
 * some of its documents, one token dictionary; a single index is one shard): the longest match at
 * a position is the longest over the shards, held by the documents of every shard reaching that
 * length. Documents are numbered globally: shard s's document d is `docOffsets[s] + d`.
 *
 * What the specification defines, position by position, is computed without matching every
 * position (docs/attribution.md, "The index"). Let reach be the end of the furthest span so far.
 * A position k whose window `output[k .. k + minSpan)` ends inside the reach (or just after it)
 * starts a new span exactly when `output[k .. reach]` (reach included) occurs; that holds for
 * every k from some point on (a suffix of an occurrence occurs), so the first such k is found by
 * galloping back and bisecting, and the positions before it, contained in earlier spans, are
 * never matched. A later position starts a span exactly when its window occurs, and a window
 * whose second half occurs nowhere rules out every window holding that half on one search. The
 * longest match is then found from each span start only ({@link SpanIndex.matchLength}). Work is
 * about linear in the output, where matching every position costs the square of each span's
 * length.
 */
export function matchShards(
  shards: readonly SpanIndex[],
  docOffsets: readonly number[],
  output: Uint32Array,
  minSpan: number,
): SpanMatch[] {
  if (!Number.isSafeInteger(minSpan) || minSpan < 1)
    throw new RangeError(`minSpan must be >= 1, got ${minSpan}`);
  const n = output.length;
  // The shard the last occurrence was found in is asked first (a copied passage lies in one
  // document): the answer is the same in any order.
  let lastShard = 0;
  // Does output[k .. end) occur in some shard?
  const occurs = (k: number, end: number): boolean => {
    if (shards[lastShard].matchLength(output, k, end - k) === end - k) return true;
    for (let s = 0; s < shards.length; s++) {
      if (s !== lastShard && shards[s].matchLength(output, k, end - k) === end - k) {
        lastShard = s;
        return true;
      }
    }
    return false;
  };
  // The first k in [from, last] from which output[k .. reach] (reach included) occurs, or
  // last + 1 if none (whether it occurs is monotone in k: a suffix of an occurrence occurs).
  const firstPassing = (from: number, last: number, reach: number): number => {
    if (!occurs(last, reach + 1)) return last + 1;
    let good = last; // output[good .. reach] occurs
    let bad = from - 1; // no k <= bad is wanted
    for (let step = 1; good > from; step *= 2) {
      const k = Math.max(from, good - step);
      if (occurs(k, reach + 1)) good = k;
      else {
        bad = k;
        break;
      }
    }
    while (good - bad > 1) {
      const mid = (good + bad) >> 1;
      if (occurs(mid, reach + 1)) good = mid;
      else bad = mid;
    }
    return good;
  };
  // The first j >= from whose window output[j .. j + minSpan) occurs, or n if none. A window
  // ending in a probe (its last `probe` tokens) that occurs nowhere does not occur, and neither
  // does any window holding that probe: the next minSpan - probe windows are skipped with it.
  const probe = Math.max(1, minSpan >> 1);
  const firstWindow = (from: number): number => {
    for (let j = from; j + minSpan <= n;) {
      const end = j + minSpan;
      if (probe < minSpan && !occurs(end - probe, end)) j = end - probe + 1;
      else if (occurs(j, end)) return j;
      else j++;
    }
    return n;
  };
  const found: { start: number; length: number; hits: number[] }[] = [];
  const lengths = new Int32Array(shards.length);
  const state = new Int32Array(3);
  // The end of the furthest span found so far (0 before the first). Only spans of at least
  // minSpan tokens need counting in it: a shorter match never reaches past a longer one starting
  // after it (j < k and j + L(j) >= k + L(k) >= k + minSpan give L(j) > minSpan).
  let reach = 0;
  let i = 0;
  while (i + minSpan <= n && reach < n) {
    // A window starting at or before `last` lies inside the reach but for its last token, so
    // the first position whose match passes the reach starts a span; after `last`, a position
    // starts one exactly when its window occurs (it then passes the reach).
    const last = reach + 1 - minSpan;
    let k: number;
    if (i <= last) {
      k = firstPassing(i, last, reach);
      if (k > last) {
        i = last + 1;
        continue;
      }
    } else {
      k = firstWindow(i);
      if (k + minSpan > n) break;
    }
    let length = 0;
    for (let s = 0; s < shards.length; s++) {
      lengths[s] = shards[s].matchLength(output, k, n - k);
      if (lengths[s] > length) length = lengths[s];
    }
    // length >= minSpan and k + length > reach, as found.
    reach = k + length;
    // The occurrences' suffix-array interval in every shard reaching the length.
    const hits: number[] = [];
    for (let s = 0; s < shards.length; s++)
      if (lengths[s] === length) {
        state[2] = 0;
        shards[s].extend(output, k, length, state);
        hits.push(s, state[0], state[1]);
      }
    found.push({ start: k, length, hits });
    i = k + 1;
  }
  if (found.length === 0) return [];
  // Each token to its longest covering span, the earliest on a tie (spans start and end in order).
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
  return found.map((f, s) => {
    const documents: number[] = [];
    for (let h = 0; h < f.hits.length; h += 3) {
      const shard = f.hits[h];
      for (const d of shards[shard].documentsOf(f.hits[h + 1], f.hits[h + 2]))
        documents.push(d + docOffsets[shard]);
    }
    return { start: f.start, length: f.length, credited: credited[s], documents };
  });
}

/** A corpus index made of shards (one or more suffix arrays sharing a dictionary). */
export class ShardedSpanIndex {
  private _shards: readonly SpanIndex[] | undefined;
  private _loading: Promise<void> | undefined;
  private readonly _loader: (() => Promise<SpanIndex[]>) | undefined;

  constructor(
    /** The whole corpus: contributions, documents numbered globally, the dictionary. Its token stream is not kept. */
    readonly corpus: Corpus,
    /** The shards, or how to load them (a reopened index reads them on first use: {@link load}). */
    shards: readonly SpanIndex[] | (() => Promise<SpanIndex[]>),
    /** Global number of each shard's first document. */
    readonly docOffsets: readonly number[],
    /** The key (directory name) of the stored index, when it came from a store. */
    readonly key?: string,
  ) {
    if (typeof shards === "function") this._loader = shards;
    else this._shards = shards;
  }

  /** Whether the shards are in memory (an index reopened from a store reads them on {@link load}). */
  get loaded(): boolean {
    return this._shards !== undefined;
  }

  /** The shards' suffix arrays; {@link load} first when the index was reopened from a store. */
  get shards(): readonly SpanIndex[] {
    if (this._shards === undefined)
      throw new Error("the stored index's shards are not read yet: await index.load() before matching");
    return this._shards;
  }

  /** Reads the shards if they are not in memory yet (once, however many callers wait). */
  async load(): Promise<this> {
    if (this._shards === undefined) {
      this._loading ??= this._loader!().then((shards) => {
        this._shards = shards;
      });
      await this._loading;
    }
    return this;
  }

  /** The spans of `output` (token ids of this index's dictionary). */
  match(output: Uint32Array, minSpan: number): SpanMatch[] {
    return matchShards(this.shards, this.docOffsets, output, minSpan);
  }
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
