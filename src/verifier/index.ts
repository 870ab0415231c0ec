/**
 * The verifier: recomputes, from the chain's events and the published tables alone, every
 * commitment the suite relies on, and reports each mismatch with the model, epoch and
 * contributor involved. This is what makes the ledger accountable rather than merely public.
 *
 * Checks (each comparison counts as one check):
 * - attribution: every live (not voided) commitment's table is readable, is the table of that
 *   (model, epoch), its tree root and total equal the committed ones, no weight exceeds the total;
 *   a changed weight is located when one change explains the root, and weights proven on chain by
 *   direct claims are compared with the table;
 * - paid outputs: a table whose outputs came from inference receipts (`inputs.receipts`) names an
 *   escrow the distributor credits usage from, and each output it attributed is proven into a
 *   usage root that escrow's `VoucherRedeemed` carried for that model;
 * - attribution weights (docs/attribution.md): every unit of weight assigned to an accepted
 *   contribution of the entry's contributor in a datanet version the model was trained on;
 *   every table recomputed from the contributed texts and published outputs under the
 *   specification its method id names; a table that cannot be recomputed is UNVERIFIABLE and
 *   the verdict is not OK;
 * - datanet versions: the root and count of the accepted, non-withdrawn contributions as of the
 *   version's event equal the published ones;
 * - finalised pools: each equals the payments' contributor shares plus roll-forwards in and out;
 * - settlements: root and total recomputed (computeSettlement) from the Finalized pools covered
 *   and their tables; the published dump (when its URI is readable) compared account by account;
 *   every settlement claim's cumulative amount equals the recomputed one of the settlement then
 *   in force; every direct claim's weight and amount equal the table's;
 * - books: every field of `books()` recomputed from events, conservation
 *   (`paidIn == treasuryAccrued + ownersAccrued + stakerReserve + totalClaimed + claimable + poolsPending`),
 *   solvency (OPEN balance >= everything owed), every account's claims <= its entitlement and
 *   equal to the distributor's `claimed(account)`, every pair's direct claims <= its pool;
 * - staking: what the distributor released equals what staking took in from it, staking's
 *   `totals()` recomputed from events (stake in less withdrawn and slashed, rewards received,
 *   credited and paid, slashed), its reward identity (`received == toPools + queued`) and its
 *   solvency (OPEN balance >= stake + rewards not yet paid).
 */
import { FastMerkleTree, VERSION_LEAF_ENCODING } from "../merkle/index.js";
import { entitlement } from "../settlement/index.js";
import { readSuiteEvents, type SuiteEvent } from "../sdk/read/events.js";
import { versionKey, versionMembership } from "../sdk/read/membership.js";
import { checkPaidOutputTables } from "./paid-outputs.js";
import { buildLedger, owedFromBooks, pairKey, type Ledger } from "../sdk/read/ledger.js";
import type { Suite } from "../sdk/suite.js";
import { checkAttributionTables } from "./attribution.js";
import { checkCommitments } from "./commitments.js";

// Fetching published inputs: URI classification, the network policy and the refusals.
export * from "./fetch.js";
export type { AttributionCheckOptions, AttributionStatus, AttributionVerdict } from "./attribution.js";
export { formatIndexDifference, verifyIndex, type IndexCheck } from "./indexer.js";
export {
  formatMismatch,
  formatUnverifiable,
  type Mismatch,
  type MismatchKind,
  type VerifiedTable,
  type VerifyOptions,
  type VerifyResult,
} from "./report.js";
export type { RecomputedSettlement, SettlementRootStatus } from "./settlements.js";
export { checkCommitments } from "./commitments.js";
export { coveredPairs } from "./settlements.js";
import {
  Recorder,
  s,
  sumOf,
  where,
  type VerifiedTable,
  type VerifyOptions,
  type VerifyResult,
} from "./report.js";
import { checkClaims, checkClaimTotals, checkSettlements, settlementStatuses } from "./settlements.js";
export { parseTableLenient, locateChangedWeight, readUri, TableFormatError } from "./tables.js";
/** Recomputes everything it can from events and published tables and reports every mismatch. */
export async function verifyLedger(options: VerifyOptions): Promise<VerifyResult> {
  const { suite, provider } = options;
  const block = options.toBlock ?? (await provider.getBlockNumber());
  const events =
    options.events ?? (await readSuiteEvents(suite, provider, { toBlock: block, indexer: false }));
  const ledger = buildLedger(events);
  const r = new Recorder();

  const tables = await checkCommitments(ledger, r, options);
  const attribution = await checkAttributionTables(events, tables.values(), r, { suite, block }, options);
  const unverifiable = attribution.filter((v) => v.status === "UNVERIFIABLE");
  const live = [...tables.values()].filter((t) => !t.commitment.voided && t.table !== undefined);
  const paidOutputTables = await checkPaidOutputTables(
    live.map((t) => t.table!),
    r,
    { suite, provider, block, ...(options.fetchContent ? { fetchContent: options.fetchContent } : {}) },
  );
  checkVersions(events, r);
  checkPools(events, ledger, r);
  const settlements = await checkSettlements(ledger, tables, r, options);
  checkClaims(events, ledger, tables, settlements, r);
  await checkClaimTotals(ledger, tables, r, suite, block);
  await checkBooks(events, ledger, r, suite, block);
  await checkStaking(ledger, r, suite, block);

  return {
    ok: r.mismatches.length === 0 && unverifiable.length === 0,
    attribution,
    unverifiable,
    paidOutputTables,
    checks: r.checks,
    mismatches: r.mismatches,
    notes: r.notes,
    settlements: settlementStatuses(ledger, settlements),
    disputes: ledger.disputes,
    block,
  };
}

