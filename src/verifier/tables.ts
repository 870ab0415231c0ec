/**
 * Published weight tables as the verifier reads them: leniently (a table whose weights do not
 * sum to its total is still read, so that the verifier can say which contributor differs, where
 * `weightTableFromJson` would only refuse it), then checked against its commitment.
 */
import type { WeightTable, WeightTableJson } from "../attribution/index.js";
import { attributionTree } from "../attribution/tree.js";
import type { CommitmentNode } from "../sdk/read/ledger.js";
import { classifyUri, fetchText, isLoopbackHost, UriRefusedError, type FetchText } from "./fetch.js";

/** Raised for a table that is not a weight table at all. */
export class TableFormatError extends Error {
  override name = "TableFormatError";
}

const DECIMAL = /^\d+$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Parses the JSON form of a weight table without requiring the weights to sum to the total. */
export function parseTableLenient(text: string): WeightTable {
  let j: WeightTableJson;
  try {
    j = JSON.parse(text) as WeightTableJson;
  } catch (error) {
    throw new TableFormatError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof j !== "object" || j === null || !Array.isArray(j.entries)) {
    throw new TableFormatError("not a weight table: no `entries` array");
  }
  for (const [field, value] of [
    ["modelId", j.modelId],
    ["epoch", j.epoch],
    ["totalWeight", j.totalWeight],
  ] as const) {
    if (!DECIMAL.test(String(value))) throw new TableFormatError(`\`${field}\` is not a decimal integer`);
  }
  const entries = j.entries.map((e, i) => {
    if (!ADDRESS.test(String(e?.contributor)))
      throw new TableFormatError(`entry ${i}: contributor is not an address`);
    if (!DECIMAL.test(String(e.weight)))
      throw new TableFormatError(`entry ${i}: weight is not a decimal integer`);
    return {
      contributor: e.contributor.toLowerCase(),
      contributions: Array.isArray(e.contributions) ? e.contributions.map(String) : [],
      weight: BigInt(e.weight),
    };
  });
  return {
    modelId: BigInt(j.modelId),
    epoch: BigInt(j.epoch),
    method: j.method,
    minSpan: j.minSpan ?? null,
    totalWeight: BigInt(j.totalWeight),
    entries,
  };
}

/** Reads a URI with `fetcher`, refusing http(s) on a non-loopback host whatever the fetcher. */
export async function readUri(uri: string, fetcher?: FetchText): Promise<string> {
  if (classifyUri(uri) === "http") {
    let host: string;
    try {
      host = new URL(uri).hostname;
    } catch {
      throw new UriRefusedError(`refusing to read "${uri}": not a valid URL`);
    }
    if (!isLoopbackHost(host)) return fetchText(uri); // throws the refusal with its message
  }
  return (fetcher ?? ((u: string) => fetchText(u)))(uri);
}

/** Root of a table's attribution tree, or undefined for an empty table. */
export function tableRoot(table: WeightTable): string | undefined {
  return table.entries.length === 0 ? undefined : attributionTree(table).root.toLowerCase();
}

/**
 * When a table's root differs from its commitment and its weights sum to `sum` instead of the
 * committed total, tries each entry with the difference taken back: if exactly that change
 * gives the committed root, returns the entry and its committed weight. O(n^2 log n): only
 * tables of at most `limit` entries are searched.
 */
export function locateChangedWeight(
  table: WeightTable,
  commitment: Pick<CommitmentNode, "root" | "totalWeight">,
  limit: number,
): { index: number; committedWeight: bigint } | undefined {
  const sum = table.entries.reduce((s, e) => s + e.weight, 0n);
  const delta = sum - commitment.totalWeight;
  if (delta === 0n || table.entries.length > limit) return undefined;
  for (let i = 0; i < table.entries.length; i++) {
    const candidate = table.entries[i].weight - delta;
    if (candidate <= 0n) continue;
    const entries = table.entries.map((e, j) => (j === i ? { ...e, weight: candidate } : e));
    if (tableRoot({ ...table, entries }) === commitment.root.toLowerCase()) {
      return { index: i, committedWeight: candidate };
    }
  }
  return undefined;
}
