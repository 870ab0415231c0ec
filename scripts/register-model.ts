/**
 * Register a model from a JSON file (thin over the SDK, like `model register`).
 * Safe to re-run: see USAGE below (also printed by `npx tsx scripts/register-model.ts --help`).
 */
import { resolve } from "node:path";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { keccak256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import { call, send } from "../src/sdk/send/index.js";
import { assertModelExists, assertTrainingInputs } from "../src/cli/checks.js";
import { InputError, modelInputFromFile } from "../src/cli/inputs.js";
import { Journal, journalOfOldChain } from "../src/cli/journal.js";
import type { Suite } from "../src/sdk/suite.js";
import { runIfMain, scriptArgs, scriptOptionsFromEnv, type ScriptOptions } from "../src/cli/script.js";
import { connect, runTask, toJson } from "../src/cli/task.js";

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

export interface RegisterModelOptions extends ScriptOptions {
  file: string | undefined;
}

/** Reads the model file, checks its base model and training inputs, registers it. */
export async function main(options: RegisterModelOptions, runtime: HardhatRuntimeEnvironment = hre) {
  const args = scriptArgs(options);
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
      throw journalOfOldChain(error, journalPath);
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

await runIfMain(import.meta.url, USAGE, main, () => ({
  file: process.env.MODEL_FILE,
  ...scriptOptionsFromEnv(),
}));
