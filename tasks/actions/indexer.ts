import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { DatabaseUnreachableError, defaultDatabasePath } from "../../src/indexer/db.js";
import { parseCorsOrigins } from "../../src/indexer/api.js";
import { IndexerDataError } from "../../src/indexer/mapping.js";
import { runIndexer, type RunOptions } from "../../src/indexer/run.js";
import { SchemaError } from "../../src/indexer/schema.js";
import { connectResilient } from "../../src/sdk/transport/provider.js";
import { AddressBookError, loadAddresses } from "../../src/sdk/suite.js";
import { NodeUnreachableError } from "../../src/sdk/transport/retry.js";

export interface Args {
  database: string | undefined;
  once: boolean;
  port: string | undefined;
  files: string | undefined;
  confirmations: string | undefined;
  fromBlock: string | undefined;
  addresses: string | undefined;
  deployment: string | undefined;
  reset: boolean;
  corsOrigins?: string;
}

export class UsageError extends Error {}

const LOCAL_CHAINS = new Set([31_337n, 1_337n]);

function whole(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`--${option} "${value}" is not a whole number`);
  return Number(value);
}

/** The indexer's run options from the task's arguments (shared with the explorer task). */
export async function indexerOptions(
  args: Args,
  hre: HardhatRuntimeEnvironment,
  defaultPort = 8642,
): Promise<RunOptions & { rpcUrl: string }> {
  const networkName = hre.globalOptions.network ?? "default";
  const config = hre.config.networks[networkName];
  if (!config || config.type !== "http")
    throw new UsageError(
      `network "${networkName}" is Hardhat's in-process chain, which lives and dies with one command: start a node (npx hardhat node) and pass --network localhost, or pick an http network`,
    );
  const rpcUrl = await config.url.get();
  const hint =
    networkName === "localhost"
      ? "start it (npx hardhat node) or set LOCALHOST_RPC_URL"
      : `check the url of network ${networkName}`;
  const provider = await connectResilient(rpcUrl, { hint });
  const chainId = (await provider.getNetwork()).chainId;
  const addresses = await loadAddresses({ chainId, file: args.addresses, deploymentId: args.deployment });
  provider.destroy();
  const port = args.once ? undefined : whole(args.port, "port", defaultPort);
  if (port !== undefined && port > 65_535) throw new UsageError(`--port ${port} is not a TCP port (0-65535)`);
  return {
    rpcUrl,
    nodeHint: hint,
    addresses,
    database: args.database ?? defaultDatabasePath(networkName, chainId),
    confirmations: whole(args.confirmations, "confirmations", LOCAL_CHAINS.has(chainId) ? 0 : 12),
    startBlock: whole(args.fromBlock, "from-block", 0),
    once: args.once,
    port,
    filesDir: args.files,
    corsOrigins: corsOrigins(args.corsOrigins),
    reset: args.reset,
    signal: stopSignal(),
  };
}

function corsOrigins(list: string | undefined): string[] {
  try {
    return parseCorsOrigins(list);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Prints a user's mistake or an unreachable service in one line (exit code 1); rethrows the rest. */
export function reportIndexerError(error: unknown): void {
  if (
    error instanceof UsageError ||
    error instanceof NodeUnreachableError ||
    error instanceof DatabaseUnreachableError ||
    error instanceof SchemaError ||
    error instanceof IndexerDataError ||
    error instanceof AddressBookError ||
    (error instanceof Error && /port .* (is in use|cannot listen)/.test(error.message))
  ) {
    console.error(`Error: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  throw error;
}

export default async function indexer(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  try {
    await runIndexer(await indexerOptions(args, hre));
  } catch (error) {
    reportIndexerError(error);
  }
}

/** Aborts on SIGINT/SIGTERM so the API closes and the database is closed cleanly. */
export function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}
