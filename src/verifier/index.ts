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
import type { Provider } from "ethers";
import type { WeightTable } from "../attribution/index.js";
import { FastMerkleTree, SETTLEMENT_LEAF_ENCODING, VERSION_LEAF_ENCODING } from "../merkle/index.js";
import { computeSettlement, entitlement, type FinalizedPair, type Settlement } from "../settlement/index.js";
import { readSuiteEvents, type SuiteEvent } from "../sdk/events.js";
import { buildLedger, owedFromBooks, pairKey, type CommitmentNode, type Ledger } from "../sdk/ledger.js";
import type { Suite } from "../sdk/suite.js";
import { classifyUri, UriRefusedError, type FetchText } from "./fetch.js";
import { locateChangedWeight, parseTableLenient, readUri, tableRoot } from "./tables.js";

export { classifyUri, fetchText, isLoopbackHost, UriRefusedError, type FetchText } from "./fetch.js";
export { formatIndexDifference, verifyIndex, type IndexCheck } from "./indexer.js";
export { parseTableLenient, locateChangedWeight, readUri, TableFormatError } from "./tables.js";

/** What kind of disagreement a mismatch is. */
export type MismatchKind =
  | "table-unavailable"
  | "table-malformed"
  | "table-pair"
  | "table-duplicate"
  | "total-weight"
  | "weight-sum"
  | "weight-above-total"
  | "attribution-root"
  | "attribution-weight"
  | "version-root"
  | "version-count"
  | "pool"
  | "settlement-unverifiable"
  | "settlement-coverage"
  | "settlement-total"
  | "settlement-root"
  | "settlement-dump"
  | "settlement-account"
  | "claim-cumulative"
  | "direct-claim-weight"
  | "direct-claim-amount"
  | "direct-claims-above-pool"
  | "claims-above-entitlement"
  | "claimed-ledger"
  | "books"
  | "conservation"
  | "solvency";

/** One disagreement between what the chain says and what the verifier recomputed. */
export interface Mismatch {
  kind: MismatchKind;
  modelId?: string;
  epoch?: string;
  account?: string;
  datanetId?: string;
  versionNumber?: string;
  settlementId?: string;
  /** What the recomputation gives (or what should hold). */
  expected: string;
  /** What the chain or the published file says. */
  actual: string;
  message: string;
}

/** Options of {@link verifyLedger}. */
export interface VerifyOptions {
  suite: Suite;
  provider: Provider;
  /** Reads a table or dump URI (default: files, local paths and loopback http). Non-loopback http is refused anyway. */
  fetchTable?: FetchText;
  /** Settlement id (decimal) -> URI or path of its StandardMerkleTree dump, overriding the URI committed on chain. */
  settlementDumps?: Readonly<Record<string, string>>;
  /** Verify the chain as of this block (default: latest). */
  toBlock?: number;
  /** Tables of at most this many entries are searched for the one changed weight (default 1,000). */
  locateLimit?: number;
  /** Events already read (with `toBlock`), to save reading them again. */
  events?: readonly SuiteEvent[];
}

/** The verifier's verdict. */
export interface VerifyResult {
  ok: boolean;
  /** Comparisons made. */
  checks: number;
  mismatches: Mismatch[];
  /** Checks skipped and why (e.g. a settlement URI that is not a location). */
  notes: string[];
  /** The block verified. */
  block: number;
}

/** A table the verifier read, and whether it can be trusted for the settlement recomputation. */
export interface VerifiedTable {
  commitment: CommitmentNode;
  table?: WeightTable;
  /** The table, or the table with the located weight restored, when its root equals the commitment's. */
  usable?: WeightTable;
}

const s = (v: bigint | number): string => v.toString();
const sumOf = (xs: Iterable<bigint>): bigint => {
  let t = 0n;
  for (const x of xs) t += x;
  return t;
};
const where = (m: { modelId: bigint; epoch: bigint }) => `model ${m.modelId} epoch ${m.epoch}`;

