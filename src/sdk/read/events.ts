/**
 * Reads the suite's events from any JSON-RPC provider, in chunks, in chain order. Everything the
 * provenance reader, the settlement builder and the verifier know comes from here: logs alone.
 */
import type { Interface, Provider } from "ethers";
import type { Suite, SuiteContractName } from "../suite.js";

/** One decoded event. `args` holds the named arguments (bigints for integers). */
export interface SuiteEvent {
  contract: SuiteContractName;
  name: string;
  args: Record<string, unknown>;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
}

/** Options of {@link readSuiteEvents}. */
export interface ReadEventsOptions {
  fromBlock?: number;
  toBlock?: number;
  /** Blocks per eth_getLogs call (public nodes cap ranges). Default 10,000. */
  chunk?: number;
  /** Token Transfer events are read only when they touch the distributor or the attribution registry. */
  includeTokenTransfers?: boolean;
}

function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

/** All suite events between `fromBlock` (default 0) and `toBlock` (default latest), in order. */
export async function readSuiteEvents(
  suite: Suite,
  provider: Provider,
  options: ReadEventsOptions = {},
): Promise<SuiteEvent[]> {
  const toBlock = options.toBlock ?? (await provider.getBlockNumber());
  const fromBlock = options.fromBlock ?? 0;
  const chunk = options.chunk ?? 10_000;
  const sources: [SuiteContractName, Interface, string][] = [
    ["datanets", suite.datanets.interface, suite.addresses.datanets],
    ["models", suite.models.interface, suite.addresses.models],
    ["attribution", suite.attribution.interface, suite.addresses.attribution],
    ["distributor", suite.distributor.interface, suite.addresses.distributor],
  ];
  const byAddress = new Map(
    sources.map(([name, iface, address]) => [address.toLowerCase(), { name, iface }]),
  );
  const events: SuiteEvent[] = [];
  for (let start = fromBlock; start <= toBlock; start += chunk) {
    const end = Math.min(toBlock, start + chunk - 1);
    const logs = await provider.getLogs({
      address: sources.map(([, , a]) => a),
      fromBlock: start,
      toBlock: end,
    });
    if (options.includeTokenTransfers) {
      const transfer = suite.token.interface.getEvent("Transfer").topicHash;
      const watched = [suite.addresses.distributor, suite.addresses.attribution].map(
        (a) => "0x" + a.slice(2).toLowerCase().padStart(64, "0"),
      );
      const [incoming, outgoing] = await Promise.all([
        provider.getLogs({
          address: suite.addresses.token,
          topics: [transfer, null, watched],
          fromBlock: start,
          toBlock: end,
        }),
        provider.getLogs({
          address: suite.addresses.token,
          topics: [transfer, watched],
          fromBlock: start,
          toBlock: end,
        }),
      ]);
      const seen = new Set<string>();
      for (const log of [...incoming, ...outgoing]) {
        const key = `${log.transactionHash}:${log.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const parsed = suite.token.interface.parseLog(log);
        if (!parsed) continue;
        events.push({
          contract: "token",
          name: parsed.name,
          args: parsed.args.toObject(true) as Record<string, unknown>,
          blockNumber: log.blockNumber,
          logIndex: log.index,
          transactionHash: log.transactionHash,
        });
      }
    }
    for (const log of logs) {
      const source = byAddress.get(log.address.toLowerCase());
      const parsed = source?.iface.parseLog(log);
      if (!source || !parsed) continue;
      const args = parsed.args.toObject(true) as Record<string, unknown>;
      for (const key of Object.keys(args)) args[key] = toPlain(args[key]);
      events.push({
        contract: source.name,
        name: parsed.name,
        args,
        blockNumber: log.blockNumber,
        logIndex: log.index,
        transactionHash: log.transactionHash,
      });
    }
  }
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  return events;
}

/** Narrows `events` to one event name. */
export function eventsNamed(
  events: readonly SuiteEvent[],
  name: string,
  contract?: SuiteContractName,
): SuiteEvent[] {
  return events.filter((e) => e.name === name && (contract === undefined || e.contract === contract));
}
