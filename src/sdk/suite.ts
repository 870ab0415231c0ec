/**
 * Typed clients over the deployed suite, and the address book that lets scripts find it.
 * Addresses come from Ignition's `deploy/deployments/<id>/deployed_addresses.json` (written for
 * every non-in-process network, id `chain-<chainId>` by default) or from a file of our own shape.
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { getAddress, isAddress, type ContractRunner, type Interface } from "ethers";
import {
  AttributionRegistry__factory,
  DatanetRegistry__factory,
  ModelRegistry__factory,
  OpenToken__factory,
  OperatorStaking__factory,
  RewardDistributor__factory,
  SettlementDisputes__factory,
  UsageEscrow__factory,
  type AttributionRegistry,
  type DatanetRegistry,
  type ModelRegistry,
  type OpenToken,
  type OperatorStaking,
  type RewardDistributor,
} from "../../typechain-types/index.js";

/** The suite's contract names, as the SDK calls them. */
export const SUITE_CONTRACTS = [
  "token",
  "datanets",
  "models",
  "staking",
  "attribution",
  "distributor",
] as const;
/** The name of one suite contract. */
export type SuiteContractName = (typeof SUITE_CONTRACTS)[number];

/**
 * Contracts a deployment may have besides the core suite (older address books lack them): the
 * settlement disputes contract and the usage-voucher escrow. Readers that need one (the indexer,
 * the explorer, the usage tasks) take it from the book when it is there.
 */
export const OPTIONAL_CONTRACTS = ["settlementDisputes", "usageEscrow"] as const;
/** The name of an optional contract. */
export type OptionalContractName = (typeof OPTIONAL_CONTRACTS)[number];

/** Where each contract is deployed (the optional ones when the book names them). */
export type SuiteAddresses = Record<SuiteContractName, string> &
  Partial<Record<OptionalContractName, string>>;

/** The suite's typed contracts, connected to one runner (a signer or a provider). */
export interface Suite {
  addresses: SuiteAddresses;
  token: OpenToken;
  datanets: DatanetRegistry;
  models: ModelRegistry;
  staking: OperatorStaking;
  attribution: AttributionRegistry;
  distributor: RewardDistributor;
}

/** Ignition future ids of the suite's contracts (deploy/modules/Suite.ts). */
export const IGNITION_IDS: Record<SuiteContractName, string> = {
  token: "OpenToken#OpenToken",
  datanets: "Suite#DatanetRegistry",
  models: "Suite#ModelRegistry",
  staking: "Suite#OperatorStaking",
  attribution: "Suite#AttributionRegistry",
  distributor: "Suite#RewardDistributor",
};

/** Ignition future ids of the optional contracts. */
export const OPTIONAL_IGNITION_IDS: Record<OptionalContractName, string> = {
  settlementDisputes: "Suite#SettlementDisputes",
  usageEscrow: "Suite#UsageEscrow",
};

/** Raised when the address book is missing or malformed; the message says what to do. */
export class AddressBookError extends Error {
  override name = "AddressBookError";
}

/** Connects typed clients to `addresses` through `runner`. */
export function connectSuite(addresses: SuiteAddresses, runner: ContractRunner): Suite {
  return {
    addresses,
    token: OpenToken__factory.connect(addresses.token, runner),
    datanets: DatanetRegistry__factory.connect(addresses.datanets, runner),
    models: ModelRegistry__factory.connect(addresses.models, runner),
    staking: OperatorStaking__factory.connect(addresses.staking, runner),
    attribution: AttributionRegistry__factory.connect(addresses.attribution, runner),
    distributor: RewardDistributor__factory.connect(addresses.distributor, runner),
  };
}

/** Each suite contract's interface, the optional ones too, from its TypeChain factory (the compiled ABI). */
export function suiteInterfaces(): Record<SuiteContractName | OptionalContractName, Interface> {
  return {
    token: OpenToken__factory.createInterface(),
    datanets: DatanetRegistry__factory.createInterface(),
    models: ModelRegistry__factory.createInterface(),
    staking: OperatorStaking__factory.createInterface(),
    attribution: AttributionRegistry__factory.createInterface(),
    distributor: RewardDistributor__factory.createInterface(),
    settlementDisputes: SettlementDisputes__factory.createInterface(),
    usageEscrow: UsageEscrow__factory.createInterface(),
  };
}

/** The addresses of a deployment's contracts (e.g. what `ignition.deploy` returns). */
export async function suiteAddressesOf(
  deployed: Record<SuiteContractName, { getAddress(): Promise<string> }>,
): Promise<SuiteAddresses> {
  const out = {} as SuiteAddresses;
  for (const name of SUITE_CONTRACTS) out[name] = await deployed[name].getAddress();
  return out;
}

/** The same suite with another runner (e.g. another signer). */
export function withRunner(suite: Suite, runner: ContractRunner): Suite {
  return connectSuite(suite.addresses, runner);
}

/** Reads a book in either shape: ours (`{token, datanets, ...}`) or Ignition's (`{"Suite#...": ...}`). */
export function parseAddressBook(json: unknown, where: string): SuiteAddresses {
  if (typeof json !== "object" || json === null) throw new AddressBookError(`${where} is not a JSON object`);
  const record = json as Record<string, unknown>;
  const out = {} as SuiteAddresses;
  for (const name of SUITE_CONTRACTS) {
    const value = record[name] ?? record[IGNITION_IDS[name]];
    if (typeof value !== "string" || !isAddress(value)) {
      throw new AddressBookError(
        `${where} has no valid address for ${name} (key "${name}" or "${IGNITION_IDS[name]}"): deploy the suite first (npm run deploy -- --network <net>)`,
      );
    }
    out[name] = getAddress(value);
  }
  for (const name of OPTIONAL_CONTRACTS) {
    const value = record[name] ?? record[OPTIONAL_IGNITION_IDS[name]];
    if (value === undefined) continue;
    if (typeof value !== "string" || !isAddress(value))
      throw new AddressBookError(
        `${where} has an invalid address for ${name} (key "${name}" or "${OPTIONAL_IGNITION_IDS[name]}"): fix it or remove the key`,
      );
    out[name] = getAddress(value);
  }
  return out;
}

/** Path of Ignition's address file of a deployment. */
export function ignitionAddressesPath(deploymentId: string, root = process.cwd()): string {
  return resolve(root, "deploy", "deployments", deploymentId, "deployed_addresses.json");
}

/**
 * Loads the address book: `file` when given, else Ignition's file of `deploymentId`
 * (default `chain-<chainId>`).
 */
export async function loadAddresses(options: {
  chainId: bigint;
  file?: string;
  deploymentId?: string;
  root?: string;
}): Promise<SuiteAddresses> {
  const path = options.file
    ? resolve(options.root ?? process.cwd(), options.file)
    : ignitionAddressesPath(options.deploymentId ?? `chain-${options.chainId}`, options.root);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new AddressBookError(
      `no address book at ${path}: deploy the suite to this network first (npm run deploy -- --network <net>) or pass --addresses <file>`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AddressBookError(`${path} is not valid JSON: fix or delete it and deploy again`);
  }
  return parseAddressBook(json, path);
}

/** Writes an address book in our shape (used for in-process runs, which Ignition does not record). */
export async function saveAddresses(path: string, addresses: SuiteAddresses): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(addresses, null, 2) + "\n");
}
