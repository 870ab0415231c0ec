/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan 2009), on typed
 * arrays, linear time and suited to large integer alphabets (token ids). The structure follows
 * the AtCoder Library's `sa_is`: no sentinel is required, the last suffix is treated as L-type.
 *
 * Memory for n symbols: the result (4n bytes) plus n bytes of types and two arrays of bucket
 * starts; the LMS substrings are named, the reduced string solved and the sorted LMS positions
 * seeded in the result's own space (as in the original SA-IS), and each recursion works on at
 * most half as many symbols (about a third on text).
 *
 * Speed: every pass is a plain function over Int32Array (a Uint32Array input is viewed as one,
 * symbols being below 2^31), so V8 compiles each once for one element kind and no loop reads
 * variables through a closure; the scans whose branches follow the text (types, bucket sizes)
 * are branch-free; the LMS substrings' lengths come from the LMS positions, not from scanning
 * the types again.
 */

/** Input accepted by {@link buildSuffixArray}: symbols in [0, upper]. */
export type SymbolArray = Uint32Array | Int32Array;

const NAIVE_THRESHOLD = 16;
/** Suffix types: bit 0 set for S-type, bit 1 also set for LMS (S-type after an L-type). */
const L_TYPE = 0;
const S_TYPE = 1;
const LMS_TYPE = 3;

/**
 * Returns the suffix array of `s` (symbols in [0, upper]): the start positions of all suffixes
 * in lexicographic order, a shorter suffix ordering before its extensions. It is written into
 * `into` when given (of `s`'s length, e.g. in shared memory). `next`, when given (same length),
 * receives for each slot the symbol after its suffix's first (`s[sa[i] + 1]`; 0 for the last
 * suffix), recorded as the last pass places the suffixes: what merging two arrays compares first.
 */
export function buildSuffixArray(
  s: SymbolArray,
  upper: number,
  into?: Int32Array,
  next?: Int32Array,
): Int32Array {
  for (let i = 0; i < s.length; i++) {
    if (s[i] > upper || s[i] < 0) throw new RangeError(`symbol ${s[i]} at ${i} is not in [0, ${upper}]`);
  }
  if (!(upper < 0x7fffffff)) throw new RangeError(`upper ${upper} must be below 2^31 - 1`);
  for (const out of [into, next])
    if (out !== undefined && out.length !== s.length)
      throw new RangeError(
        `the suffix array of ${s.length} symbols cannot be written into ${out.length} slots`,
      );
  const symbols = s instanceof Int32Array ? s : new Int32Array(s.buffer, s.byteOffset, s.length);
  return saIs(symbols, upper, into, next ?? null);
}

function saNaive(s: Int32Array): Int32Array {
  const n = s.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    if (a === b) return 0;
    while (a < n && b < n) {
      if (s[a] !== s[b]) return s[a] < s[b] ? -1 : 1;
      a++;
      b++;
    }
    return a === n ? -1 : 1;
  });
  return Int32Array.from(idx);
}

/** types[i]: L_TYPE, S_TYPE, or LMS_TYPE (S-type with an L-type predecessor); returns the LMS count. */
function classify(s: Int32Array, types: Uint8Array): number {
  const n = s.length;
  types[n - 1] = L_TYPE;
  // Branch-free: on text the comparisons are close to random, and mispredicted branches cost
  // more than the arithmetic.
  let next = L_TYPE;
  for (let i = n - 2; i >= 0; i--) {
    const a = s[i];
    const b = s[i + 1];
    next = (a < b ? S_TYPE : L_TYPE) | ((a === b ? 1 : 0) & next);
    types[i] = next;
  }
  let m = 0;
  let before = types[0];
  for (let i = 1; i < n; i++) {
    const t = types[i];
    const lms = t & (before ^ 1);
    types[i] = t | (lms << 1);
    m += lms;
    before = t;
  }
  return m;
}

/** bucketStart[c]: the first slot of the suffixes starting with c (length upper + 2). */
function bucketStarts(s: Int32Array, bucketStart: Int32Array): void {
  const n = s.length;
  for (let i = 0; i < n; i++) bucketStart[s[i] + 1]++;
  for (let c = 1; c < bucketStart.length; c++) bucketStart[c] += bucketStart[c - 1];
}

/** Puts the LMS suffixes at the ends of their buckets in text order (sa emptied first). */
function seedLmsInTextOrder(
  s: Int32Array,
  types: Uint8Array,
  sa: Int32Array,
  bucketStart: Int32Array,
  buf: Int32Array,
): void {
  sa.fill(-1);
  buf.set(bucketStart.subarray(1));
  for (let i = s.length - 1; i >= 1; i--) if (types[i] === LMS_TYPE) sa[--buf[s[i]]] = i;
}

/**
 * Moves the m LMS suffixes sorted in sa[0, m) to the ends of their buckets, in that order, and
 * empties every other slot. In place, from the last: the k-th goes to a slot >= k (its bucket
 * ends after every suffix of smaller buckets), never onto one not read yet.
 */
function seedSortedLms(
  s: Int32Array,
  sa: Int32Array,
  m: number,
  bucketStart: Int32Array,
  buf: Int32Array,
): void {
  sa.fill(-1, m);
  buf.set(bucketStart.subarray(1));
  for (let k = m - 1; k >= 0; k--) {
    const p = sa[k];
    sa[k] = -1;
    sa[--buf[s[p]]] = p;
  }
}

