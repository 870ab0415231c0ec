import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `token` task group: balance, transfer, approve, delegate. */
export const tokenTasks: TaskDefinition[] = [
  emptyTask("token", "The OPEN token: balance, transfer, approve a spender, delegate votes").build(),

  withSuiteOptions(
    task(
      ["token", "balance"],
      "Show an account's OPEN, votes, delegate and allowance to the reward distributor",
    ).addOption(optional("account", "Address or account index (default: --from)")),
  )
    .setAction(() => import("../actions/token-balance.js"))
    .build(),

  withSuiteOptions(
    task(["token", "transfer"], "Send OPEN to an account")
      .addOption(optional("to", "Address or account index (required)"))
      .addOption(optional("amount", "Amount of OPEN, e.g. 100 or 2.5 (required)")),
  )
    .setAction(() => import("../actions/token-transfer.js"))
    .build(),

  withSuiteOptions(
    task(
      ["token", "approve"],
      "Let a contract spend your OPEN (default spender: the reward distributor, for infer pay)",
    )
      .addOption(optional("spender", "distributor (default), attribution, or an address"))
      .addOption(optional("amount", "Amount of OPEN (required; 0 revokes)")),
  )
    .setAction(() => import("../actions/token-approve.js"))
    .build(),

  withSuiteOptions(
    task(
      ["token", "delegate"],
      "Delegate your votes (to yourself by default, to vote with your own OPEN)",
    ).addOption(optional("to", "Address or account index (default: yourself)")),
  )
    .setAction(() => import("../actions/token-delegate.js"))
    .build(),
];
