/**
 * The usage-voucher escrow as the index sees it: a payer's escrow balance, pending withdrawal and
 * redeemed vouchers; a model's voucher revenue per epoch and its usage roots.
 *
 * A payer's balance is deposits minus redeemed vouchers minus withdrawals (what the escrow's books
 * hold); the latest `Deposited` also carries the balance after it, shown for cross-checking. A
 * voucher's OPEN reaches the distributor as a `Paid` whose payer is the escrow itself (the escrow's
 * `VoucherRedeemed` names the app), so a model's voucher revenue per epoch is its payments from
 * the escrow, summed in SQL.
 */
import type { SqlDatabase } from "./db.js";
import { listPage, type PageRequest } from "./queries.js";
import { amountSum, amountSumSql } from "./sums.js";

/** The usage escrow's address this index was written for (null when it indexes none). */
export async function escrowAddress(db: SqlDatabase): Promise<string | null> {
  const rows = await db.all<{ value: string }>("SELECT value FROM indexer_meta WHERE key = 'identity'");
  if (!rows[0]) return null;
  const identity = JSON.parse(rows[0].value) as { addresses?: Record<string, string> };
  return identity.addresses?.usageEscrow ?? null;
}

async function total(db: SqlDatabase, table: string, where: string, params: (string | number)[]) {
  const [row] = await db.all(
    `SELECT COUNT(*) AS n, ${amountSumSql(db, "amount", "s")} FROM ${table} WHERE ${where}`,
    params,
  );
  return { count: Number(row?.n ?? 0), amount: amountSum(row, "s") };
}

/** One payer: escrow balance, pending withdrawal, totals, and the first page of each history. */
export async function payerView(db: SqlDatabase, payer: string, page: PageRequest = {}) {
  const who = payer.toLowerCase();
  const deposited = await total(db, "usage_deposits", "payer = ?", [who]);
  const redeemed = await total(db, "voucher_redemptions", "payer = ?", [who]);
  const withdrawn = await total(db, "usage_withdrawals", "payer = ? AND kind = 'withdrawn'", [who]);
  const [lastDeposit] = await db.all(
    "SELECT balance, block_number, log_index FROM usage_deposits WHERE payer = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
    [who],
  );
  // A request stays pending until cancelled, executed or replaced by a later one.
  const [lastWithdrawal] = await db.all(
    "SELECT * FROM usage_withdrawals WHERE payer = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
    [who],
  );
  const pending =
    lastWithdrawal && lastWithdrawal.kind === "requested"
      ? {
          amount: String(lastWithdrawal.amount),
          withdrawableAt: Number(lastWithdrawal.withdrawable_at),
          txHash: lastWithdrawal.tx_hash,
        }
      : null;
  const vouchers = await listPage(db, "voucher_redemptions", { payer: who }, page);
  const deposits = await listPage(db, "usage_deposits", { payer: who }, { limit: 100 });
  const withdrawals = await listPage(db, "usage_withdrawals", { payer: who }, { limit: 100 });
  return {
    payer: who,
    escrow: await escrowAddress(db),
    balance: (deposited.amount - redeemed.amount - withdrawn.amount).toString(),
    balanceAfterLastDeposit: lastDeposit ? String(lastDeposit.balance) : null,
    pendingWithdrawal: pending,
    deposited: { count: deposited.count, amount: deposited.amount.toString() },
    redeemed: { count: redeemed.count, amount: redeemed.amount.toString() },
    withdrawn: { count: withdrawn.count, amount: withdrawn.amount.toString() },
    vouchers,
    deposits,
    withdrawals,
  };
}

/** A model's voucher revenue per epoch (its payments from the escrow) and redemption totals. */
export async function modelUsage(db: SqlDatabase, modelId: number) {
  const escrow = await escrowAddress(db);
  const perEpoch = escrow
    ? (
        await db.all(
          `SELECT epoch, COUNT(*) AS n, ${amountSumSql(db, "amount", "a")}, ${amountSumSql(db, "contributor_share", "c")}
             FROM payments WHERE model_id = ? AND payer = ? GROUP BY epoch ORDER BY epoch`,
          [modelId, escrow],
        )
      ).map((r) => ({
        epoch: Number(r.epoch),
        payments: Number(r.n),
        amount: amountSum(r, "a").toString(),
        contributors: amountSum(r, "c").toString(),
      }))
    : [];
  const [units] = await db.all(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT payer) AS payers, ${amountSumSql(db, "units", "u")}, ${amountSumSql(db, "amount", "a")}
       FROM voucher_redemptions WHERE model_id = ?`,
    [modelId],
  );
  return {
    modelId,
    escrow,
    redemptions: Number(units?.n ?? 0),
    payers: Number(units?.payers ?? 0),
    units: amountSum(units, "u").toString(),
    revenue: amountSum(units, "a").toString(),
    perEpoch,
  };
}