/**
 * Induces the order of all suffixes from the LMS seeds at their buckets' ends: the L-type
 * suffixes left to right, then the S-type ones right to left (which writes every S-part whole,
 * the seeds' slots included).
 */
function induce(
  s: Int32Array,
  types: Uint8Array,
  sa: Int32Array,
  bucketStart: Int32Array,
  buf: Int32Array,
  next: Int32Array | null,
): void {
  const n = s.length;
  buf.set(bucketStart);
  const lastSlot = buf[s[n - 1]]++;
  sa[lastSlot] = n - 1;
  if (next !== null) next[lastSlot] = 0;
  // The type of v - 1 from s[v - 1] and s[v] (neighbours, usually one cache line): here sa holds
  // L-type suffixes and the LMS seeds, so v - 1 is L-type exactly when s[v - 1] >= s[v].
  for (let i = 0; i < n; i++) {
    const v = sa[i];
    if (v < 1) continue;
    const c = s[v - 1];
    const after = s[v];
    if (c >= after) {
      const slot = buf[c]++;
      sa[slot] = v - 1;
      if (next !== null) next[slot] = after;
    }
  }
  buf.set(bucketStart);
  for (let i = n - 1; i >= 0; i--) {
    const v = sa[i];
    if (v < 1) continue;
    // v - 1 is S-type when s[v - 1] < s[v], or when they are equal and v is S-type.
    const c = s[v - 1];
    const after = s[v];
    if (c < after || (c === after && types[v] !== L_TYPE)) {
      const slot = --buf[c + 1];
      sa[slot] = v - 1;
      if (next !== null) next[slot] = after;
    }
  }
}

function saIs(
  s: Int32Array,
  upper: number,
  into: Int32Array | undefined,
  next: Int32Array | null,
): Int32Array {
  const n = s.length;
  if (n < NAIVE_THRESHOLD) {
    const small = n === 0 ? new Int32Array(0) : n === 1 ? Int32Array.of(0) : saNaive(s);
    if (next !== null) for (let i = 0; i < n; i++) next[i] = small[i] + 1 < n ? s[small[i] + 1] : 0;
    if (into === undefined) return small;
    into.set(small);
    return into;
  }

  const sa = into ?? new Int32Array(n);
  const types = new Uint8Array(n);
  const m = classify(s, types);
  const bucketStart = new Int32Array(upper + 2);
  bucketStarts(s, bucketStart);
  const buf = new Int32Array(upper + 2);

  seedLmsInTextOrder(s, types, sa, bucketStart, buf);
  // Only the last pass records `next`: with no LMS suffix the first one is the last.
  induce(s, types, sa, bucketStart, buf, m === 0 ? next : null);
  if (m === 0) return sa;

  // The LMS suffixes in sorted order, moved to sa[0, m).
  let j = 0;
  for (let i = 0; i < n; i++) {
    const v = sa[i];
    if (v > 0 && types[v] === LMS_TYPE) sa[j++] = v;
  }
  // The length of each LMS substring (to the next LMS position, or n), stored at sa[m + (p >> 1)]:
  // LMS positions are >= 1 and at least 2 apart, so these slots are distinct and below n.
  let last = -1;
  for (let i = 1; i < n; i++) {
    if (types[i] !== LMS_TYPE) continue;
    if (last >= 0) sa[m + (last >> 1)] = i - last;
    last = i;
  }
  sa[m + (last >> 1)] = n - last;
  // Name each LMS substring by rank (equal substrings share a name) in its length's slot. Two
  // are equal when they have the same length and the same symbols, their end symbols included;
  // one reaching the end of the string equals no other.
  let name = 0;
  let prev = sa[0];
  let prevLength = sa[m + (prev >> 1)];
  sa[m + (prev >> 1)] = 0;
  for (let i = 1; i < m; i++) {
    const p = sa[i];
    const length = sa[m + (p >> 1)];
    let same = length === prevLength && p + length < n && prev + length < n;
    if (same) {
      for (let k = 0; k <= length; k++) {
        if (s[p + k] !== s[prev + k]) {
          same = false;
          break;
        }
      }
    }
    if (!same) name++;
    sa[m + (p >> 1)] = name;
    prev = p;
    prevLength = length;
  }
  // The names in text order, moved to sa[n - m, n): the reduced string. Going down, no name is
  // overwritten before it is read (the k-th LMS position p is at most n - 1 - 2 (m - 1 - k), so
  // its slot m + (p >> 1) is at most the destination n - m + k).
  for (let i = n - 1, k = m - 1; k >= 0; i--) if (types[i] === LMS_TYPE) sa[n - m + k--] = sa[m + (i >> 1)];
  // Its suffix array into sa[0, m) (m <= n / 2: the two do not overlap); then the LMS positions
  // in text order where the reduced string was, and through them the sorted LMS positions.
  saIs(sa.subarray(n - m), name, sa.subarray(0, m), null);
  for (let i = 1, k = n - m; i < n; i++) if (types[i] === LMS_TYPE) sa[k++] = i;
  for (let k = 0; k < m; k++) sa[k] = sa[n - m + sa[k]];
  seedSortedLms(s, sa, m, bucketStart, buf);
  induce(s, types, sa, bucketStart, buf, next);
  return sa;
}
