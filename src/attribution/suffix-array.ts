/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan 2009), on typed
 * arrays, linear time and suited to large integer alphabets (token ids). The structure follows
 * the AtCoder Library's `sa_is`: no sentinel is required, the last suffix is treated as L-type.
 *
 * Memory for n symbols: the result (4n bytes) plus n bytes of types and 8 bytes per LMS
 * position (at most n / 2, about n / 3 on text) at the top level; the LMS substrings are named in
 * the result's own space (as in the original SA-IS), and each recursion works on at most half
 * as many symbols.
 */

/** Input accepted by {@link buildSuffixArray}: symbols in [0, upper]. */
export type SymbolArray = Uint32Array | Int32Array;

const NAIVE_THRESHOLD = 16;

/**
 * Returns the suffix array of `s` (symbols in [0, upper]): the start positions of all suffixes
 * in lexicographic order, a shorter suffix ordering before its extensions.
 */
export function buildSuffixArray(s: SymbolArray, upper: number): Int32Array {
  for (let i = 0; i < s.length; i++) {
    if (s[i] > upper) throw new RangeError(`symbol ${s[i]} at ${i} exceeds upper ${upper}`);
  }
  return saIs(s, upper);
}

function compareSuffixes(s: SymbolArray, a: number, b: number): number {
  const n = s.length;
  if (a === b) return 0;
  while (a < n && b < n) {
    if (s[a] !== s[b]) return s[a] < s[b] ? -1 : 1;
    a++;
    b++;
  }
  return a === n ? -1 : 1;
}

function saNaive(s: SymbolArray): Int32Array {
  const idx = Array.from({ length: s.length }, (_, i) => i);
  idx.sort((a, b) => compareSuffixes(s, a, b));
  return Int32Array.from(idx);
}

function saIs(s: SymbolArray, upper: number): Int32Array {
  const n = s.length;
  if (n === 0) return new Int32Array(0);
  if (n === 1) return Int32Array.of(0);
  if (n < NAIVE_THRESHOLD) return saNaive(s);

  const sa = new Int32Array(n);
  // ls[i] = 1 when suffix i is S-type (smaller than suffix i+1); the last suffix is L-type.
  const ls = new Uint8Array(n);
  for (let i = n - 2; i >= 0; i--) {
    ls[i] = s[i] === s[i + 1] ? ls[i + 1] : s[i] < s[i + 1] ? 1 : 0;
  }
  // sumL[c]: start of bucket c; sumS[c]: start of the S-part of bucket c.
  const sumL = new Int32Array(upper + 2);
  const sumS = new Int32Array(upper + 2);
  for (let i = 0; i < n; i++) {
    if (ls[i] === 0) sumS[s[i]]++;
    else sumL[s[i] + 1]++;
  }
  for (let i = 0; i <= upper; i++) {
    sumS[i] += sumL[i];
    if (i < upper) sumL[i + 1] += sumS[i];
  }
  const buf = new Int32Array(upper + 2);

  const induce = (lms: Int32Array): void => {
    sa.fill(-1);
    buf.set(sumS);
    for (let j = 0; j < lms.length; j++) {
      const d = lms[j];
      if (d === n) continue;
      sa[buf[s[d]]++] = d;
    }
    buf.set(sumL);
    sa[buf[s[n - 1]]++] = n - 1;
    // The type of v - 1 from s[v - 1] and s[v] (neighbours, usually one cache line) instead of
    // the types array. Here sa holds L-type suffixes and the LMS seeds: after an L-type v, v - 1
    // is L-type when s[v - 1] >= s[v]; before an LMS v it is L-type and s[v - 1] > s[v].
    for (let i = 0; i < n; i++) {
      const v = sa[i];
      if (v < 1) continue;
      const c = s[v - 1];
      if (c >= s[v]) sa[buf[c]++] = v - 1;
    }
    buf.set(sumL);
    for (let i = n - 1; i >= 0; i--) {
      const v = sa[i];
      if (v < 1) continue;
      // v - 1 is S-type when s[v - 1] < s[v], or equal and v is S-type.
      const c = s[v - 1];
      const next = s[v];
      if (c < next || (c === next && ls[v] === 1)) sa[--buf[c + 1]] = v - 1;
    }
  };

  // LMS positions: S-type with an L-type predecessor.
  let m = 0;
  for (let i = 1; i < n; i++) if (ls[i - 1] === 0 && ls[i] === 1) m++;
  const lms = new Int32Array(m);
  for (let i = 1, j = 0; i < n; i++) if (ls[i - 1] === 0 && ls[i] === 1) lms[j++] = i;
  // End of the LMS substring starting at LMS position p: the next LMS position, or n.
  const lmsEnd = (p: number): number => {
    let q = p + 1;
    while (q < n && !(ls[q - 1] === 0 && ls[q] === 1)) q++;
    return q;
  };

  induce(lms);

  if (m > 0) {
    // The LMS suffixes in sorted order, moved to sa[0, m).
    for (let i = 0, j = 0; i < n; i++) {
      const v = sa[i];
      if (v > 0 && ls[v - 1] === 0 && ls[v] === 1) sa[j++] = v;
    }
    // Name each LMS substring by rank (equal substrings share a name), stored at sa[m + (p >> 1)]:
    // LMS positions are >= 1 and at least 2 apart, so these slots are distinct and below n.
    sa.fill(-1, m);
    let recUpper = 0;
    sa[m + (sa[0] >> 1)] = 0;
    for (let i = 1; i < m; i++) {
      let l = sa[i - 1];
      let r = sa[i];
      const endL = lmsEnd(l);
      const endR = lmsEnd(r);
      let same = true;
      if (endL - l !== endR - r) {
        same = false;
      } else {
        while (l < endL) {
          if (s[l] !== s[r]) break;
          l++;
          r++;
        }
        if (l === n || s[l] !== s[r]) same = false;
      }
      if (!same) recUpper++;
      sa[m + (sa[i] >> 1)] = recUpper;
    }
    // The names in text order: the reduced string.
    const recS = new Int32Array(m);
    for (let i = m, j = 0; i < n; i++) if (sa[i] >= 0) recS[j++] = sa[i];
    const recSa = saIs(recS, recUpper);
    // recS is no longer needed: it holds the LMS positions in sorted order.
    for (let i = 0; i < m; i++) recS[i] = lms[recSa[i]];
    induce(recS);
  }
  return sa;
}
