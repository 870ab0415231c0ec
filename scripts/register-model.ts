/**
 * Register a model from a JSON file (thin over the SDK, like `model register`).
 * Safe to re-run: see USAGE below (also printed by `npx tsx scripts/register-model.ts --help`).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { keccak256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import { call, send } from "../src/sdk/actions.js";
import { assertModelExists, assertTrainingInputs } from "../src/sdk/checks.js";
import { InputError, modelInputFromFile } from "../src/sdk/inputs.js";
import { Journal } from "../src/sdk/journal.js";
import type { Suite } from "../src/sdk/suite.js";
import { NodeStateLostError } from "../src/sdk/writes.js";
import { connect, runTask, toJson } from "../tasks/lib/cli.js";

export const USAGE = `Register a model from a JSON file.

Usage:
  MODEL_FILE=model.json npx hardhat run scripts/register-model.ts --network <net>

Environment:
  MODEL_FILE      required: { "metadataURI": "ipfs://...", "artifactHash": "0x.." (or "artifactFile"),
                  "baseModelId"?: "0", "declaredUses": "commercialInference", "price": "2.5" (OPEN)
                  or "pricePerUnit": "2500000000000000000" (wei),
                  "trainingInputs": [{ "datanetId": "1", "versionNumber": "1", "weightBps": 10000 }] }
  ADDRESSES_FILE  optional address book (default: Ignition's deploy/deployments/chain-<id>)
  DEPLOYMENT_ID   optional Ignition deployment id
  FROM            optional sender: address or account index (default: the first account)
  JOURNAL_FILE    optional journal path (default: <MODEL_FILE>.journal.jsonl)

Re-running after a crash or a lost node is safe: the registration is journaled (sender, nonce,
data) before it is sent and again (tx hash, model id) once it has a receipt. A re-run with the same
model file and sender prints the recorded result without sending; one cut off between send and
receipt first looks the transaction up on chain by sender and nonce (waiting for it if it is still
pending) and sends it only if it never reached the chain. Registering the same file again on
purpose: delete the journal or point JOURNAL_FILE elsewhere.

Prints one JSON object (modelId, owner, pricePerUnit, tx, resumed) on stdout.`;

function registeredModelId(suite: Suite, receipt: TransactionReceipt): string {
  const target = String(suite.models.target).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== target) continue;
    const parsed = suite.models.interface.parseLog(log);
    if (parsed?.name === "ModelRegistered") return String(parsed.args.modelId);
  }
  throw new Error(`transaction ${receipt.hash} registered no model`);
}

export interface RegisterModelOptions {
  file: string | undefined;
  addresses?: string;
  deployment?: string;
  from?: string;
  journal?: string;
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
    const journalPath = resolve(options.journal ?? `${options.file}.journal.jsonl`);
    const journal = Journal.open(journalPath);
    const model = { ...input, baseModelId: input.baseModelId ?? 0n };
    const key = `registerModel:${ctx.from}:${keccak256(toUtf8Bytes(toJson(model)))}`;
    let step;
    try {
      step = await journal.step(
        key,
        ctx.provider,
        (o) => send(ctx.suite, call(ctx.suite.models, "registerModel", model), o),
        (receipt) => registeredModelId(ctx.suite, receipt),
      );
    } catch (error) {
      if (error instanceof NodeStateLostError)
        throw new NodeStateLostError(
          `${error.message} (the journal ${journalPath} describes the old chain: delete it after redeploying)`,
        );
      throw error;
    }
    const result = {
      modelId: BigInt(step.value),
      owner: ctx.from,
      pricePerUnit: input.pricePerUnit,
      tx: step.hash,
      resumed: step.resumed,
    };
    console.log(toJson(result));
    return result;
  });
}

if (process.argv.some((a) => resolve(a) === fileURLToPath(import.meta.url))) {
  if (process.argv.includes("--help") || process.argv.includes("-h")) console.log(USAGE);
  else
    await main({
      file: process.env.MODEL_FILE,
      addresses: process.env.ADDRESSES_FILE,
      deployment: process.env.DEPLOYMENT_ID,
      from: process.env.FROM,
      journal: process.env.JOURNAL_FILE,
    });
}
