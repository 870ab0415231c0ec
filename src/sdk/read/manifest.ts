/**
 * Attribution inputs read from the chain: the members of the datanet versions a model was
 * trained on (what `attribution commit` uses when no --manifest is given) and its datanet weights.
 */
import type { Provider } from "ethers";
import type { ManifestEntry } from "../../attribution/corpus.js";
import { readSuiteEvents, type SuiteEvent } from "./events.js";
import { buildLedger, type Ledger } from "./ledger.js";
import { trainingInputsAt, versionKey, versionMembership } from "./membership.js";
import type { Suite } from "../suite.js";

/** The corpus of a model's next commitment (docs/attribution.md, "Inputs"). */
export interface TrainingManifest {
  /** The members of the datanet versions the model's latest version was trained on, with their sizes on chain. */
  manifest: ManifestEntry[];
  /** Those datanet versions. */
  versions: { datanetId: string; versionNumber: string }[];
  /** Their weights in basis points, by decimal datanet id. */
  weights: Record<string, number>;
}

/** The members of the datanet versions `modelId`'s latest version was trained on. */
export async function trainingManifest(
  suite: Suite,
  events: readonly SuiteEvent[],
  modelId: bigint,
): Promise<TrainingManifest> {
  const last = events.at(-1);
  const inputs = trainingInputsAt(events, modelId, {
    blockNumber: (last?.blockNumber ?? 0) + 1,
    logIndex: 0,
  });
  if (!inputs) throw new Error(`model ${modelId} has no registered version in the events`);
  const membership = versionMembership(events);
  const manifest: ManifestEntry[] = [];
  for (const t of inputs) {
    for (const m of membership.get(versionKey(t.datanetId, t.versionNumber)) ?? []) {
      const onChain = await suite.datanets.contribution(BigInt(t.datanetId), m.contributionId);
      manifest.push({
        contributionId: m.contributionId,
        contentHash: m.contentHash,
        contributor: m.contributor,
        datanetId: t.datanetId,
        size: Number(onChain.size),
        versionNumber: t.versionNumber,
      });
    }
  }
  return {
    manifest,
    versions: inputs.map((t) => ({ datanetId: t.datanetId, versionNumber: t.versionNumber })),
    weights: Object.fromEntries(inputs.map((t) => [t.datanetId, t.weightBps])),
  };
}

/** A model's datanet weights (basis points, by decimal datanet id) from its latest version. */
export function modelDatanetWeights(ledger: Ledger, modelId: bigint): Record<string, number> {
  const model = ledger.models.get(modelId.toString());
  const latest = model?.versions.at(-1);
  if (!latest) throw new Error(`model ${modelId} has no registered version in the events`);
  return Object.fromEntries(latest.trainingInputs.map((t) => [t.datanetId.toString(), t.weightBps]));
}

/** The ledger of the suite as the chain's events show it now. */
export async function currentLedger(suite: Suite, provider: Provider): Promise<Ledger> {
  return buildLedger(await readSuiteEvents(suite, provider));
}