class Recorder {
  checks = 0;
  readonly mismatches: Mismatch[] = [];
  readonly notes: string[] = [];
  /** Counts one check; records a mismatch when `expected !== actual`. Returns whether it held. */
  equal(
    expected: bigint | string,
    actual: bigint | string,
    m: Omit<Mismatch, "expected" | "actual">,
  ): boolean {
    this.checks++;
    if (String(expected) === String(actual)) return true;
    this.mismatches.push({ ...m, expected: String(expected), actual: String(actual) });
    return false;
  }
  /** Counts one check; records `m` when `holds` is false. */
  assert(holds: boolean, m: Mismatch): boolean {
    this.checks++;
    if (!holds) this.mismatches.push(m);
    return holds;
  }
}

/** Recomputes everything it can from events and published tables and reports every mismatch. */
export async function verifyLedger(options: VerifyOptions): Promise<VerifyResult> {
  const { suite, provider } = options;
  const block = options.toBlock ?? (await provider.getBlockNumber());
  const events =
    options.events ?? (await readSuiteEvents(suite, provider, { toBlock: block, indexer: false }));
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

/** A recomputed settlement, by id. */
export interface RecomputedSettlement {
  id: bigint;
  settlement?: Settlement;
  cumulative?: Map<string, bigint>;
}

/** The Finalized pairs covered by `coveredThroughSeq`, joined with their usable tables, or the pairs that have none. */
function coveredPairs(ledger: Ledger, tables: Map<string, VerifiedTable>, coveredThroughSeq: bigint) {
  const pairs: FinalizedPair[] = [];
  const missing: string[] = [];
  for (const [key, f] of ledger.finalized) {
    if (f.finalizeSeq > coveredThroughSeq) continue;
    const t = tables.get(key);
    if (!t?.usable) {
      missing.push(where(f));
      continue;
    }
    pairs.push({ ...f, totalWeight: t.commitment.totalWeight, entries: t.usable.entries });
  }
  return { pairs, missing };
}

/** Every settlement's root and total recomputed, and its dump compared when readable. */
async function checkSettlements(
  ledger: Ledger,
  tables: Map<string, VerifiedTable>,
  r: Recorder,
  options: Pick<VerifyOptions, "fetchTable" | "settlementDumps">,
): Promise<Map<string, RecomputedSettlement>> {
  const out = new Map<string, RecomputedSettlement>();
  for (const st of ledger.settlements) {
    const id = s(st.id);
    const base = { settlementId: id };
    const rec: RecomputedSettlement = { id: st.id };
    out.set(id, rec);
    const finalizedBefore = [...ledger.finalized.values()].filter(
      (f) => f.finalizeSeq <= st.coveredThroughSeq,
    );
    r.assert(BigInt(finalizedBefore.length) === st.coveredThroughSeq, {
      kind: "settlement-coverage",
      ...base,
      expected: `${st.coveredThroughSeq} finalised pairs`,
      actual: `${finalizedBefore.length} Finalized events with finalizeSeq <= ${st.coveredThroughSeq}`,
      message: `settlement ${id} covers through finalizeSeq ${st.coveredThroughSeq} but the events show ${finalizedBefore.length} such pairs`,
    });
    const { pairs, missing } = coveredPairs(ledger, tables, st.coveredThroughSeq);
    if (missing.length > 0) {
      r.assert(false, {
        kind: "settlement-unverifiable",
        ...base,
        expected: "a table matching its commitment for every covered pair",
        actual: `none for ${missing.join(", ")}`,
        message: `settlement ${id} cannot be recomputed: no table matching its commitment for ${missing.join(", ")}`,
      });
      continue;
    }
    let settlement: Settlement;
    try {
      settlement = computeSettlement(pairs);
    } catch (error) {
      r.assert(false, {
        kind: "settlement-unverifiable",
        ...base,
        expected: "tables that can be settled",
        actual: (error as Error).message,
        message: `settlement ${id} cannot be recomputed: ${(error as Error).message}`,
      });
      continue;
    }
    rec.settlement = settlement;
    rec.cumulative = new Map(settlement.accounts.map((a) => [a.account, a.cumulativeAmount]));
    r.equal(settlement.total, st.total, {
      kind: "settlement-total",
      ...base,
      message: `settlement ${id}: the covered pools and tables give a total of ${settlement.total}, the settlement commits ${st.total}`,
    });
    const root =
      settlement.accounts.length === 0
        ? "(nobody is owed anything)"
        : FastMerkleTree.of(
            settlement.accounts.map((a) => [a.account, a.cumulativeAmount] as [string, bigint]),
            SETTLEMENT_LEAF_ENCODING,
          ).root.toLowerCase();
    r.equal(root, st.root, {
      kind: "settlement-root",
      ...base,
      message: `settlement ${id}: the recomputed root is ${root}, the settlement commits ${st.root}`,
    });
    await checkSettlementDump(st, settlement, r, options);
  }
  return out;
}

async function checkSettlementDump(
  st: Ledger["settlements"][number],
  settlement: Settlement,
  r: Recorder,
  options: Pick<VerifyOptions, "fetchTable" | "settlementDumps">,
): Promise<void> {
  const id = s(st.id);
  const override = options.settlementDumps?.[id];
  const uri = override ?? st.uri;
  if (!override) {
    const kind = classifyUri(uri);
    const skip =
      kind === "path" && !/[/\\]|\.json$/i.test(uri)
        ? "is not a location"
        : kind === "refused" && !options.fetchTable
          ? "is not readable by the default reader (files and loopback http only)"
          : undefined;
    if (skip) {
      r.notes.push(`settlement ${id}: URI "${uri}" ${skip}; its dump was not compared (root and total were)`);
      return;
    }
  }
  let dump: { format?: string; tree?: string[]; values?: { value: [string, string] }[] };
  try {
    dump = JSON.parse(await readUri(uri, options.fetchTable)) as typeof dump;
    if (!Array.isArray(dump.values) || !Array.isArray(dump.tree))
      throw new Error("not a StandardMerkleTree dump");
  } catch (error) {
    if (error instanceof UriRefusedError && !override) {
      r.notes.push(`settlement ${id}: ${error.message}; its dump was not compared (root and total were)`);
      return;
    }
    r.assert(false, {
      kind: "settlement-dump",
      settlementId: id,
      expected: `the settlement's dump at ${uri}`,
      actual: "unreadable",
      message: `settlement ${id}: cannot read its dump ${uri}: ${(error as Error).message}`,
    });
    return;
  }
  r.equal(st.root, String(dump.tree[0]).toLowerCase(), {
    kind: "settlement-dump",
    settlementId: id,
    message: `settlement ${id}: the dump at ${uri} has root ${dump.tree[0]}, the settlement commits ${st.root}`,
  });
  const published = new Map<string, bigint>();
  for (const { value } of dump.values) published.set(String(value[0]).toLowerCase(), BigInt(value[1]));
  const recomputed = new Map(settlement.accounts.map((a) => [a.account, a.cumulativeAmount]));
  for (const account of new Set([...published.keys(), ...recomputed.keys()])) {
    const expected = recomputed.get(account) ?? 0n;
    const actual = published.get(account) ?? 0n;
    r.equal(expected, actual, {
      kind: "settlement-account",
      settlementId: id,
      account,
      message: `settlement ${id}: account ${account} is owed ${expected} cumulatively by recomputation, the published settlement says ${actual}`,
    });
  }
}

/** Claims against the settlement in force and the tables of directly claimed pairs. */
function checkClaims(
  events: readonly SuiteEvent[],
  ledger: Ledger,
  tables: Map<string, VerifiedTable>,
  settlements: Map<string, RecomputedSettlement>,
  r: Recorder,
): void {
  let current: RecomputedSettlement | undefined;
  const directByPair = new Map<string, bigint>();
  for (const e of events) {
    if (e.contract !== "distributor") continue;
    const a = e.args;
    if (e.name === "SettlementCommitted") current = settlements.get(String(a.id));
    else if (e.name === "Claimed" && current?.cumulative) {
      const account = String(a.account).toLowerCase();
      const expected = current.cumulative.get(account) ?? 0n;
      r.equal(expected, BigInt(a.cumulativeAmount as bigint), {
        kind: "claim-cumulative",
        settlementId: s(current.id),
        account,
        message: `claim ${e.transactionHash}: ${account} claimed with a cumulative amount of ${String(a.cumulativeAmount)} under settlement ${current.id}, recomputation gives ${expected}`,
      });
    } else if (e.name === "DirectClaimed") {
      const account = String(a.account).toLowerCase();
      const modelId = BigInt(a.modelId as bigint);
      const epoch = BigInt(a.epoch as bigint);
      const key = pairKey(modelId, epoch);
      const base = { modelId: s(modelId), epoch: s(epoch), account };
      directByPair.set(key, (directByPair.get(key) ?? 0n) + BigInt(a.amount as bigint));
      const t = tables.get(key);
      const row = t?.table?.entries.find((x) => x.contributor === account);
      if (t?.table) {
        // The claimed weight was proven against the committed root on chain.
        r.equal(BigInt(a.weight as bigint), row?.weight ?? 0n, {
          kind: "direct-claim-weight",
          ...base,
          message: `${where({ modelId, epoch })}: ${account} claimed directly with weight ${String(a.weight)} (proven against the committed root), the published table says ${row?.weight ?? 0n}`,
        });
      }
      const f = ledger.finalized.get(key);
      if (f && t) {
        const owed = entitlement(f.pool, BigInt(a.weight as bigint), t.commitment.totalWeight);
        r.equal(owed, BigInt(a.amount as bigint), {
          kind: "direct-claim-amount",
          ...base,
          message: `${where({ modelId, epoch })}: ${account} was paid ${String(a.amount)} directly, floor(pool * weight / total) is ${owed}`,
        });
      }
    }
  }
  for (const [key, paid] of directByPair) {
    const f = ledger.finalized.get(key);
    if (!f) continue;
    r.assert(paid <= f.pool, {
      kind: "direct-claims-above-pool",
      modelId: s(f.modelId),
      epoch: s(f.epoch),
      expected: `<= ${f.pool}`,
      actual: s(paid),
      message: `${where(f)}: direct claims paid ${paid}, above the pair's pool ${f.pool}`,
    });
  }
}

/** Every account's claims <= its entitlement over all finalised pairs, and equal to `claimed(account)` on chain. */
async function checkClaimTotals(
  ledger: Ledger,
  tables: Map<string, VerifiedTable>,
  r: Recorder,
  suite: Suite,
  block: number,
): Promise<void> {
  const claimedBy = new Map<string, bigint>();
  for (const c of ledger.claims) claimedBy.set(c.account, (claimedBy.get(c.account) ?? 0n) + c.amount);
  const accounts = [...claimedBy.keys()];
  for (let i = 0; i < accounts.length; i += 20) {
    const batch = accounts.slice(i, i + 20);
    const onChain = await Promise.all(batch.map((a) => suite.distributor.claimed(a, { blockTag: block })));
    batch.forEach((account, j) => {
      const total = claimedBy.get(account)!;
      r.equal(total, onChain[j], {
        kind: "claimed-ledger",
        account,
        message: `${account}: Claimed and DirectClaimed events sum to ${total}, the distributor's claimed(account) is ${onChain[j]}`,
      });
    });
  }
  const { pairs, missing } = coveredPairs(ledger, tables, BigInt(Number.MAX_SAFE_INTEGER));
  if (missing.length > 0) {
    r.notes.push(
      `claims vs entitlements not checked: no table matching its commitment for ${missing.join(", ")}`,
    );
    return;
  }
  let entitled: Map<string, bigint>;
  try {
    entitled = new Map(computeSettlement(pairs).accounts.map((a) => [a.account, a.cumulativeAmount]));
  } catch (error) {
    r.notes.push(`claims vs entitlements not checked: ${(error as Error).message}`);
    return;
  }
  for (const [account, total] of claimedBy) {
    const owed = entitled.get(account) ?? 0n;
    r.assert(total <= owed, {
      kind: "claims-above-entitlement",
      account,
      expected: `<= ${owed}`,
      actual: s(total),
      message: `${account} was paid ${total} in claims, above the ${owed} its weights in the finalised pools entitle it to`,
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

/** One line per mismatch, for terminals. */
export function formatMismatch(m: Mismatch): string {
  const tags = [
    m.modelId !== undefined ? `model=${m.modelId}` : "",
    m.epoch !== undefined ? `epoch=${m.epoch}` : "",
    m.account !== undefined ? `account=${m.account}` : "",
    m.datanetId !== undefined ? `datanet=${m.datanetId}` : "",
    m.versionNumber !== undefined ? `version=${m.versionNumber}` : "",
    m.settlementId !== undefined ? `settlement=${m.settlementId}` : "",
  ].filter(Boolean);
  return `MISMATCH ${m.kind}${tags.length ? ` [${tags.join(" ")}]` : ""}: ${m.message} (expected ${m.expected}, actual ${m.actual})`;
}