/** Every version's root and count against the contributions accepted and not withdrawn at its event. */
function checkVersions(events: readonly SuiteEvent[], r: Recorder): void {
  const membership = versionMembership(events);
  for (const e of events) {
    if (e.contract !== "datanets" || e.name !== "VersionPublished") continue;
    const a = e.args;
    const dn = String(a.datanetId);
    const accepted = membership.get(versionKey(dn, String(a.versionNumber))) ?? [];
    const base = { datanetId: dn, versionNumber: String(a.versionNumber) };
    const what = `datanet ${dn} version ${String(a.versionNumber)}`;
    r.equal(BigInt(accepted.length), BigInt(a.contributionCount as bigint), {
      kind: "version-count",
      ...base,
      message: `${what}: ${accepted.length} contributions were accepted and not withdrawn at block ${e.blockNumber}, the version declares ${String(a.contributionCount)}`,
    });
    const root =
      accepted.length === 0
        ? "(no accepted contribution)"
        : FastMerkleTree.of(
            accepted.map((m) => [m.contributionId, m.contributor, m.contentHash] as [string, string, string]),
            VERSION_LEAF_ENCODING,
          ).root.toLowerCase();
    r.equal(root, String(a.merkleRoot).toLowerCase(), {
      kind: "version-root",
      ...base,
      message: `${what}: the root of the contributions accepted at block ${e.blockNumber} is ${root}, the version publishes ${String(a.merkleRoot)}`,
    });
  }
}

/** Contributors' pool inflow of each payment: what remains after treasury, owner, royalties paid and stakers. */
function poolInflows(events: readonly SuiteEvent[]) {
  const royaltyByTx = new Map<string, bigint>();
  for (const e of events)
    if (e.contract === "distributor" && e.name === "RoyaltyAccrued")
      royaltyByTx.set(
        e.transactionHash,
        (royaltyByTx.get(e.transactionHash) ?? 0n) + BigInt(e.args.amount as bigint),
      );
  const byPair = new Map<string, bigint>();
  let poolsIn = 0n;
  let ownersAccrued = 0n;
  for (const e of events) {
    if (e.contract !== "distributor" || e.name !== "Paid") continue;
    const a = e.args as Record<string, bigint>;
    // The royalties actually credited are the RoyaltyAccrued events (Paid.royaltyShare must agree).
    const royalties = royaltyByTx.get(e.transactionHash) ?? 0n;
    const inflow = BigInt(a.amount) - BigInt(a.protocolShare) - BigInt(a.ownerShare) - royalties;
    const key = pairKey(BigInt(a.modelId), BigInt(a.epoch));
    byPair.set(key, (byPair.get(key) ?? 0n) + inflow);
    poolsIn += inflow;
    ownersAccrued += BigInt(a.ownerShare) + royalties;
  }
  royaltyByTx.clear();
  return { byPair, poolsIn, ownersAccrued };
}

