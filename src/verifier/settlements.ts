/**
 * The verifier's settlement checks: every settlement's root and total recomputed from the pools it
 * covers and their tables, its published dump compared account by account, every claim checked
 * against the settlement in force or the pair's table, and every account's claims against its
 * entitlement.
 */
import type { Suite } from "../sdk/suite.js";
import { computeSettlement, entitlement, type FinalizedPair, type Settlement } from "../settlement/index.js";
import { settlementTree } from "../settlement/tree.js";
import type { SuiteEvent } from "../sdk/read/events.js";
import { pairKey, type Ledger } from "../sdk/read/ledger.js";
import { classifyUri, UriRefusedError } from "./fetch.js";
import { readUri } from "./tables.js";
import { Recorder, s, where, type VerifiedTable, type VerifyOptions } from "./report.js";

/** A recomputed settlement, by id. */
export interface RecomputedSettlement {
  id: bigint;
  settlement?: Settlement;
  cumulative?: Map<string, bigint>;
  /** Whether the posted root, total and dump agree with the recomputation. */
  verdict: "match" | "mismatch" | "unverifiable";
}

/** A posted settlement root as the verifier saw it. */
export interface SettlementRootStatus {
  id: string;
  root: string;
  status: "pending" | "activated" | "rejected";
  operator: string;
  /** When its dispute window closes (unix seconds). */
  activatesAt: string;
  /** `rejected` roots are not recomputed: a dispute proved them wrong on chain. */
  verdict: "match" | "mismatch" | "unverifiable" | "rejected";
}

/** The Finalized pairs covered by `coveredThroughSeq`, joined with their usable tables (and committed roots), or the pairs that have none. */
export function coveredPairs(
  ledger: Ledger,
  tables: Map<string, VerifiedTable>,
  coveredThroughSeq: bigint,
): { pairs: (FinalizedPair & { root: string })[]; missing: string[] } {
  const pairs: (FinalizedPair & { root: string })[] = [];
  const missing: string[] = [];
  for (const [key, f] of ledger.finalized) {
    if (f.finalizeSeq > coveredThroughSeq) continue;
    const t = tables.get(key);
    if (!t?.usable) {
      missing.push(where(f));
      continue;
    }
    pairs.push({
      ...f,
      root: t.commitment.root,
      totalWeight: t.commitment.totalWeight,
      entries: t.usable.entries,
    });
  }
  return { pairs, missing };
}

/** Every settlement's root and total recomputed, and its dump compared when readable. */
export async function checkSettlements(
  ledger: Ledger,
  tables: Map<string, VerifiedTable>,
  r: Recorder,
  options: Pick<VerifyOptions, "fetchTable" | "settlementDumps">,
): Promise<Map<string, RecomputedSettlement>> {
  const out = new Map<string, RecomputedSettlement>();
  for (const st of ledger.settlements) {
    const id = s(st.id);
    const base = { settlementId: id };
    const rec: RecomputedSettlement = { id: st.id, verdict: "unverifiable" };
    out.set(id, rec);
    const before = r.mismatches.length;
    // A wrong pending root can still be disputed: say so, and until when.
    const pending =
      st.status === "pending"
        ? ` (pending: dispute it before ${st.activatesAt}, e.g. with settlement watch)`
        : "";
    const finalizedBefore = [...ledger.finalized.values()].filter(
      (f) => f.finalizeSeq <= st.coveredThroughSeq,
    );
    r.assert(BigInt(finalizedBefore.length) === st.coveredThroughSeq, {
      kind: "settlement-coverage",
      ...base,
      expected: `${st.coveredThroughSeq} finalised pairs`,
      actual: `${finalizedBefore.length} Finalized events with finalizeSeq <= ${st.coveredThroughSeq}`,
      message: `settlement ${id} covers through finalizeSeq ${st.coveredThroughSeq} but the events show ${finalizedBefore.length} such pairs${pending}`,
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
      message: `settlement ${id}: the covered pools and tables give a total of ${settlement.total}, the settlement commits ${st.total}${pending}`,
    });
    const root =
      settlement.accounts.length === 0
        ? "(nobody is owed anything)"
        : settlementTree(settlement).root.toLowerCase();
    r.equal(root, st.root, {
      kind: "settlement-root",
      ...base,
      message: `settlement ${id}: the recomputed root is ${root}, the settlement commits ${st.root}${pending}`,
    });
    await checkSettlementDump(st, settlement, r, options);
    rec.verdict = r.mismatches.length === before ? "match" : "mismatch";
  }
  return out;
}

/** Every posted root (pending, activated, rejected) in posting order, with the verifier's verdict. */
export function settlementStatuses(
  ledger: Ledger,
  recomputed: Map<string, RecomputedSettlement>,
): SettlementRootStatus[] {
  return [...ledger.settlements, ...ledger.rejectedSettlements]
    .sort((a, b) => a.blockNumber - b.blockNumber)
    .map((st) => ({
      id: s(st.id),
      root: st.root,
      status: st.status,
      operator: st.operator,
      activatesAt: s(st.activatesAt),
      verdict: st.status === "rejected" ? "rejected" : (recomputed.get(s(st.id))?.verdict ?? "unverifiable"),
    }));
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
          ? "is not readable by the default reader (files and http(s) only)"
          : undefined;
    if (skip) {
      r.notes.push(`settlement ${id}: URI "${uri}" ${skip}; its dump was not compared (root and total were)`);
      return;
    }
  }
  let dump: { format?: string; tree?: string[]; values?: { value: string[] }[] };
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
  // Settlement leaves are [tag, account, cumulativeAmount, nextAccount, prefixBefore]; the sentinel
  // (account 0) owes nothing.
  for (const { value } of dump.values)
    if (BigInt(String(value[1])) !== 0n)
      published.set(String(value[1]).toLowerCase(), BigInt(String(value[2])));
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
export function checkClaims(
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
    // A root takes claims from its activation (a pending one takes none).
    if (e.name === "SettlementActivated") current = settlements.get(String(a.id));
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
export async function checkClaimTotals(
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
