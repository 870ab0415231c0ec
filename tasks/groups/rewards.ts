import {
  flag,
  INDEXER_OPTIONS,
  PUBLISH_OPTIONS,
  withDefault,
  type TaskGroupSpec,
} from "../../src/cli/options.js";
import { MODEL_EPOCH } from "./help.js";

/** The `rewards` task group: finalize, settle, claim, withdraw, roll. */
export const rewards: TaskGroupSpec = {
  description: "Rewards: finalize (model, epoch) pools, settle, claim, withdraw owner and treasury earnings",
  tasks: [
    {
      name: "finalize",
      description: "Finalize a (model, epoch) whose attribution commitment is final (anyone may)",
      options: MODEL_EPOCH,
    },
    {
      name: "settle",
      description:
        "Compute every account's cumulative entitlement from events and tables, commit the settlement root (settlement operator)",
      options: {
        tables: "Directory of the committed weight tables (*.json, as written by attribution commit)",
        out: withDefault("Directory for the settlement dump and proof files", "settlement"),
        uri: "URI recorded with the settlement (default file://<dump>)",
        ...PUBLISH_OPTIONS,
        ...INDEXER_OPTIONS,
      },
    },
    {
      name: "claim",
      description:
        "Claim an account's rewards: from the latest settlement (its --proof file, or without one from the dump at the settlement's URI), or --direct against committed --table(s)",
      options: {
        account:
          "Account to claim for (default: the proof's account, or the sender with --direct); tokens always go to it",
        proof: "The account's proof file written by rewards settle (settlement-<id>-proofs/<account>.json)",
        direct: flag("Claim (model, epoch) pairs directly against their final commitments"),
        table: "--direct: weight table JSON file(s), comma-separated",
        ...INDEXER_OPTIONS,
      },
    },
    {
      name: "withdraw",
      description: "Withdraw a model owner's earnings (--model) or the treasury (--treasury, governance)",
      options: {
        model: "Model id whose owner earnings to withdraw",
        treasury: flag("Withdraw the treasury's share instead"),
        to: "Recipient (default: the sender)",
      },
    },
    {
      name: "roll",
      description:
        "Roll an uncommitted (or voided) epoch's contributor pool into the model's current epoch, once the roll-forward delay has passed (anyone may)",
      options: MODEL_EPOCH,
    },
    {
      name: "activate",
      description: "Make the pending settlement root live once its dispute window has passed (anyone may)",
    },
  ],
};