/** Each finalised pool equals its payments' contributor shares plus roll-forwards in, minus out. */
function checkPools(events: readonly SuiteEvent[], ledger: Ledger, r: Recorder): void {
  const { byPair } = poolInflows(events);
  for (const roll of ledger.rolls) {
    const from = pairKey(roll.modelId, roll.fromEpoch);
    const to = pairKey(roll.modelId, roll.toEpoch);
    byPair.set(from, (byPair.get(from) ?? 0n) - roll.amount);
    byPair.set(to, (byPair.get(to) ?? 0n) + roll.amount);
  }
  for (const [key, f] of ledger.finalized) {
    r.equal(byPair.get(key) ?? 0n, f.pool, {
      kind: "pool",
      modelId: s(f.modelId),
      epoch: s(f.epoch),
      message: `${where(f)}: payments and roll-forwards give a pool of ${byPair.get(key) ?? 0n}, the distributor finalised ${f.pool}`,
    });
  }
}
/** `books()` recomputed from events; conservation and solvency. */
async function checkBooks(
  events: readonly SuiteEvent[],
  ledger: Ledger,
  r: Recorder,
  suite: Suite,
  block: number,
): Promise<void> {
  const books = await suite.distributor.books({ blockTag: block });
  const balance = await suite.token.balanceOf(suite.addresses.distributor, { blockTag: block });
  const { poolsIn, ownersAccrued } = poolInflows(events);
  const finalizedPools = sumOf([...ledger.finalized.values()].map((f) => f.pool));
  const totalClaimed = sumOf(ledger.claims.map((c) => c.amount));
  const recomputed: Record<string, bigint> = {
    paidIn: sumOf(ledger.payments.map((p) => p.amount)),
    // The protocol share is divided between the treasury and the staker reserve at checkpoints
    // (fee changes, treasury withdrawals): events fix only their sum, checked below.
    treasuryAccrued: books.treasuryAccrued,
    treasuryWithdrawn: sumOf(ledger.withdrawals.filter((w) => w.kind === "treasury").map((w) => w.amount)),
    ownersAccrued,
    ownersWithdrawn: sumOf(ledger.withdrawals.filter((w) => w.kind === "owner").map((w) => w.amount)),
    stakerReserve: books.stakerReserve,
    totalClaimed,
    claimable: finalizedPools - totalClaimed,
    poolsPending: poolsIn - finalizedPools,
    rolledForward: sumOf(ledger.rolls.map((x) => x.amount)),
  };
  const protocol = sumOf(ledger.payments.map((p) => p.protocolShare));
  r.equal(protocol, books.treasuryAccrued + books.stakerReserve, {
    kind: "books",
    message: `books: the events' protocol shares sum to ${protocol}, the distributor reports treasuryAccrued + stakerReserve = ${books.treasuryAccrued + books.stakerReserve}`,
  });
  for (const [field, value] of Object.entries(recomputed)) {
    const onChain = (books as unknown as Record<string, bigint>)[field];
    r.equal(value, onChain, {
      kind: "books",
      message: `books.${field}: the events give ${value}, the distributor reports ${onChain}`,
    });
  }
  const conservation = (b: Record<string, bigint>) =>
    b.treasuryAccrued + b.ownersAccrued + b.stakerReserve + b.totalClaimed + b.claimable + b.poolsPending;
  for (const [label, b] of [
    ["events", recomputed],
    ["books()", books as unknown as Record<string, bigint>],
  ] as const) {
    r.equal(b.paidIn, conservation(b), {
      kind: "conservation",
      message: `conservation (${label}): paidIn ${b.paidIn} != treasuryAccrued + ownersAccrued + stakerReserve + totalClaimed + claimable + poolsPending = ${conservation(b)}`,
    });
  }
  const owed = owedFromBooks(books);
  r.assert(balance >= owed, {
    kind: "solvency",
    expected: `>= ${owed}`,
    actual: s(balance),
    message: `solvency: the distributor holds ${balance} OPEN but owes ${owed}`,
  });
}

/** Staking's `totals()` recomputed from events; the distributor's releases; identity and solvency. */
async function checkStaking(ledger: Ledger, r: Recorder, suite: Suite, block: number): Promise<void> {
  const [t, books, balance] = await Promise.all([
    suite.staking.totals({ blockTag: block }),
    suite.distributor.books({ blockTag: block }),
    suite.token.balanceOf(suite.addresses.staking, { blockTag: block }),
  ]);
  const st = ledger.staking;
  const stakes = [...st.stakes.values()];
  const slashed = sumOf(st.slashes.map((x) => x.slashed));
  const recomputed: Record<string, bigint> = {
    staked: sumOf(stakes.map((x) => x.staked)) - sumOf(stakes.map((x) => x.withdrawn)) - slashed,
    rewardsReceived: st.rewardsReceived,
    rewardsToPools: st.rewardsToPools,
    rewardsPaid: sumOf(stakes.map((x) => x.rewardsClaimed)) + st.commissionClaimed,
    slashed,
  };
  for (const [field, value] of Object.entries(recomputed)) {
    const onChain = (t as unknown as Record<string, bigint>)[field];
    r.equal(value, onChain, {
      kind: "staking",
      message: `staking totals.${field}: the events give ${value}, the staking contract reports ${onChain}`,
    });
  }
  r.equal(st.releasedByDistributor, books.stakersReleased, {
    kind: "staking",
    message: `staking: the distributor's release events sum to ${st.releasedByDistributor}, books().stakersReleased is ${books.stakersReleased}`,
  });
  r.equal(t.rewardsReceived, t.rewardsToPools + t.rewardsQueued, {
    kind: "conservation",
    message: `staking conservation: rewardsReceived ${t.rewardsReceived} != rewardsToPools + rewardsQueued = ${t.rewardsToPools + t.rewardsQueued}`,
  });
  const owed = t.staked + t.rewardsToPools + t.rewardsQueued - t.rewardsPaid;
  r.assert(balance >= owed, {
    kind: "solvency",
    expected: `>= ${owed}`,
    actual: s(balance),
    message: `staking solvency: the staking contract holds ${balance} OPEN but owes ${owed} (stake and unpaid rewards)`,
  });
}
