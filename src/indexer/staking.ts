/**
 * Reads of the staking rows and the OPEN token's transfers: each operator's pool as the events
 * made it, a staker's positions, the token balance of an account, and the staking side of the
 * totals. Amounts are summed exactly with bigint (never in SQL), like `views.ts`.
 *
 * A pool's OPEN changes only by stake (+assets), withdrawal (-assets paid) and slash (-slashed), so
 * `assets` here is exact; what one staker's shares are worth now depends on the exchange rate and
 * the reward accumulator, which the chain's `position(operator, account)` gives (the explorer reads it).
 */
import type { SqlDatabase, SqlValue } from "./db.js";
import { formatRow } from "./queries.js";
import { sumColumns } from "./sums.js";

const ZERO = "0x0000000000000000000000000000000000000000";

const sum = (rows: Record<string, unknown>[], key: string): bigint =>
  rows.reduce<bigint>((s, r) => s + BigInt(String(r[key] ?? "0")), 0n);

async function rows(db: SqlDatabase, sql: string, params: SqlValue[] = []) {
  return db.all(sql, params);
}

/** Every operator that was ever listed, bonded, staked behind or slashed. */
async function operatorAddresses(db: SqlDatabase): Promise<string[]> {
  const found = await db.all<{ operator: string }>(
    `SELECT operator FROM operator_listings UNION SELECT operator FROM operator_bonds
     UNION SELECT operator FROM stakes UNION SELECT operator FROM slashes ORDER BY operator`,
  );
  return found.map((r) => String(r.operator));
}

/** One operator's pool as its events made it (undefined when no event names it). */
export async function operatorView(db: SqlDatabase, address: string) {
  const op = address.toLowerCase();
  const byOp = (table: string, columns = "*") =>
    rows(db, `SELECT ${columns} FROM ${table} WHERE operator = ? ORDER BY block_number, log_index`, [op]);
  const [listings, bonds, slashes, commission, stakers] = await Promise.all([
    byOp("operator_listings"),
    byOp("operator_bonds"),
    byOp("slashes"),
    byOp("commission_changes"),
    db.all<{ n: number }>("SELECT COUNT(DISTINCT account) AS n FROM stakes WHERE operator = ?", [op]),
  ]);
  const stakerCount = Number(stakers[0]?.n ?? 0);
  if (listings.length + bonds.length + stakerCount + slashes.length === 0) return undefined;
  // Amounts summed in SQL, exactly (sums.ts).
  const total = async (table: string, column: string, where = "", params: SqlValue[] = []) =>
    (await sumColumns(db, `${table} WHERE operator = ?${where}`, [column], [op, ...params])).sums[column];
  const staked = await total("stakes", "assets");
  const withdrawn = await total("stake_withdrawals", "assets");
  const slashed = await total("slashes", "slashed");
  const own = (table: string) => total(table, "assets", " AND account = ?", [op]);
  const poolSums = await sumColumns(
    db,
    "pool_rewards WHERE operator = ?",
    ["to_stakers", "commission"],
    [op],
  );
  const claimedAs = (kind: string) => total("reward_claims", "amount", " AND kind = ?", [kind]);
  const changed = commission.filter((c) => c.kind === "changed").at(-1);
  const lastScheduled = commission.filter((c) => c.kind === "scheduled").at(-1);
  const scheduledAfterChange =
    lastScheduled &&
    (!changed ||
      Number(lastScheduled.block_number) > Number(changed.block_number) ||
      (Number(lastScheduled.block_number) === Number(changed.block_number) &&
        Number(lastScheduled.log_index) > Number(changed.log_index)));
  const accrued = poolSums.sums.commission;
  const commissionClaimed = await claimedAs("commission");
  return {
    operator: op,
    poolId: listings.find((l) => l.pool_id !== null)?.pool_id ?? bonds.at(-1)?.pool_id ?? null,
    listed: Number(listings.at(-1)?.listed ?? 0) === 1,
    bonded: Number(bonds.at(-1)?.bonded ?? 0) === 1,
    stakers: stakerCount,
    /** OPEN in the pool now (bonded and unbonding): staked - withdrawn - slashed. */
    assets: (staked - withdrawn - slashed).toString(),
    staked: staked.toString(),
    withdrawn: withdrawn.toString(),
    slashed: slashed.toString(),
    /** OPEN moved to unbonding, at the exchange rate of each request. */
    unstakeRequested: (await total("unstake_requests", "assets")).toString(),
    /** The operator's own stake in its pool (its bond), staked and requested out, at event values. */
    own: {
      staked: (await own("stakes")).toString(),
      unstakeRequested: (await own("unstake_requests")).toString(),
    },
    rewards: {
      toStakers: poolSums.sums.to_stakers.toString(),
      claimedByStakers: (await claimedAs("staker")).toString(),
      commissionAccrued: accrued.toString(),
      commissionClaimed: commissionClaimed.toString(),
      commissionUnclaimed: (accrued - commissionClaimed).toString(),
    },
    commissionBps: changed ? Number(changed.bps) : 0,
    scheduledCommission: scheduledAfterChange
      ? { bps: Number(lastScheduled.bps), effectiveAt: Number(lastScheduled.effective_at) }
      : null,
    slashes: slashes.map(formatRow),
    bondHistory: bonds.map(formatRow),
  };
}

