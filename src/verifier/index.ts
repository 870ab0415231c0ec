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
 *   equal to the distributor's `claimed(account)`, every pair's direct claims <= its pool.
 */
import type { WeightTable } from "../attribution/index.js";
import { FastMerkleTree, VERSION_LEAF_ENCODING } from "../merkle/index.js";
import { entitlement } from "../settlement/index.js";
import { readSuiteEvents, type SuiteEvent } from "../sdk/read/events.js";
import { buildLedger, owedFromBooks, pairKey, type Ledger } from "../sdk/read/ledger.js";
import type { Suite } from "../sdk/suite.js";
import { locateChangedWeight, parseTableLenient, readUri, tableRoot } from "./tables.js";

export { classifyUri, fetchText, isLoopbackHost, UriRefusedError, type FetchText } from "./fetch.js";
export {
  formatMismatch,
  type Mismatch,
  type MismatchKind,
  type VerifiedTable,
  type VerifyOptions,
  type VerifyResult,
} from "./report.js";
export type { RecomputedSettlement } from "./settlements.js";
import {
  Recorder,
  s,
  sumOf,
  where,
  type VerifiedTable,
  type VerifyOptions,
  type VerifyResult,
} from "./report.js";
import { checkClaims, checkClaimTotals, checkSettlements } from "./settlements.js";
export { parseTableLenient, locateChangedWeight, readUri, TableFormatError } from "./tables.js";
/** Recomputes everything it can from events and published tables and reports every mismatch. */
export async function verifyLedger(options: VerifyOptions): Promise<VerifyResult> {
  const { suite, provider } = options;
  const block = options.toBlock ?? (await provider.getBlockNumber());
  const events = options.events ?? (await readSuiteEvents(suite, provider, { toBlock: block }));
  const ledger = buildLedger(events);
  const r = new Recorder();

  const tables = await checkCommitments(ledger, r, options);
  checkVersions(events, r);
  checkPools(events, ledger, r);
  const settlements = await checkSettlements(ledger, tables, r, options);
  checkClaims(events, ledger, tables, settlements, r);
  await checkClaimTotals(ledger, tables, r, suite, block);
  await checkBooks(events, ledger, r, suite, block);

  return { ok: r.mismatches.length === 0, checks: r.checks, mismatches: r.mismatches, notes: r.notes, block };
}

