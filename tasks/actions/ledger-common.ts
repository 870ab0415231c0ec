import { isAddress, isHexString } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import type { Provider } from "ethers";
import { endpointFor } from "../../src/hardhat/network-hooks.js";
import { connectResilient } from "../../src/sdk/transport/provider.js";
import { connectSuite, loadAddresses, type Suite } from "../../src/sdk/suite.js";
import { assertDeployedOn, CliError } from "../../src/cli/task.js";

/** Options every `ledger` task takes to find the suite. */
export interface SuiteLocation {
  addresses: string | undefined;
  deployment: string | undefined;
}

/**
 * Connects a read-only suite on the task's network, from `--addresses` or `--deployment`. An http
 * network is read through the SDK's retrying provider straight away: a Hardhat network connection
 * first loads every plugin's network hooks (measured: 0.6 s idle, 1.3 s at a load of 10, of a
 * `ledger show` that otherwise takes seconds), and reads need none of them. Hardhat's in-process
 * chain only exists through Hardhat. `connection` opens Hardhat's connection when a caller needs
 * its accounts; `close` releases the provider.
 */
export async function readOnlySuite(args: SuiteLocation, hre: HardhatRuntimeEnvironment) {
  const networkName = hre.globalOptions.network ?? "default";
  const config = hre.config.networks[networkName];
  let provider: Provider;
  let close = () => undefined as void;
  let opened: Promise<NetworkConnection> | undefined;
  const connection = () => (opened ??= hre.network.getOrCreate());
  if (config?.type === "http") {
    const url = await config.url.get();
    const { where, hint } = endpointFor(networkName, url);
    const direct = await connectResilient(url, { where, hint });
    provider = direct;
    close = () => direct.destroy();
  } else provider = (await connection()).ethers.provider;
  const { chainId } = await provider.getNetwork();
  const addresses = await loadAddresses({
    chainId,
    file: args.addresses || undefined,
    deploymentId: args.deployment || undefined,
  });
  const suite: Suite = connectSuite(addresses, provider);
  await assertDeployedOn(suite, provider, networkName);
  return { suite, provider, connection, close };
}

/** Checks an address argument before anything is read. */
export function checkAddress(value: string, option: string): string {
  if (!isAddress(value))
    throw new CliError(`--${option} "${value}" is not an address (0x followed by 40 hex digits)`);
  return value;
}

/** Checks a transaction hash argument before anything is read. */
export function checkTxHash(value: string, option: string): string {
  if (!isHexString(value, 32))
    throw new CliError(`--${option} "${value}" is not a transaction hash (0x followed by 64 hex digits)`);
  return value;
}

/** JSON with bigints as decimal strings. */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
