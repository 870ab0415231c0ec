import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `infer` task group: pay for inference. */
export const inferTasks: TaskDefinition[] = [
  emptyTask(
    "infer",
    "Inference: pay a model for units of inference (split to treasury, owner, ancestors, contributors)",
  ).build(),

  withSuiteOptions(
    task(
      ["infer", "pay"],
      "Pay for --units of inference of --model (approves OPEN first, or signs an EIP-2612 permit with --permit)",
    )
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("units", "Units of inference to pay for (required, > 0)"))
      .addFlag({
        name: "permit",
        description: "Pay in one transaction with an EIP-2612 permit instead of approve + pay",
      })
      .addOption({
        name: "deadline",
        description: "Seconds the --permit signature stays valid",
        type: ArgumentType.STRING,
        defaultValue: "3600",
      }),
  )
    .setAction(() => import("../actions/infer-pay.js"))
    .build(),
];
