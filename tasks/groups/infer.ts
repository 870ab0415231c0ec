import { flag, withDefault, type TaskGroupSpec } from "../../src/cli/options.js";
import { MODEL_ID } from "./help.js";

/** The `infer` task group: pay for inference. */
export const infer: TaskGroupSpec = {
  description:
    "Inference: pay a model for units of inference (split to treasury, owner, ancestors, contributors)",
  tasks: [
    {
      name: "pay",
      description:
        "Pay for --units of inference of --model (approves OPEN first, or signs an EIP-2612 permit with --permit)",
      options: {
        model: MODEL_ID,
        units: "Units of inference to pay for (required, > 0)",
        permit: flag("Pay in one transaction with an EIP-2612 permit instead of approve + pay"),
        deadline: withDefault("Seconds the --permit signature stays valid", "3600"),
        maxAmount: withDefault(
          "Most OPEN (wei) the payment may take; default the price x units quoted now (a price raised before it lands reverts)",
          "",
        ),
      },
    },
  ],
};
