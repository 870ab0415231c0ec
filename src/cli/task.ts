/**
 * What every task of the command line shares: the options that find the suite (`--addresses`,
 * `--deployment`), the account to send from (`--from`), `--json` output, and one error path
 * (a user error prints one line `Error: ...` on stderr and sets the exit code; a revert prints
 * the contract's decoded custom error).
 */
import { IndexerClientError } from "../sdk/read/indexer.js";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Provider, Signer } from "ethers";
import { AttributionInputError } from "../attribution/corpus.js";
import { ContractRevertError, explainRevert } from "../errors.js";
import { submitContributions, type ContributionInput } from "../sdk/datanets.js";
import { NodeStateLostError, NonceTakenError } from "../sdk/send/writes.js";
import { AddressBookError, connectSuite, loadAddresses, type Suite } from "../sdk/suite.js";
import { UsageInputError } from "../sdk/usage.js";
import { WatchtowerError } from "../sdk/watchtower.js";
import { NodeUnreachableError } from "../sdk/transport/retry.js";
import { SettlementInputError } from "../settlement/index.js";
import { parseAddress } from "./args.js";
import {
  assertDatanetExists,
  assertDatanetOwner,
  assertModelExists,
  assertModelOwner,
  assertSuiteDeployed,
} from "./checks.js";
import { InputError } from "./inputs.js";
import { createProgress } from "./progress.js";

export { optional, withSuiteOptions, type Options, type SuiteArgs } from "./options.js";
import type { SuiteArgs } from "./options.js";

/** A user error: printed as one line, no stack trace. */
export class CliError extends InputError {
  override name = "CliError";
}

/** The connected suite and the sending account. */
export interface TaskContext {
  suite: Suite;
  provider: Provider;
  signer: Signer;
  from: string;
  chainId: bigint;
  networkName: string;
  signers: Signer[];
}

/**
 * Checks that the suite's contracts have code on this network; on Hardhat's in-process network
 * (a fresh, empty chain at every command: what runs when `--network` is forgotten) the message
 * says to pass `--network localhost`.
 */
export async function assertDeployedOn(suite: Suite, provider: Provider, networkName: string): Promise<void> {
  try {
    await assertSuiteDeployed(suite, provider);
  } catch (error) {
    if (error instanceof InputError && IN_PROCESS_NETWORKS.has(networkName))
      throw new CliError(
        `${error.message.replace(/: pass the right .*$/, "")}: network "${networkName}" is Hardhat's in-process chain, empty at every command; did you forget --network localhost?`,
      );
    throw error;
  }
}

/** Names of Hardhat's in-process network (Hardhat 3 calls it `default`). */
const IN_PROCESS_NETWORKS = new Set(["default", "hardhat"]);

/** Connects to the network, finds the suite and the sender; checks that the contracts exist. */
export async function connect(args: SuiteArgs, hre: HardhatRuntimeEnvironment): Promise<TaskContext> {
  const connection = await hre.network.getOrCreate();
  const { ethers } = connection;
  const provider = ethers.provider;
  const { chainId } = await provider.getNetwork();
  const addresses = await loadAddresses({ chainId, file: args.addresses, deploymentId: args.deployment });
  const signers: Signer[] = await ethers.getSigners();
  if (signers.length === 0)
    throw new CliError(`network ${connection.networkName} has no account configured to send from`);
  let signer: Signer | undefined = signers[0];
  if (args.from !== undefined) {
    const want = args.from.trim();
    if (/^\d+$/.test(want)) signer = signers[Number(want)];
    else {
      const all = await Promise.all(signers.map((s) => s.getAddress()));
      const i = all.findIndex((a) => a.toLowerCase() === want.toLowerCase());
      signer = i < 0 ? undefined : signers[i];
    }
    if (!signer)
      throw new CliError(
        `--from ${want} is not one of the ${signers.length} accounts of network ${connection.networkName}`,
      );
  }
  const suite = connectSuite(addresses, signer);
  await assertDeployedOn(suite, provider, connection.networkName);
  return {
    suite,
    provider,
    signer,
    from: await signer.getAddress(),
    chainId,
    networkName: connection.networkName,
    signers,
  };
}

/**
 * {@link connect}, then the pre-flight checks of what the action names: the datanet or model
 * exists and, with `owner`, the sender owns it (the model not retired); the messages name --from.
 */
