/**
 * Register a model from a JSON file (thin over the SDK, like `model register`).
 *
 * Usage:
 *   MODEL_FILE=model.json npx hardhat run scripts/register-model.ts --network <net>
 *
 * Environment:
 *   MODEL_FILE      required: { "metadataURI": "ipfs://...", "artifactHash": "0x.." (or "artifactFile"),
 *                   "baseModelId"?: "0", "declaredUses": "commercialInference", "price": "2.5" (OPEN)
 *                   or "pricePerUnit": "2500000000000000000" (wei),
 *                   "trainingInputs": [{ "datanetId": "1", "versionNumber": "1", "weightBps": 10000 }] }
 *   ADDRESSES_FILE  optional address book (default: Ignition's deploy/deployments/chain-<id>)
 *   DEPLOYMENT_ID   optional Ignition deployment id
 *   FROM            optional sender: address or account index (default: the first account)
 * Prints one JSON object (modelId, owner, tx) on stdout.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { registerModel } from "../src/sdk/actions.js";
import { assertModelExists, assertTrainingInputs } from "../src/sdk/checks.js";
import { InputError, modelInputFromFile } from "../src/sdk/inputs.js";
import { connect, runTask, toJson } from "../tasks/lib/cli.js";

export interface RegisterModelOptions {
  file: string | undefined;
  addresses?: string;
  deployment?: string;
  from?: string;
}

/** Reads the model file, checks its base model and training inputs, registers it. */
export async function main(options: RegisterModelOptions, runtime: HardhatRuntimeEnvironment = hre) {
  const args = {
    addresses: options.addresses,
    deployment: options.deployment,
    from: options.from,
    json: true,
  };
  return runTask(args, async () => {
    if (options.file === undefined) throw new InputError("set MODEL_FILE to the model's JSON file");
    const input = await modelInputFromFile(options.file);
    const ctx = await connect(args, runtime);
    if (input.baseModelId) await assertModelExists(ctx.suite, input.baseModelId);
    await assertTrainingInputs(ctx.suite, input.trainingInputs);
    const { modelId, receipt } = await registerModel(ctx.suite, input);
    const result = { modelId, owner: ctx.from, pricePerUnit: input.pricePerUnit, tx: receipt.hash };
    console.log(toJson(result));
    return result;
  });
}

if (process.argv.some((a) => resolve(a) === fileURLToPath(import.meta.url))) {
  await main({
    file: process.env.MODEL_FILE,
    addresses: process.env.ADDRESSES_FILE,
    deployment: process.env.DEPLOYMENT_ID,
    from: process.env.FROM,
  });
}
