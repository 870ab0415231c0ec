/**
 * Settlement: from the final attribution commitments and the pools the distributor finalised,
 * every contributor's cumulative entitlement, i.e. the values of the settlement tree
 * `[account, cumulativeAmount]` (LeafLib.settlementLeaf) that the settlement operator commits.
 *
 * A pair's entitlement for one contributor is exactly what the distributor's direct path pays:
 * floor(pool * weight / totalWeight). Rounding is down, never in the claimant's favour; the dust
 * of each pair (pool minus the sum of its entitlements) stays in the distributor and is reported.
 */

/** One contributor's weight in a committed table. */
export interface PairWeight {
  contributor: string;
  weight: bigint;
}

/** A finalised (model, epoch) pair: its contributor pool and the committed weight table. */
export interface FinalizedPair {
  modelId: bigint;
  epoch: bigint;
  /** Contributor pool the distributor fixed at finalisation (Finalized event). */
  pool: bigint;
  /** Order in which the pair was finalised (Finalized event). */
  finalizeSeq: bigint;
  totalWeight: bigint;
  entries: readonly PairWeight[];
}

/** What one pair gives one account. */
export interface PairEntitlement {
  modelId: bigint;
  epoch: bigint;
  amount: bigint;
}

/** The settlement of a set of pairs. */
export interface Settlement {
  /** Accounts (lower-case) with their cumulative amounts, ascending by account. */
  accounts: { account: string; cumulativeAmount: bigint; pairs: PairEntitlement[] }[];
  /** Sum of the cumulative amounts: what `commitSettlement(root, total, coveredThroughSeq, uri)` declares. */
  total: bigint;
  /** Sum of the pools covered: the on-chain bound `total` must not exceed. */
  pools: bigint;
  /** pools - total: rounding dust left in the distributor. */
  dust: bigint;
  /** Highest finalizeSeq covered (0 when no pair). */
  coveredThroughSeq: bigint;
}

/** Raised for input that cannot be settled; the message says which pair and why. */
export class SettlementInputError extends Error {
  override name = "SettlementInputError";
}

/** The distributor's direct-path amount: floor(pool * weight / totalWeight). */
export function entitlement(pool: bigint, weight: bigint, totalWeight: bigint): bigint {
  if (totalWeight <= 0n) throw new SettlementInputError("totalWeight must be > 0");
  if (weight < 0n || weight > totalWeight) {
    throw new SettlementInputError(`weight ${weight} is outside 0..totalWeight (${totalWeight})`);
  }
  return (pool * weight) / totalWeight;
}

/** Cumulative entitlements over `pairs` (every pair is counted once, whatever the order given). */
export function computeSettlement(pairs: readonly FinalizedPair[]): Settlement {
  const byAccount = new Map<string, { cumulativeAmount: bigint; pairs: PairEntitlement[] }>();
  const seen = new Set<string>();
  let total = 0n;
  let pools = 0n;
  let coveredThroughSeq = 0n;
  const ordered = [...pairs].sort((a, b) =>
    a.finalizeSeq < b.finalizeSeq ? -1 : a.finalizeSeq > b.finalizeSeq ? 1 : 0,
  );
  for (const pair of ordered) {
    const key = `${pair.modelId}/${pair.epoch}`;
    const where = `model ${pair.modelId} epoch ${pair.epoch}`;
    if (seen.has(key)) throw new SettlementInputError(`${where} is listed twice: give each pair once`);
    seen.add(key);
    const weightSum = pair.entries.reduce((s, e) => s + e.weight, 0n);
    if (weightSum > pair.totalWeight) {
      throw new SettlementInputError(
        `${where}: the table's weights sum to ${weightSum}, above its committed totalWeight ${pair.totalWeight}`,
      );
    }
    pools += pair.pool;
    if (pair.finalizeSeq > coveredThroughSeq) coveredThroughSeq = pair.finalizeSeq;
    for (const { contributor, weight } of pair.entries) {
      const amount = entitlement(pair.pool, weight, pair.totalWeight);
      if (amount === 0n) continue;
      const account = contributor.toLowerCase();
      const row = byAccount.get(account) ?? { cumulativeAmount: 0n, pairs: [] };
      row.cumulativeAmount += amount;
      row.pairs.push({ modelId: pair.modelId, epoch: pair.epoch, amount });
      byAccount.set(account, row);
      total += amount;
    }
  }
  const accounts = [...byAccount.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, row]) => ({ account, ...row }));
  return { accounts, total, pools, dust: pools - total, coveredThroughSeq };
}

/** The settlement tree's values, `[account, cumulativeAmount]` as decimal strings. */
export function settlementLeafValues(settlement: Settlement): [string, string][] {
  return settlement.accounts.map((a) => [a.account, a.cumulativeAmount.toString()]);
}
export * from "./tree.js";
export * from "./files.js";
export * from "./disputes.js";