/** Every operator's pool (see `operatorView`), by address. */
export async function operatorsView(db: SqlDatabase) {
  const out = [];
  for (const op of await operatorAddresses(db)) out.push(await operatorView(db, op));
  return out.filter((o) => o !== undefined);
}

/** One account's staking, per operator: what it staked, requested out, withdrew and claimed. */
export async function stakerView(db: SqlDatabase, address: string) {
  const who = address.toLowerCase();
  const byAccount = (table: string, columns: string) =>
    rows(db, `SELECT ${columns} FROM ${table} WHERE account = ? ORDER BY block_number, log_index`, [who]);
  const [stakes, unstakes, withdrawals, claims] = await Promise.all([
    byAccount("stakes", "operator, assets"),
    byAccount("unstake_requests", "operator, assets, withdrawable_at"),
    byAccount("stake_withdrawals", "operator, assets"),
    byAccount("reward_claims", "kind, operator, amount"),
  ]);
  const operators = [...new Set([...stakes, ...unstakes, ...withdrawals].map((r) => String(r.operator)))];
  const of = (list: Record<string, unknown>[], op: string) => list.filter((r) => r.operator === op);
  return {
    account: who,
    positions: operators.sort().map((op) => ({
      operator: op,
      staked: sum(of(stakes, op), "assets").toString(),
      unstakeRequested: sum(of(unstakes, op), "assets").toString(),
      withdrawn: sum(of(withdrawals, op), "assets").toString(),
      rewardsClaimed: sum(
        of(claims, op).filter((c) => c.kind === "staker"),
        "amount",
      ).toString(),
      withdrawableAt: Number(of(unstakes, op).at(-1)?.withdrawable_at ?? 0),
    })),
    rewardsClaimed: sum(
      claims.filter((c) => c.kind === "staker"),
      "amount",
    ).toString(),
  };
}

/** The OPEN balance of an account from the indexed transfers, with its transfer counts. */
export async function tokenBalance(db: SqlDatabase, address: string) {
  const who = address.toLowerCase();
  const incoming = await sumColumns(db, "token_transfers WHERE to_address = ?", ["value"], [who]);
  const outgoing = await sumColumns(db, "token_transfers WHERE from_address = ?", ["value"], [who]);
  const received = incoming.sums.value;
  const sent = outgoing.sums.value;
  return {
    account: who,
    balance: (received - sent).toString(),
    received: received.toString(),
    sent: sent.toString(),
    transfersIn: incoming.n,
    transfersOut: outgoing.n,
  };
}

/** The staking and token side of `/totals`, every amount summed exactly in SQL (sums.ts). */
export async function stakingTotals(db: SqlDatabase) {
  const total = async (from: string, column: string, params: SqlValue[] = []) =>
    (await sumColumns(db, from, [column], params)).sums[column];
  const slashes = await sumColumns(db, "slashes", ["slashed", "reward", "to_treasury"]);
  const pools = await sumColumns(db, "pool_rewards", ["to_stakers", "commission"]);
  const staked = await total("stakes", "assets");
  const withdrawn = await total("stake_withdrawals", "assets");
  const slashed = slashes.sums.slashed;
  const minted = await total("token_transfers WHERE from_address = ?", "value", [ZERO]);
  const burned = await total("token_transfers WHERE to_address = ?", "value", [ZERO]);
  const transfers = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM token_transfers");
  return {
    staking: {
      /** OPEN in all pools now: staked - withdrawn - slashed. */
      inPools: (staked - withdrawn - slashed).toString(),
      staked: staked.toString(),
      withdrawn: withdrawn.toString(),
      slashed: slashed.toString(),
      slashRewards: slashes.sums.reward.toString(),
      slashedToTreasury: slashes.sums.to_treasury.toString(),
      rewardsReceived: (await total("staking_rewards_in", "amount")).toString(),
      rewardsToPools: (pools.sums.to_stakers + pools.sums.commission).toString(),
      rewardsClaimed: (await total("reward_claims WHERE kind = ?", "amount", ["staker"])).toString(),
      commissionClaimed: (await total("reward_claims WHERE kind = ?", "amount", ["commission"])).toString(),
    },
    stakersReleased: await total("staker_releases", "amount"),
    token: {
      transfers: Number(transfers[0]?.n ?? 0),
      minted: minted.toString(),
      burned: burned.toString(),
      supply: (minted - burned).toString(),
    },
  };
}
