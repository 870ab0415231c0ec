/**
 * Writers and readers of the weight table, and its StandardMerkleTree values.
 *
 * CSV: header `contributor,contributions,weight`, one row per contributor sorted by lower-case
 * address, contributions joined with `;`, weight in decimal; LF line ends, final LF.
 * JSON: `{ modelId, epoch, method, specVersion, methodId, minSpan, totalWeight, inputs,
 * entries: [{ contributor, contributions, weight, breakdown: [{ contributionId, datanetId,
 * versionNumber, weight }] }] }` with every bigint as a decimal string; two-space indent, final
 * LF (docs/attribution.md, "Published table").
 */
import { writeFile } from "node:fs/promises";
import {
  tableMethodId,
  type AttributionMethod,
  type ContributionWeight,
  type TableInputs,
  type WeightEntry,
  type WeightTable,
} from "./weights.js";

/** Leaf encoding of the attribution tree (OpenZeppelin StandardMerkleTree). */
export const ATTRIBUTION_LEAF_ENCODING = ["address", "uint256"] as const;

/** StandardMerkleTree values `[contributor, weight]` of a table, in table order. */
export function attributionLeafValues(table: WeightTable): [string, string][] {
  return table.entries.map((e) => [e.contributor, e.weight.toString()]);
}

/** The table as CSV text. */
export function weightTableToCsv(table: WeightTable): string {
  const rows = table.entries.map(
    (e) => `${e.contributor},${e.contributions.join(";")},${e.weight.toString()}`,
  );
  return ["contributor,contributions,weight", ...rows].join("\n") + "\n";
}

/** JSON shape of a table (bigints as decimal strings). */
export interface WeightTableJson {
  modelId: string;
  epoch: string;
  method: AttributionMethod;
  specVersion?: number;
  methodId?: number;
  minSpan: number | null;
  totalWeight: string;
  inputs?: TableInputs;
  entries: {
    contributor: string;
    contributions: string[];
    weight: string;
    breakdown?: (Omit<ContributionWeight, "weight"> & { weight: string })[];
  }[];
}

/** Reads the optional breakdown of a JSON entry (bigints from decimal strings). */
export function breakdownFromJson(
  raw: WeightTableJson["entries"][number]["breakdown"],
): ContributionWeight[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((b) => ({
    contributionId: String(b.contributionId).toLowerCase(),
    datanetId: String(b.datanetId),
    versionNumber: b.versionNumber === null || b.versionNumber === undefined ? null : String(b.versionNumber),
    weight: BigInt(b.weight),
  }));
}

/** The table as a JSON-ready object. */
export function weightTableToJsonObject(table: WeightTable): WeightTableJson {
  return {
    modelId: table.modelId.toString(),
    epoch: table.epoch.toString(),
    method: table.method,
    specVersion: table.specVersion ?? 0,
    methodId: tableMethodId(table),
    minSpan: table.minSpan,
    totalWeight: table.totalWeight.toString(),
    ...(table.inputs === undefined ? {} : { inputs: table.inputs }),
    entries: table.entries.map((e) => ({
      contributor: e.contributor,
      contributions: [...e.contributions],
      weight: e.weight.toString(),
      ...(e.breakdown === undefined
        ? {}
        : { breakdown: e.breakdown.map((b) => ({ ...b, weight: b.weight.toString() })) }),
    })),
  };
}

/** The table as JSON text. */
export function weightTableToJson(table: WeightTable): string {
  return JSON.stringify(weightTableToJsonObject(table), null, 2) + "\n";
}

/** Parses the JSON form back (e.g. for the verifier); checks that the weights sum to the total. */
export function weightTableFromJson(text: string): WeightTable {
  const j = JSON.parse(text) as WeightTableJson;
  const entries: WeightEntry[] = j.entries.map((e) => {
    const breakdown = breakdownFromJson(e.breakdown);
    return {
      contributor: e.contributor.toLowerCase(),
      contributions: [...e.contributions],
      weight: BigInt(e.weight),
      ...(breakdown === undefined ? {} : { breakdown }),
    };
  });
  const table: WeightTable = {
    modelId: BigInt(j.modelId),
    epoch: BigInt(j.epoch),
    method: j.method,
    ...(j.specVersion === undefined ? {} : { specVersion: j.specVersion }),
    minSpan: j.minSpan,
    totalWeight: BigInt(j.totalWeight),
    ...(j.inputs === undefined ? {} : { inputs: j.inputs }),
    entries,
  };
  const sum = entries.reduce((a, e) => a + e.weight, 0n);
  if (sum !== table.totalWeight) {
    throw new Error(`weight table: entries sum to ${sum}, but totalWeight is ${table.totalWeight}`);
  }
  return table;
}

/** Writes `<base>.csv` and `<base>.json`. */
export async function writeWeightTable(
  table: WeightTable,
  base: string,
): Promise<{ csv: string; json: string }> {
  const csv = `${base}.csv`;
  const json = `${base}.json`;
  await writeFile(csv, weightTableToCsv(table));
  await writeFile(json, weightTableToJson(table));
  return { csv, json };
}