export async function connectTo(
  args: SuiteArgs,
  hre: HardhatRuntimeEnvironment,
  target: { datanet?: bigint; model?: bigint; owner?: boolean },
): Promise<TaskContext> {
  const ctx = await connect(args, hre);
  if (target.datanet !== undefined) {
    await assertDatanetExists(ctx.suite, target.datanet);
    if (target.owner) await assertDatanetOwner(ctx, target.datanet);
  }
  if (target.model !== undefined) {
    await assertModelExists(ctx.suite, target.model);
    if (target.owner) await assertModelOwner(ctx, target.model);
  }
  return ctx;
}

/**
 * An account option (`--account`, `--to`): an address, or an index of the network's accounts
 * like `--from` takes.
 */
export async function parseAccount(ctx: TaskContext, text: string, option: string): Promise<string> {
  const want = text.trim();
  if (/^\d+$/.test(want)) {
    const signer = ctx.signers[Number(want)];
    if (!signer)
      throw new CliError(
        `${option} ${want} is not one of the ${ctx.signers.length} accounts of network ${ctx.networkName}: give an address or an index below ${ctx.signers.length}`,
      );
    return signer.getAddress();
  }
  return parseAddress(want, option);
}

/**
 * JSON with bigints as decimal strings. A replacer function costs a call per value (a ledger
 * view of 100,000 contributions: 0.28 s of 0.4 s): only a value holding a bigint, which plain
 * `JSON.stringify` refuses with a TypeError, is written with one.
 */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
  }
}

/** Prints the result: the JSON object with `--json`, else the human lines. */
export function output<T extends Record<string, unknown>>(
  args: { json: boolean },
  result: T,
  lines: string[],
): T {
  if (args.json) console.log(toJson(result));
  else for (const line of lines) console.log(line);
  return result;
}

/** Progress/log line: stderr, so `--json` keeps stdout clean. */
export function note(args: { json: boolean }, line: string): void {
  if (!args.json) console.error(line);
}

/** Whether an error is the user's (bad input, missing file, wrong book) rather than a bug. */
function userMessage(error: unknown): string | undefined {
  if (error instanceof ContractRevertError) return `the transaction reverted: ${explainRevert(error.revert)}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "INSUFFICIENT_FUNDS")
    return "the sending account has too little ETH to pay for gas: fund it or pick another with --from";
  if (code === "NONCE_EXPIRED")
    return "the sending account's nonce was already used (another transaction raced this one): run the task again";
  if (
    error instanceof InputError ||
    error instanceof AddressBookError ||
    error instanceof AttributionInputError ||
    error instanceof SettlementInputError ||
    error instanceof NodeUnreachableError ||
    error instanceof NodeStateLostError ||
    error instanceof NonceTakenError ||
    error instanceof IndexerClientError ||
    error instanceof UsageInputError ||
    error instanceof WatchtowerError
  )
    return error.message;
  return undefined;
}

/** What a task returns (Hardhat sets exit code 1 for a failed result). */
export type TaskResult<T> = { success: true; value: T } | { success: false; error: string };

/**
 * Runs a task body: a user error or revert prints `Error: <one line>` on stderr, sets
 * `process.exitCode = 1` and returns a failed result; anything else is a bug and is rethrown.
 */
export async function runTask<T>(args: { json: boolean }, body: () => Promise<T>): Promise<TaskResult<T>> {
  try {
    return { success: true, value: await body() };
  } catch (error) {
    const message = userMessage(error);
    if (message === undefined) throw error;
    console.error(`Error: ${message}`);
    if (args.json) console.log(toJson({ ok: false, error: message }));
    process.exitCode = 1;
    return { success: false, error: message };
  }
}

/** Submits contributions in batches with a progress bar on stderr; returns ids and transactions. */
export async function submitInBatches(
  ctx: TaskContext,
  datanetId: bigint,
  inputs: readonly ContributionInput[],
  batchSize: number,
  quiet: boolean,
) {
  const bar = createProgress("contributions", inputs.length, { quiet });
  let shown = 0;
  const { contributionIds, receipts } = await submitContributions(ctx.suite, datanetId, inputs, {
    batchSize,
    onProgress: (done) => {
      bar.tick(done - shown);
      shown = done;
    },
  });
  bar.done();
  return { datanetId, contributor: ctx.from, contributionIds, transactions: receipts.map((r) => r.hash) };
}
