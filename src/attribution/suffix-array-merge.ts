/**
 * One suffix array of a token stream of whole documents from the suffix arrays of its two
 * halves, so that the in-memory index is built on two threads (SA-IS itself is sequential).
 *
 * The stream is cut at a document boundary: the first half is `tokens[0, cut)`, the second
 * `tokens[cut, n)`, each ending with a separator. Each half's suffix array is built on its own
 * (in parallel, each recording the second token of every suffix beside it), then the two are
 * merged bucket by bucket (suffixes starting with the same token), the buckets split between
 * threads. Two suffixes are compared token by token up to the first
 * separator (the end of their documents): suffixes equal up to a separator keep no particular
 * order between them, which no span can tell apart, since a span never holds a separator
 * (docs/attribution.md, "The index"). On ordinary text the merge compares a few tokens a suffix;
 * a corpus of near-copies can make it compare far more, so it gives up past a work budget and
 * the caller builds the whole suffix array in one piece instead.
 */
import { SEPARATOR_TOKEN_ID } from "./tokenizer.js";

/** bucketStart[t]: the first suffix-array slot of token t in `tokens` (length upper + 2). */
export function bucketStartsOf(
  tokens: Uint32Array | Int32Array,
  upper: number,
  into?: Int32Array,
): Int32Array {
  const starts = into ?? new Int32Array(upper + 2);
  starts.fill(0);
  for (let i = 0; i < tokens.length; i++) starts[tokens[i] + 1]++;
  for (let t = 0; t <= upper; t++) starts[t + 1] += starts[t];
  return starts;
}

/** The arrays of one merge: the two halves' suffix arrays and bucket starts, and the result. */
export interface SuffixArrayHalves {
  /** The whole stream (symbols below 2^31), viewed as Int32Array. */
  tokens: Int32Array;
  /** Where the second half starts (a document's first token). */
  cut: number;
  /** Suffix array of tokens[0, cut) and of tokens[cut, n) (positions relative to cut). */
  first: Int32Array;
  second: Int32Array;
  /** For each slot of `first` and `second`, the token after its suffix's first (buildSuffixArray's `next`). */
  firstNext: Int32Array;
  secondNext: Int32Array;
  /** bucketStartsOf each half. */
  firstStarts: Int32Array;
  secondStarts: Int32Array;
  /** The merged suffix array (length n), written bucket by bucket. */
  out: Int32Array;
}

/**
 * Merges the buckets of tokens [from, to) into `out`; false, with those buckets partly written,
 * when the comparisons read more than `maxWork` tokens.
 */
export function mergeSuffixArrayBuckets(
  h: SuffixArrayHalves,
  from: number,
  to: number,
  maxWork: number,
): boolean {
  const { tokens, cut, first, second, firstNext, secondNext, firstStarts, secondStarts, out } = h;
  let work = 0;
  for (let c = from; c < to; c++) {
    let i = firstStarts[c];
    const iEnd = firstStarts[c + 1];
    let j = secondStarts[c];
    const jEnd = secondStarts[c + 1];
    let o = i + j;
    // Suffixes of the separator's bucket are all equal up to a separator: any order.
    if (c !== SEPARATOR_TOKEN_ID) {
      while (i < iEnd && j < jEnd) {
        const a = first[i];
        const b = second[j] + cut;
        // Both start with c (not a separator), and each half ends with one: the reads stay inside.
        // Their second tokens were recorded beside the arrays: most pairs differ there, without
        // a random read of the text.
        let k = 1;
        let x = firstNext[i];
        let y = secondNext[j];
        while (x === y && x !== SEPARATOR_TOKEN_ID) {
          k++;
          x = tokens[a + k];
          y = tokens[b + k];
        }
        work += k;
        if (x <= y) {
          out[o++] = a;
          i++;
        } else {
          out[o++] = b;
          j++;
        }
        if (work > maxWork) return false;
      }
    }
    while (i < iEnd) out[o++] = first[i++];
    while (j < jEnd) out[o++] = second[j++] + cut;
  }
  return true;
}
