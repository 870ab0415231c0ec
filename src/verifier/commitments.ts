/**
 * The verifier's reading of the attribution tables: every live commitment's published table read,
 * parsed and checked against its commitment (pair, duplicates, weights, total, root); a table whose
 * root matches (or whose one changed weight is located) is usable for recomputing settlements.
 * Shared by the verifier and the settlement watchtower.
 */
import type { WeightTable } from "../attribution/index.js";
import { pairKey, type Ledger } from "../sdk/read/ledger.js";
import { Recorder, s, sumOf, where, type VerifiedTable, type VerifyOptions } from "./report.js";
import { locateChangedWeight, parseTableLenient, readUri, tableRoot } from "./tables.js";

/** Reads and checks every live commitment's table; returns them keyed `model/epoch`. */
export async function checkCommitments(
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
      r.notes.push(
        `${where(c)}: commitment voided (by governance or by an on-chain weight-sum proof), table not checked`,
      );
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
    const root = tableRoot(table) ?? "(empty table)";
    // The table is the committed tree: revealing it proves the fault on-chain (attribution prove-sum).
    const provable =
      root === c.root
        ? `; provable on-chain while the commitment is Pending or Challenged: npx hardhat attribution prove-sum --model ${c.modelId} --epoch ${c.epoch}`
        : "";
    r.equal(c.totalWeight, sum, {
      kind: "weight-sum",
      ...base,
      message: `${where(c)}: the table's weights sum to ${sum}, the committed total is ${c.totalWeight}${provable}`,
    });
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