/** Reads and checks every live commitment's table; returns them keyed `model/epoch`. */
async function checkCommitments(
  ledger: Ledger,
  r: Recorder,
  options: Pick<VerifyOptions, "fetchTable" | "locateLimit">,
): Promise<Map<string, VerifiedTable>> {
  const out = new Map<string, VerifiedTable>();
  const limit = options.locateLimit ?? 1000;
  for (const [key, c] of ledger.commitments) {
    const base = { modelId: s(c.modelId), epoch: s(c.epoch) };
    const entry: VerifiedTable = { commitment: c };
    out.set(key, entry);
    if (c.voided) {
      r.notes.push(`${where(c)}: commitment voided by governance, table not checked`);
      continue;
    }
    let text: string;
    try {
      text = await readUri(c.uri, options.fetchTable);
      r.checks++;
    } catch (error) {
      r.assert(false, {
        kind: "table-unavailable",
        ...base,
        expected: `the table published at ${c.uri}`,
        actual: "unreadable",
        message: `${where(c)}: cannot read the committed table ${c.uri}: ${(error as Error).message}`,
      });
      continue;
    }
    let table: WeightTable;
    try {
      table = parseTableLenient(text);
      r.checks++;
    } catch (error) {
      r.assert(false, {
        kind: "table-malformed",
        ...base,
        expected: "a weight table (JSON)",
        actual: "malformed",
        message: `${where(c)}: the table at ${c.uri} is malformed: ${(error as Error).message}`,
      });
      continue;
    }
    entry.table = table;
    r.equal(pairKey(c.modelId, c.epoch), pairKey(table.modelId, table.epoch), {
      kind: "table-pair",
      ...base,
      message: `${where(c)}: the table at ${c.uri} is the table of ${where(table)}`,
    });
    const seen = new Set<string>();
    for (const e of table.entries) {
      r.assert(!seen.has(e.contributor), {
        kind: "table-duplicate",
        ...base,
        account: e.contributor,
        expected: "one entry per contributor",
        actual: "duplicate entry",
        message: `${where(c)}: contributor ${e.contributor} appears twice in the table`,
      });
      seen.add(e.contributor);
      r.assert(e.weight <= c.totalWeight, {
        kind: "weight-above-total",
        ...base,
        account: e.contributor,
        expected: `<= ${c.totalWeight}`,
        actual: s(e.weight),
        message: `${where(c)}: contributor ${e.contributor} has weight ${e.weight}, above the committed total ${c.totalWeight}`,
      });
    }
    r.equal(c.totalWeight, table.totalWeight, {
      kind: "total-weight",
      ...base,
      message: `${where(c)}: the table declares totalWeight ${table.totalWeight}, the commitment ${c.totalWeight}`,
    });
    const sum = sumOf(table.entries.map((e) => e.weight));
    r.equal(c.totalWeight, sum, {
      kind: "weight-sum",
      ...base,
      message: `${where(c)}: the table's weights sum to ${sum}, the committed total is ${c.totalWeight}`,
    });
    const root = tableRoot(table) ?? "(empty table)";
    const rootOk = r.equal(c.root, root, {
      kind: "attribution-root",
      ...base,
      message: `${where(c)}: the table's root ${root} differs from the committed root ${c.root}`,
    });
    if (rootOk) {
      entry.usable = table;
      continue;
    }
    const found = locateChangedWeight(table, c, limit);
    if (found) {
      const e = table.entries[found.index];
      r.mismatches.push({
        kind: "attribution-weight",
        ...base,
        account: e.contributor,
        expected: s(found.committedWeight),
        actual: s(e.weight),
        message: `${where(c)}: contributor ${e.contributor} has weight ${e.weight} in the published table, but the committed root proves ${found.committedWeight}`,
      });
      entry.usable = {
        ...table,
        totalWeight: c.totalWeight,
        entries: table.entries.map((x, j) =>
          j === found.index ? { ...x, weight: found.committedWeight } : x,
        ),
      };
    }
  }
  return out;
}

/** Every version's root and count against the contributions accepted and not withdrawn at its event. */
function checkVersions(events: readonly SuiteEvent[], r: Recorder): void {
  type Member = { contributor: string; contentHash: string; accepted: boolean };
  const datanets = new Map<string, Map<string, Member>>();
  for (const e of events) {
    if (e.contract !== "datanets") continue;
    const a = e.args;
    const dn = String(a.datanetId);
    const members = datanets.get(dn) ?? new Map<string, Member>();
    datanets.set(dn, members);
    const id = String(a.contributionId ?? "").toLowerCase();
    switch (e.name) {
      case "ContributionSubmitted":
        members.set(id, {
          contributor: String(a.contributor).toLowerCase(),
          contentHash: String(a.contentHash).toLowerCase(),
          accepted: false,
        });
        break;
      case "ContributionAccepted":
      case "ContributionRejected":
      case "ContributionWithdrawn": {
        const m = members.get(id);
        if (m) m.accepted = e.name === "ContributionAccepted";
        break;
      }
      case "VersionPublished": {
        const accepted = [...members.entries()].filter(([, m]) => m.accepted);
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
                accepted.map(([cid, m]) => [cid, m.contributor, m.contentHash] as [string, string, string]),
                VERSION_LEAF_ENCODING,
              ).root.toLowerCase();
        r.equal(root, String(a.merkleRoot).toLowerCase(), {
          kind: "version-root",
          ...base,
          message: `${what}: the root of the contributions accepted at block ${e.blockNumber} is ${root}, the version publishes ${String(a.merkleRoot)}`,
        });
        break;
      }
      default:
        break;
    }
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
