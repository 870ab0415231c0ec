/**
 * Submit contributions to a datanet from a JSON file (thin over the SDK, like `datanet contribute`).
 *
 * Usage:
 *   CONTRIBUTIONS_FILE=contributions.json npx hardhat run scripts/contribute.ts --network <net>
 *
 * Environment:
 *   CONTRIBUTIONS_FILE  required: { "datanetId": "1", "contributions": [ ... ] } where each item is
 *                       { "file": "path/relative/to/the/json", "uri"?: "ipfs://...", "kind"?: 1 }
 *                       or { "contentHash": "0x..", "size": 123, "uri": "ipfs://..", "kind"?: 1 }
 *   ADDRESSES_FILE      optional address book (default: Ignition's deploy/deployments/chain-<id>)
 *   DEPLOYMENT_ID       optional Ignition deployment id
 *   FROM                optional sender: address or account index (default: the first account)
 *   BATCH_SIZE          optional contributions per transaction (default 100)
 * Prints one JSON object (datanetId, contributionIds, transactions) on stdout.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { assertDatanetExists, parseId, parseUint } from "../src/sdk/checks.js";
import { contributionsFromManifest, InputError, readJsonFile } from "../src/sdk/inputs.js";
import { connect, runTask, submitInBatches, toJson } from "../tasks/lib/cli.js";

export interface ContributeOptions {
  file: string | undefined;
  addresses?: string;
  deployment?: string;
  from?: string;
  batchSize?: string;
}

/** Reads the file, checks the datanet, submits in batches; returns the ids. */
export async function main(options: ContributeOptions, runtime: HardhatRuntimeEnvironment = hre) {
  const args = {
    addresses: options.addresses,
    deployment: options.deployment,
    from: options.from,
    json: true,
  };
  return runTask(args, async () => {
    if (options.file === undefined)
      throw new InputError("set CONTRIBUTIONS_FILE to the JSON file of contributions");
    const raw = (await readJsonFile(options.file, "contributions file")) as { datanetId?: unknown };
    const datanetId = parseId(
      raw?.datanetId === undefined ? undefined : String(raw.datanetId),
      `${options.file}: datanetId`,
    );
    const inputs = await contributionsFromManifest(options.file);
    const batchSize = Number(parseUint(options.batchSize ?? "100", "BATCH_SIZE"));
    const ctx = await connect(args, runtime);
    await assertDatanetExists(ctx.suite, datanetId);
    const result = await submitInBatches(ctx, datanetId, inputs, batchSize, false);
    console.log(toJson(result));
    return result;
  });
}

if (process.argv.some((a) => resolve(a) === fileURLToPath(import.meta.url))) {
  await main({
    file: process.env.CONTRIBUTIONS_FILE,
    addresses: process.env.ADDRESSES_FILE,
    deployment: process.env.DEPLOYMENT_ID,
    from: process.env.FROM,
    batchSize: process.env.BATCH_SIZE,
  });
}
