import type { TaskDefinition } from "hardhat/types/tasks";
import { flag, INDEXER_OPTIONS, PUBLISH_OPTIONS, taskGroup, withDefault } from "../../src/cli/options.js";

/** What `rewards finalize` and `rewards roll` act on. */
const MODEL_EPOCH = { model: "Model id (required)", epoch: "Epoch (required)" };

/** The `rewards` task group: finalize, settle, claim, withdraw, roll. */
export const rewardsTasks: TaskDefinition[] = taskGroup(
  "rewards",
  "Rewards: finalize (model, epoch) pools, settle, claim, withdraw owner and treasury earnings",
  [
    {
      name: "finalize",
      description: "Finalize a (model, epoch) whose attribution commitment is final (anyone may)",
      options: MODEL_EPOCH,
      action: () => import("../actions/rewards-finalize.js"),
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
      action: () => import("../actions/rewards-settle.js"),
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
      action: () => import("../actions/rewards-claim.js"),
    },
    {
      name: "withdraw",
      description: "Withdraw a model owner's earnings (--model) or the treasury (--treasury, governance)",
      options: {
        model: "Model id whose owner earnings to withdraw",
        treasury: flag("Withdraw the treasury's share instead"),
        to: "Recipient (default: the sender)",
      },
      action: () => import("../actions/rewards-withdraw.js"),
    },
    {
      name: "roll",
      description:
        "Roll an uncommitted (or voided) epoch's contributor pool into the model's current epoch, once the roll-forward delay has passed (anyone may)",
      options: MODEL_EPOCH,
      action: () => import("../actions/rewards-roll.js"),
    },
    {
      name: "activate",
      description: "Make the pending settlement root live once its dispute window has passed (anyone may)",
      action: () => import("../actions/rewards-activate.js"),
    },
  ],
);
