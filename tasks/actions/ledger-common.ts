import { isAddress, isHexString } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { connectSuite, loadAddresses, type Suite } from "../../src/sdk/suite.js";
import { assertDeployedOn, CliError } from "../../src/cli/task.js";

/** Options every `ledger` task takes to find the suite. */
export interface SuiteLocation {
  addresses: string;
  deployment: string;
}

/** Connects a read-only suite on the task's network, from `--addresses` or `--deployment`. */
export async function readOnlySuite(args: SuiteLocation, hre: HardhatRuntimeEnvironment) {
  const connection = await hre.network.getOrCreate();
  const provider = connection.ethers.provider;
  const { chainId } = await provider.getNetwork();
  const addresses = await loadAddresses({
    chainId,
    file: args.addresses || undefined,
    deploymentId: args.deployment || undefined,
  });
  const suite: Suite = connectSuite(addresses, provider);
  await assertDeployedOn(suite, provider, connection.networkName);
  return { suite, provider, connection };
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
