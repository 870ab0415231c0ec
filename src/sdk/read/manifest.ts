/**
 * Attribution inputs read from the chain: the manifest of a datanet's accepted contributions
 * (what `attribution commit` uses when no --manifest is given) and a model's datanet weights.
 */
import type { Provider } from "ethers";
import type { ManifestEntry } from "../../attribution/corpus.js";
import { readSuiteEvents } from "./events.js";
import { acceptedContributions, buildLedger, type Ledger } from "./ledger.js";
import type { Suite } from "../suite.js";

/** The accepted, non-withdrawn contributions of `datanetIds` with their on-chain sizes. */
export async function manifestFromChain(
  suite: Suite,
  ledger: Ledger,
  datanetIds: readonly bigint[],
): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for (const datanetId of datanetIds) {
    for (const c of acceptedContributions(ledger, datanetId)) {
      const onChain = await suite.datanets.contribution(datanetId, c.contributionId);
      out.push({
        contributionId: c.contributionId.toLowerCase(),
        contentHash: c.contentHash.toLowerCase(),
        contributor: c.contributor.toLowerCase(),
        datanetId: datanetId.toString(),
        size: Number(onChain.size),
      });
    }
  }
  return out;
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
