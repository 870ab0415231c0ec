import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `model` task group: register, version, price, retire. */
export const modelTasks: TaskDefinition[] = [
  emptyTask(
    "model",
    "Models: register one with its training inputs, add versions, set the price, retire",
  ).build(),

  withSuiteOptions(
    task(
      ["model", "register"],
      "Register a model from a JSON file (metadataURI, artifactHash, declaredUses, price, trainingInputs)",
    ).addOption(
      optional(
        "file",
        'Model JSON: {"metadataURI", "artifactHash" | "artifactFile", "baseModelId"?, "declaredUses", "price" (OPEN) | "pricePerUnit" (wei), "trainingInputs": [{"datanetId", "versionNumber", "weightBps"}]}',
      ),
    ),
  )
    .setAction(() => import("../actions/model-register.js"))
    .build(),

  withSuiteOptions(
    task(["model", "version"], "Add a version (new artifact and training inputs) to your model")
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("artifactHash", "keccak256 of the artifact (0x + 64 hex)"))
      .addOption(optional("artifactFile", "Or: the artifact file, hashed with keccak256"))
      .addOption(
        optional(
          "inputs",
          "Training inputs datanet:version:bps[,...], weights summing to 10000 (e.g. 1:2:6000,2:1:4000)",
        ),
      ),
  )
    .setAction(() => import("../actions/model-version.js"))
    .build(),

  withSuiteOptions(
    task(["model", "price"], "Set your model's price per unit of inference")
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("price", "Price per unit in OPEN, e.g. 2.5 (required)")),
  )
    .setAction(() => import("../actions/model-price.js"))
    .build(),

  withSuiteOptions(
    task(["model", "retire"], "Retire your model: it takes no more payments").addOption(
      optional("model", "Model id (required)"),
    ),
  )
    .setAction(() => import("../actions/model-retire.js"))
    .build(),
];
