/**
 * Turning credits into the integer weight table committed on chain.
 *
 * Normalisation (both methods): raw non-negative integer credits are scaled so the integer
 * weights sum to exactly `totalWeight` by the largest-remainder method: each key gets
 * floor(raw * total / sumRaw); the units left over go one each to the keys with the largest
 * remainders (raw * total mod sumRaw), ties to the smaller key (lower-case hex / decimal order).
 * Entries whose weight ends at 0 are left out of the table (a zero leaf pays nothing).
 */
import { compareHex, type Corpus, type ManifestEntry } from "./corpus.js";
import type { SpanCredits } from "./span-index.js";

/** How a table was computed. */
export type AttributionMethod = "span-match" | "datanet-size";

/** One contributor's row: the contributions that earned weight and the summed weight. */
export interface WeightEntry {
  /** Lower-case 0x address. */
  contributor: string;
  /** contributionIds (lower-case 0x hex), ascending. */
  contributions: string[];
  weight: bigint;
}

/** The weight table of one model and epoch; `entries` sorted by contributor. */
export interface WeightTable {
  modelId: bigint;
  epoch: bigint;
  method: AttributionMethod;
  /** Minimum span length in tokens (method 1); null for method 2. */
  minSpan: number | null;
  /** Sum of the entries' weights (0 when nothing could be attributed). */
  totalWeight: bigint;
  entries: WeightEntry[];
}

/** Default total of a table's weights. */
export const DEFAULT_TOTAL_WEIGHT = 10n ** 18n;

/**
 * Splits `total` over `raw` (same order as `keys`, which must be ascending) in proportion,
 * with the largest-remainder rule above. Returns all zeros when every raw value is 0.
 */
export function apportion(raw: readonly bigint[], total: bigint): bigint[] {
  if (total < 0n) throw new RangeError("total must be >= 0");
  let sum = 0n;
  for (const r of raw) {
    if (r < 0n) throw new RangeError("raw credits must be >= 0");
    sum += r;
  }
  if (sum === 0n) return raw.map(() => 0n);
  const out = raw.map((r) => (r * total) / sum);
  let left = total - out.reduce((a, b) => a + b, 0n);
  const order = raw
    .map((r, i) => ({ i, rem: (r * total) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (let j = 0; left > 0n; j++, left--) out[order[j].i] += 1n;
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Exact raw credit of every contribution as integers over a common denominator: the span
 * credit sum over k of length/k, multiplied by the lcm of all k seen.
 */
export function exactSpanCredits(credits: SpanCredits): bigint[] {
  let lcm = 1n;
  for (const m of credits.byShare) for (const k of m.keys()) lcm = (lcm / gcd(lcm, BigInt(k))) * BigInt(k);
  return credits.byShare.map((m) => {
    let raw = 0n;
    for (const [k, tokens] of m) raw += BigInt(tokens) * (lcm / BigInt(k));
    return raw;
  });
}

function tableFromContributionCredits(
  contributions: readonly ManifestEntry[],
  perContribution: readonly bigint[],
  totalWeight: bigint,
  head: Omit<WeightTable, "totalWeight" | "entries">,
  alreadyWeights: boolean,
): WeightTable {
  const byContributor = new Map<string, { raw: bigint; contributions: string[] }>();
  contributions.forEach((c, i) => {
    const raw = perContribution[i];
    if (raw === 0n) return;
    const key = c.contributor.toLowerCase();
    const row = byContributor.get(key) ?? { raw: 0n, contributions: [] };
    row.raw += raw;
    row.contributions.push(c.contributionId);
    byContributor.set(key, row);
  });
  const contributors = [...byContributor.keys()].sort(compareHex);
  const raws = contributors.map((a) => byContributor.get(a)!.raw);
  const weights = alreadyWeights ? raws : apportion(raws, totalWeight);
  const entries: WeightEntry[] = [];
  contributors.forEach((contributor, i) => {
    if (weights[i] === 0n) return;
    const row = byContributor.get(contributor)!;
    entries.push({ contributor, contributions: [...row.contributions].sort(compareHex), weight: weights[i] });
  });
  const sum = entries.reduce((a, e) => a + e.weight, 0n);
  return { ...head, totalWeight: sum, entries };
}

/** Parameters of a table. */
export interface TableParams {
  modelId: bigint;
  epoch: bigint;
  /** Default {@link DEFAULT_TOTAL_WEIGHT}. */
  totalWeight?: bigint;
}

/**
 * Method 1 table: each contributor's weight is proportional to the summed span credit of
 * their contributions (summed exactly before normalising, then split by largest remainder).
 */
export function spanWeightTable(
  corpus: Corpus,
  credits: SpanCredits,
  params: TableParams & { minSpan: number },
): WeightTable {
  const raw = exactSpanCredits(credits);
  return tableFromContributionCredits(
    corpus.contributions,
    raw,
    params.totalWeight ?? DEFAULT_TOTAL_WEIGHT,
    { modelId: params.modelId, epoch: params.epoch, method: "span-match", minSpan: params.minSpan },
    false,
  );
}

/**
 * Method 2 table (training-time, datanet level). `datanetWeights` maps datanetId (decimal) to
 * the model's registered weight in basis points. Steps: (1) the datanets with a positive weight
 * and contributions of positive total size are eligible (others are skipped: nothing to pay);
 * (2) `totalWeight` is split over eligible datanets by their basis points; (3) each datanet's
 * part is split over its contributions by `size`; both splits by largest remainder (datanets in
 * numeric id order, contributions in contributionId order); (4) contributors get the sum of
 * their contributions' weights. The table's total is exactly `totalWeight` unless nothing is
 * eligible (then 0).
 */
export function datanetWeightTable(
  datanetWeights: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
  contributions: readonly ManifestEntry[],
  params: TableParams,
): WeightTable {
  const totalWeight = params.totalWeight ?? DEFAULT_TOTAL_WEIGHT;
  const bpsOf = new Map<string, number>();
  const given: Iterable<[string, number]> =
    datanetWeights instanceof Map ? datanetWeights : Object.entries(datanetWeights as Record<string, number>);
  for (const [id, bps] of given) bpsOf.set(BigInt(id).toString(), bps);
  for (const [id, bps] of bpsOf) {
    if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000) {
      throw new RangeError(
        `datanet ${id}: weight must be an integer number of basis points in [0, 10000], got ${bps}`,
      );
    }
  }
  const sorted = [...contributions].sort((a, b) => compareHex(a.contributionId, b.contributionId));
  const members = new Map<string, number[]>();
  sorted.forEach((c, i) => {
    const id = BigInt(c.datanetId).toString();
    members.set(id, [...(members.get(id) ?? []), i]);
  });
  const eligible = [...bpsOf.keys()]
    .filter((id) => (bpsOf.get(id) ?? 0) > 0 && (members.get(id) ?? []).some((i) => sorted[i].size > 0))
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  const datanetShares = apportion(
    eligible.map((id) => BigInt(bpsOf.get(id) ?? 0)),
    totalWeight,
  );
  const perContribution = sorted.map(() => 0n);
  eligible.forEach((id, j) => {
    const idx = members.get(id) ?? [];
    const split = apportion(
      idx.map((i) => BigInt(sorted[i].size)),
      datanetShares[j],
    );
    idx.forEach((i, n) => (perContribution[i] = split[n]));
  });
  return tableFromContributionCredits(
    sorted,
    perContribution,
    totalWeight,
    { modelId: params.modelId, epoch: params.epoch, method: "datanet-size", minSpan: null },
    true,
  );
}
