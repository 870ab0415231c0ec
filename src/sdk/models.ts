/**
 * Model actions: register a model (with the datanet versions it was trained on), add a version,
 * change its inference price, retire it.
 */
import type { TransactionReceipt } from "ethers";
import { call, contractAction, eventArgs, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** One datanet version a model was trained on, with its datanet-level weight in basis points. */
export interface TrainingInput {
  datanetId: bigint;
  versionNumber: bigint;
  weightBps: number;
}

/** What to register for a model. */
export interface ModelInput {
  metadataURI: string;
  artifactHash: string;
  baseModelId?: bigint;
  declaredUses: number;
  pricePerUnit: bigint;
  trainingInputs: TrainingInput[];
}

/** Registers a model; returns the id the registry gave it. */
export async function registerModel(
  suite: Suite,
  input: ModelInput,
): Promise<{ modelId: bigint; receipt: TransactionReceipt }> {
  const receipt = await send(
    suite,
    call(suite.models, "registerModel", { ...input, baseModelId: input.baseModelId ?? 0n }),
  );
  return { modelId: eventArgs(suite, receipt, "ModelRegistered")[0].modelId as bigint, receipt };
}

/** Adds a version (artifact and training inputs) to a model its sender owns. */
export async function addModelVersion(
  suite: Suite,
  modelId: bigint,
  artifactHash: string,
  trainingInputs: TrainingInput[],
): Promise<{ versionNumber: bigint; receipt: TransactionReceipt }> {
  const receipt = await send(suite, call(suite.models, "addVersion", modelId, artifactHash, trainingInputs));
  return {
    versionNumber: eventArgs(suite, receipt, "ModelVersionAdded")[0].versionNumber as bigint,
    receipt,
  };
}

/** Sets a model's inference price per unit, in OPEN wei: `(suite, modelId, pricePerUnit)`. */
export const setModelPrice = contractAction("models", "setPrice");

/** Retires a model, `(suite, modelId)`: it can no longer be paid for or changed. */
export const retireModel = contractAction("models", "retire");
