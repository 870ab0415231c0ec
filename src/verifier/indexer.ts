/**
 * Checks an indexer against the chain: the events it holds up to its cursor, compared one by one
 * with the chain's logs read directly (never through the index). The verifier stays independent:
 * the index is the thing checked, the logs are the truth.
 */
import type { Provider } from "ethers";
import { readSuiteEvents } from "../sdk/read/events.js";
import { compareEvents, readIndexedEvents, type IndexDifference } from "../sdk/read/indexer.js";
import type { Suite } from "../sdk/suite.js";

export interface IndexCheck {
  ok: boolean;
  indexer: string;
  /** Last block the comparison covers (the indexer's cursor). */
  block: number;
  events: number;
  differences: IndexDifference[];
}

export async function verifyIndex(suite: Suite, provider: Provider, indexer: string): Promise<IndexCheck> {
  const { chainId } = await provider.getNetwork();
  // OPEN transfers are compared where the provenance reads them: from or to the distributor and
  // the attribution registry (the chain side reads no other transfer).
  const { events: indexed, indexedTo } = await readIndexedEvents(
    indexer,
    { chainId, addresses: suite.addresses },
    { tokenTransfersOf: [suite.addresses.distributor, suite.addresses.attribution] },
  );
  const fromChain =
    indexedTo < 0
      ? []
      : await readSuiteEvents(suite, provider, {
          toBlock: indexedTo,
          indexer: false,
          includeTokenTransfers: true,
        });
  const differences = compareEvents(fromChain, indexed);
  return { ok: differences.length === 0, indexer, block: indexedTo, events: fromChain.length, differences };
}

/** One line per difference. */
export function formatIndexDifference(d: IndexDifference): string {
  return `index ${d.kind} at block ${d.blockNumber} log ${d.logIndex}: ${d.detail}`;
}
