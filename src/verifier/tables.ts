/**
 * Published weight tables as the verifier reads them: leniently (a table whose weights do not
 * sum to its total is still read, so that the verifier can say which contributor differs, where
 * `weightTableFromJson` would only refuse it), then checked against its commitment.
 */
import { breakdownFromJson, type WeightTable, type WeightTableJson } from "../attribution/index.js";
import { attributionTree } from "../attribution/tree.js";
import type { CommitmentNode } from "../sdk/read/ledger.js";
import {
  checkFetchUrl,
  classifyUri,
  fetchBytes,
  fetchText,
  type FetchBytes,
  type FetchText,
} from "./fetch.js";

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
    let breakdown;
    try {
      breakdown = breakdownFromJson(e.breakdown);
    } catch {
      throw new TableFormatError(`entry ${i}: breakdown weights are not decimal integers`);
    }
    return {
      contributor: e.contributor.toLowerCase(),
      contributions: Array.isArray(e.contributions)
        ? e.contributions.map((x) => String(x).toLowerCase())
        : [],
      weight: BigInt(e.weight),
      ...(breakdown === undefined ? {} : { breakdown }),
    };
  });
  return {
    modelId: BigInt(j.modelId),
    epoch: BigInt(j.epoch),
    method: j.method,
    ...(typeof j.specVersion === "number" ? { specVersion: j.specVersion } : {}),
    minSpan: j.minSpan ?? null,
    ...(typeof j.inputs === "object" && j.inputs !== null ? { inputs: j.inputs } : {}),
    totalWeight: BigInt(j.totalWeight),
    entries,
  };
}

/** Throws the refusal of an http(s) URI the network policy refuses, whatever fetcher is given (sends nothing). */
function refuseByPolicy(uri: string): void {
  if (classifyUri(uri) === "http") checkFetchUrl(uri);
}

/** Reads a URI with `fetcher`, refusing what the network policy refuses whatever the fetcher. */
export async function readUri(uri: string, fetcher?: FetchText): Promise<string> {
  refuseByPolicy(uri);
  return (fetcher ?? ((u: string) => fetchText(u)))(uri);
}

/** The bytes at a URI, with the same refusal as {@link readUri}. */
export async function readUriBytes(uri: string, fetcher?: FetchBytes): Promise<Uint8Array> {
  refuseByPolicy(uri);
  return (fetcher ?? ((u: string) => fetchBytes(u)))(uri);
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
