/**
 * Test vectors of the attribution specification (docs/attribution.md): self-contained JSON files
 * under test/vectors/attribution/ that hold a corpus (texts inline), outputs, parameters and
 * what a conforming implementation must produce (the spans of every output, the table, its
 * root). `scripts/attribution-vectors.ts` writes them; the tests check this engine against them.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentFileName, contentHashOf, type ManifestEntry } from "./corpus.js";
import { loadCorpus } from "./corpus-runs.js";
import { SpanCredits, SpanIndex } from "./span-index.js";
import { ATTRIBUTION_SPEC_VERSION, methodIdOf, type AttributionMethod } from "./spec.js";
import { weightTableToJsonObject, type WeightTableJson } from "./table-io.js";
import { attributionTree } from "./tree.js";
import { datanetWeightTable, spanWeightTable, type WeightTable } from "./weights.js";

/** One contribution of a vector: the manifest entry and its text (UTF-8). */
export interface VectorContribution extends Omit<ManifestEntry, "contentHash"> {
  text: string;
}

/** What a vector gives. */
export interface VectorInputs {
  name: string;
  description: string;
  specVersion: number;
  method: AttributionMethod;
  modelId: string;
  epoch: string;
  totalWeight: string;
  /** span-match only. */
  minSpan?: number;
  /** datanet-size only: basis points by decimal datanet id. */
  datanetWeights?: Record<string, number>;
  contributions: VectorContribution[];
  /** span-match only. */
  outputs?: { id: string; text: string }[];
}

/** One span of an output as the vector expects it. */
export interface VectorSpan {
  start: number;
  length: number;
  credited: number;
  /** contributionIds whose text contains the span, ascending. */
  contributions: string[];
}

/** What a conforming implementation computes from the inputs. */
export interface VectorExpected {
  methodId: number;
  /** keccak256 of each contribution's UTF-8 text, by contributionId. */
  contentHashes: Record<string, string>;
  /** span-match only: the tokens of each output and its spans, by output id. */
  outputs?: Record<string, { tokens: number; spans: VectorSpan[] }>;
  table: WeightTableJson;
  /** Root of the StandardMerkleTree of [contributor, weight] leaves ("" for an empty table). */
  root: string;
}

/** A whole vector file. */
export interface AttributionVector extends VectorInputs {
  expected: VectorExpected;
}

/** Computes what a vector expects, with this engine. */
export async function computeVector(v: VectorInputs): Promise<VectorExpected> {
  const contentHashes: Record<string, string> = {};
  const manifest: ManifestEntry[] = [];
  const dir = await mkdtemp(join(tmpdir(), "attribution-vector-"));
  try {
    for (const c of v.contributions) {
      const { text, ...entry } = c;
      const bytes = Buffer.from(text, "utf8");
      const contentHash = await contentHashOf(bytes);
      contentHashes[c.contributionId] = contentHash;
      await writeFile(join(dir, contentFileName(contentHash)), bytes);
      manifest.push({ ...entry, contentHash });
    }
    const params = { modelId: BigInt(v.modelId), epoch: BigInt(v.epoch), totalWeight: BigInt(v.totalWeight) };
    let table: WeightTable;
    let outputs: VectorExpected["outputs"];
    if (v.method === "span-match") {
      const minSpan = v.minSpan ?? 0;
      const index = SpanIndex.build(await loadCorpus(dir, manifest, { quiet: true }), { quiet: true });
      const credits = new SpanCredits(index.corpus.contributions.length);
      outputs = {};
      for (const o of v.outputs ?? []) {
        const ids = index.corpus.dictionary.encode(o.text);
        const spans = index.match(ids, minSpan);
        for (const m of spans) credits.add(index.corpus, m);
        credits.outputs++;
        outputs[o.id] = {
          tokens: ids.length,
          spans: spans.map((m) => ({
            start: m.start,
            length: m.length,
            credited: m.credited,
            contributions: m.documents
              .flatMap((d) => index.corpus.documents[d].contributions)
              .map((i) => index.corpus.contributions[i].contributionId)
              .sort(),
          })),
        };
      }
      table = spanWeightTable(index.corpus, credits, { ...params, minSpan });
    } else {
      table = datanetWeightTable(v.datanetWeights ?? {}, manifest, params);
    }
    const root = table.entries.length === 0 ? "" : attributionTree(table).root.toLowerCase();
    return {
      methodId: methodIdOf(v.method, ATTRIBUTION_SPEC_VERSION),
      contentHashes,
      ...(outputs === undefined ? {} : { outputs }),
      table: weightTableToJsonObject(table),
      root,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
