/**
 * The read-only commands' way to the suite (`ledger show`, `ledger verify`), with or without
 * Hardhat: a network is a name, its http url when it has one, and (inside Hardhat) a way to open
 * Hardhat's connection for what only Hardhat has (its in-process chain, the network's accounts).
 * The fast entry (bin/openledger.js) reads the same networks without loading Hardhat.
 */
import { isAddress, isHexString, type Provider } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import { endpointFor } from "../hardhat/network-hooks.js";
import { connectResilient } from "../sdk/transport/provider.js";
import { connectSuite, loadAddresses, type Suite } from "../sdk/suite.js";
import { assertDeployedOn, CliError } from "./task.js";

/** Options every `ledger` task takes to find the suite. */
export interface SuiteLocation {
  addresses: string | undefined;
  deployment: string | undefined;
}

/** The network a read-only command reads. */
export interface ReadOnlyNetwork {
  name: string;
  /** The JSON-RPC url of an http network; undefined for Hardhat's in-process chain. */
  url: string | undefined;
  /** Opens Hardhat's connection to the network (absent outside Hardhat). */
  connection?: () => Promise<NetworkConnection>;
}

/**
 * Connects a read-only suite on `network`, from `--addresses` or `--deployment`. An http network is
 * read through the SDK's retrying provider straight away: a Hardhat network connection first loads
 * every plugin's network hooks (measured: 0.6 s idle, 1.3 s at a load of 10, of a `ledger show`
 * that otherwise takes seconds), and reads need none of them. Hardhat's in-process chain only
 * exists through Hardhat. `connection` opens Hardhat's connection when a caller needs its
 * accounts; `close` releases the provider.
 */
export async function readOnlySuiteAt(args: SuiteLocation, network: ReadOnlyNetwork) {
  let provider: Provider;
  let close = () => undefined as void;
  let opened: Promise<NetworkConnection> | undefined;
  const connection = () => {
    if (network.connection === undefined)
      throw new Error(`no Hardhat connection to network ${network.name} outside Hardhat`);
    return (opened ??= network.connection());
  };
  if (network.url !== undefined) {
    const { where, hint } = endpointFor(network.name, network.url);
    const direct = await connectResilient(network.url, { where, hint });
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
  await assertDeployedOn(suite, provider, network.name);
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
