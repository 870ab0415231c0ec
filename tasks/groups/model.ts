import { ownershipTasks, type TaskGroupSpec } from "../../src/cli/options.js";
import { MODEL_ID as MODEL } from "./help.js";

/** The `model` task group: register, version, price, retire, ownership. */
export const model: TaskGroupSpec = {
  description: "Models: register one with its training inputs, add versions, set the price, retire",
  tasks: [
    {
      name: "register",
      description:
        "Register a model from a JSON file (metadataURI, artifactHash, declaredUses, price, trainingInputs)",
      options: {
        file: 'Model JSON: {"metadataURI", "artifactHash" | "artifactFile", "baseModelId"?, "declaredUses", "price" (OPEN) | "pricePerUnit" (wei), "trainingInputs": [{"datanetId", "versionNumber", "weightBps"}]}',
      },
    },
    {
      name: "version",
      description: "Add a version (new artifact and training inputs) to your model",
      options: {
        model: MODEL,
        artifactHash: "keccak256 of the artifact (0x + 64 hex)",
        artifactFile: "Or: the artifact file, hashed with keccak256",
        inputs:
          "Training inputs datanet:version:bps[,...], weights summing to 10000 (e.g. 1:2:6000,2:1:4000)",
      },
    },
    {
      name: "price",
      description: "Set your model's price per unit of inference",
      options: { model: MODEL, price: "Price per unit in OPEN, e.g. 2.5 (required)" },
    },
    {
      name: "retire",
      description: "Retire your model: it takes no more payments",
      options: { model: MODEL },
    },
    ...ownershipTasks("model"),
  ],
};
