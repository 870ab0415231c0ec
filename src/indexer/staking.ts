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
  const [listings, bonds, stakes, unstakes, withdrawals, slashes, pools, claims, commission] =
    await Promise.all([
      byOp("operator_listings"),
      byOp("operator_bonds"),
      byOp("stakes", "account, assets"),
      byOp("unstake_requests", "account, assets"),
      byOp("stake_withdrawals", "account, assets"),
      byOp("slashes"),
      byOp("pool_rewards", "to_stakers, commission"),
      byOp("reward_claims", "kind, amount"),
      byOp("commission_changes"),
    ]);
  if (listings.length + bonds.length + stakes.length + slashes.length === 0) return undefined;
  const staked = sum(stakes, "assets");
  const withdrawn = sum(withdrawals, "assets");
  const slashed = sum(slashes, "slashed");
  const own = (list: Record<string, unknown>[]) =>
    sum(
      list.filter((r) => r.account === op),
      "assets",
    );
  const changed = commission.filter((c) => c.kind === "changed").at(-1);
  const lastScheduled = commission.filter((c) => c.kind === "scheduled").at(-1);
  const scheduledAfterChange =
    lastScheduled &&
    (!changed ||
      Number(lastScheduled.block_number) > Number(changed.block_number) ||
      (Number(lastScheduled.block_number) === Number(changed.block_number) &&
        Number(lastScheduled.log_index) > Number(changed.log_index)));
  const accrued = sum(pools, "commission");
  const commissionClaimed = sum(
    claims.filter((c) => c.kind === "commission"),
    "amount",
  );
  return {
    operator: op,
    poolId: listings.find((l) => l.pool_id !== null)?.pool_id ?? bonds.at(-1)?.pool_id ?? null,
    listed: Number(listings.at(-1)?.listed ?? 0) === 1,
    bonded: Number(bonds.at(-1)?.bonded ?? 0) === 1,
    stakers: new Set(stakes.map((s) => s.account)).size,
    /** OPEN in the pool now (bonded and unbonding): staked - withdrawn - slashed. */
    assets: (staked - withdrawn - slashed).toString(),
    staked: staked.toString(),
    withdrawn: withdrawn.toString(),
    slashed: slashed.toString(),
    /** OPEN moved to unbonding, at the exchange rate of each request. */
    unstakeRequested: sum(unstakes, "assets").toString(),
    /** The operator's own stake in its pool (its bond), staked and requested out, at event values. */
    own: { staked: own(stakes).toString(), unstakeRequested: own(unstakes).toString() },
    rewards: {
      toStakers: sum(pools, "to_stakers").toString(),
      claimedByStakers: sum(
        claims.filter((c) => c.kind === "staker"),
        "amount",
      ).toString(),
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
  const incoming = await rows(db, "SELECT value FROM token_transfers WHERE to_address = ?", [who]);
  const outgoing = await rows(db, "SELECT value FROM token_transfers WHERE from_address = ?", [who]);
  const received = sum(incoming, "value");
  const sent = sum(outgoing, "value");
  return {
    account: who,
    balance: (received - sent).toString(),
    received: received.toString(),
    sent: sent.toString(),
    transfersIn: incoming.length,
    transfersOut: outgoing.length,
  };
}

/** The staking and token side of `/totals`. */
export async function stakingTotals(db: SqlDatabase) {
  const all = (sql: string) => rows(db, sql);
  const [stakes, withdrawals, slashes, rewardsIn, pools, claims, released, minted, burned, transfers] =
    await Promise.all([
      all("SELECT assets FROM stakes"),
      all("SELECT assets FROM stake_withdrawals"),
      all("SELECT slashed, reward, to_treasury FROM slashes"),
      all("SELECT amount FROM staking_rewards_in"),
      all("SELECT to_stakers, commission FROM pool_rewards"),
      all("SELECT kind, amount FROM reward_claims"),
      all("SELECT amount FROM staker_releases"),
      db.all("SELECT value FROM token_transfers WHERE from_address = ?", [ZERO]),
      db.all("SELECT value FROM token_transfers WHERE to_address = ?", [ZERO]),
      db.all<{ n: number }>("SELECT COUNT(*) AS n FROM token_transfers"),
    ]);
  const staked = sum(stakes, "assets");
  const withdrawn = sum(withdrawals, "assets");
  const slashed = sum(slashes, "slashed");
  return {
    staking: {
      /** OPEN in all pools now: staked - withdrawn - slashed. */
      inPools: (staked - withdrawn - slashed).toString(),
      staked: staked.toString(),
      withdrawn: withdrawn.toString(),
      slashed: slashed.toString(),
      slashRewards: sum(slashes, "reward").toString(),
      slashedToTreasury: sum(slashes, "to_treasury").toString(),
      rewardsReceived: sum(rewardsIn, "amount").toString(),
      rewardsToPools: (sum(pools, "to_stakers") + sum(pools, "commission")).toString(),
      rewardsClaimed: sum(
        claims.filter((c) => c.kind === "staker"),
        "amount",
      ).toString(),
      commissionClaimed: sum(
        claims.filter((c) => c.kind === "commission"),
        "amount",
      ).toString(),
    },
    stakersReleased: sum(released, "amount"),
    token: {
      transfers: Number(transfers[0]?.n ?? 0),
      minted: sum(minted, "value").toString(),
      burned: sum(burned, "value").toString(),
      supply: (sum(minted, "value") - sum(burned, "value")).toString(),
    },
  };
}
