import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, PUBLISH_DIR_OPTION, PUBLISH_URL_OPTION, withSuiteOptions } from "../../src/cli/options.js";

/** The `rewards` task group: finalize, settle, claim, withdraw. */
export const rewardsTasks: TaskDefinition[] = [
  emptyTask(
    "rewards",
    "Rewards: finalize (model, epoch) pools, settle, claim, withdraw owner and treasury earnings",
  ).build(),

  withSuiteOptions(
    task(
      ["rewards", "finalize"],
      "Finalize a (model, epoch) whose attribution commitment is final (anyone may)",
    )
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("epoch", "Epoch (required)")),
  )
    .setAction(() => import("../actions/rewards-finalize.js"))
    .build(),

  withSuiteOptions(
    task(
      ["rewards", "settle"],
      "Compute every account's cumulative entitlement from events and tables, commit the settlement root (settlement operator)",
    )
      .addOption(
        optional(
          "tables",
          "Directory of the committed weight tables (*.json, as written by attribution commit)",
        ),
      )
      .addOption({
        name: "out",
        description: "Directory for the settlement dump and proof files",
        type: ArgumentType.STRING,
        defaultValue: "settlement",
      })
      .addOption(optional("uri", "URI recorded with the settlement (default file://<dump>)"))
      .addOption(PUBLISH_DIR_OPTION)
      .addOption(PUBLISH_URL_OPTION),
  )
    .setAction(() => import("../actions/rewards-settle.js"))
    .build(),

  withSuiteOptions(
    task(
      ["rewards", "claim"],
      "Claim an account's rewards: from the latest settlement (its --proof file, or without one from the dump at the settlement's URI), or --direct against committed --table(s)",
    )
      .addOption(
        optional(
          "account",
          "Account to claim for (default: the proof's account, or the sender with --direct); tokens always go to it",
        ),
      )
      .addOption(
        optional(
          "proof",
          "The account's proof file written by rewards settle (settlement-<id>-proofs/<account>.json)",
        ),
      )
      .addFlag({
        name: "direct",
        description: "Claim (model, epoch) pairs directly against their final commitments",
      })
      .addOption(optional("table", "--direct: weight table JSON file(s), comma-separated")),
  )
    .setAction(() => import("../actions/rewards-claim.js"))
    .build(),

  withSuiteOptions(
    task(
      ["rewards", "withdraw"],
      "Withdraw a model owner's earnings (--model) or the treasury (--treasury, governance)",
    )
      .addOption(optional("model", "Model id whose owner earnings to withdraw"))
      .addFlag({ name: "treasury", description: "Withdraw the treasury's share instead" })
      .addOption(optional("to", "Recipient (default: the sender)")),
  )
    .setAction(() => import("../actions/rewards-withdraw.js"))
    .build(),

  withSuiteOptions(
    task(
      ["rewards", "roll"],
      "Roll an uncommitted (or voided) epoch's contributor pool into the model's current epoch, once the roll-forward delay has passed (anyone may)",
    )
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("epoch", "Epoch (required)")),
  )
    .setAction(() => import("../actions/rewards-roll.js"))
    .build(),

  withSuiteOptions(
    task(
      ["rewards", "activate"],
      "Make the pending settlement root live once its dispute window has passed (anyone may)",
    ),
  )
    .setAction(() => import("../actions/rewards-activate.js"))
    .build(),
];
