/**
 * Turning credits into the integer weight table committed on chain (docs/attribution.md).
 *
 * Normalisation (both methods): raw non-negative integer credits of the contributions are
 * scaled so the integer weights sum to exactly `totalWeight` by the largest-remainder method:
 * each contribution gets floor(raw * total / sumRaw); the units left over go one each to the
 * contributions with the largest remainders (raw * total mod sumRaw), ties to the smaller
 * contributionId. A contributor's weight is the sum of their contributions' weights, and the
 * table keeps that breakdown. Contributions and contributors whose weight ends at 0 are left
 * out (a zero leaf pays nothing).
 */
import { compareHex, type Corpus, type ManifestEntry } from "./corpus.js";
import type { SpanCredits } from "./span-index.js";
import { ATTRIBUTION_SPEC_VERSION, methodIdOf, type AttributionMethod } from "./spec.js";

export type { AttributionMethod } from "./spec.js";

/** The weight of one contribution inside a contributor's row: why the contributor is paid. */
export interface ContributionWeight {
  /** Lower-case 0x hex. */
  contributionId: string;
  /** Decimal. */
  datanetId: string;
  /** The datanet version the model was trained on that holds it (decimal), when known. */
  versionNumber: string | null;
  weight: bigint;
}

/** One contributor's row: the contributions that earned weight and the summed weight. */
export interface WeightEntry {
  /** Lower-case 0x address. */
  contributor: string;
  /** contributionIds (lower-case 0x hex), ascending. */
  contributions: string[];
  weight: bigint;
  /** Each contribution's weight (same order as `contributions`; they sum to `weight`). */
  breakdown?: ContributionWeight[];
}

/** A published input of a table: where it is and the keccak256 of its bytes. */
export interface PublishedInput {
  uri: string;
  contentHash: string;
}

/** What a table was computed from (absent in tables written before specification version 1). */
export interface TableInputs {
  /** The datanet versions whose accepted contributions formed the corpus. */
  versions: { datanetId: string; versionNumber: string }[];
  /** Span matching: the published outputs file (JSONL) and how many outputs it holds. */
  outputs?: PublishedInput & { count: number };
  /**
   * Outputs taken from paid inference receipts (src/usage/paid-outputs.ts): the published receipt
   * proofs (a JSON array of `{receipt, usageRoot, proof}`), how many, and the UsageEscrow whose
   * `VoucherRedeemed` roots they prove into. The verifier checks every output is in one of them.
   */
  receipts?: PublishedInput & { count: number; escrow: string };
}

/** The weight table of one model and epoch; `entries` sorted by contributor. */
export interface WeightTable {
  modelId: bigint;
  epoch: bigint;
  method: AttributionMethod;
  /** Specification version followed (0 or absent: written before any specification). */
  specVersion?: number;
  /** Minimum span length in tokens (method 1); null for method 2. */
  minSpan: number | null;
  /** What the table was computed from. */
  inputs?: TableInputs;
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

/**
 * The table from each contribution's raw credit (or, with `alreadyWeights`, its integer weight):
 * weights by largest remainder over contributions in contributionId order, then summed per
 * contributor with the breakdown kept.
 */
function tableFromContributionCredits(
  contributions: readonly ManifestEntry[],
  perContribution: readonly bigint[],
  totalWeight: bigint,
  head: Omit<WeightTable, "totalWeight" | "entries">,
  alreadyWeights: boolean,
): WeightTable {
  const order = contributions
    .map((_, i) => i)
    .sort((x, y) => compareHex(contributions[x].contributionId, contributions[y].contributionId));
  const raws = order.map((i) => perContribution[i]);
  const weights = alreadyWeights ? raws : apportion(raws, totalWeight);
  const byContributor = new Map<string, ContributionWeight[]>();
  order.forEach((i, n) => {
    if (weights[n] === 0n) return;
    const c = contributions[i];
    const key = c.contributor.toLowerCase();
    const row = byContributor.get(key) ?? [];
    row.push({
      contributionId: c.contributionId,
      datanetId: c.datanetId,
      versionNumber: c.versionNumber ?? null,
      weight: weights[n],
    });
    byContributor.set(key, row);
  });
  const entries: WeightEntry[] = [...byContributor.keys()].sort(compareHex).map((contributor) => {
    const breakdown = byContributor.get(contributor)!;
    return {
      contributor,
      contributions: breakdown.map((b) => b.contributionId),
      weight: breakdown.reduce((t, b) => t + b.weight, 0n),
      breakdown,
    };
  });
  const sum = entries.reduce((t, e) => t + e.weight, 0n);
  return { ...head, totalWeight: sum, entries };
}

/** Parameters of a table. */
export interface TableParams {
  modelId: bigint;
  epoch: bigint;
  /** Default {@link DEFAULT_TOTAL_WEIGHT}. */
  totalWeight?: bigint;
  /** Recorded in the table (see {@link TableInputs}). */
  inputs?: TableInputs;
}

function head(params: TableParams, method: AttributionMethod, minSpan: number | null) {
  return {
    modelId: params.modelId,
    epoch: params.epoch,
    method,
    specVersion: ATTRIBUTION_SPEC_VERSION,
    minSpan,
    ...(params.inputs === undefined ? {} : { inputs: params.inputs }),
  };
}

/** The on-chain method id of a table (its method under its specification version). */
export function tableMethodId(table: Pick<WeightTable, "method" | "specVersion">): number {
  const version = table.specVersion ?? 0;
  if (version === 0) return table.method === "span-match" ? 1 : 2;
  return methodIdOf(table.method, version);
}

/**
 * Method 1 table: each contribution's weight is proportional to its exact span credit (split by
 * largest remainder); a contributor's weight is the sum over their contributions.
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
    head(params, "span-match", params.minSpan),
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
    head(params, "datanet-size", null),
    true,
  );
}
