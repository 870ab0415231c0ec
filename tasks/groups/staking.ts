import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `stake` task group (stakers) and the `operator` task group (operators' own pool). */
export const stakingTasks: TaskDefinition[] = [
  emptyTask(
    "stake",
    "Staking: delegate OPEN behind an operator, unstake, withdraw after the unbonding delay, claim rewards",
  ).build(),

  withSuiteOptions(
    task(
      ["stake", "deposit"],
      "Stake OPEN behind a listed operator (approves the staking contract if needed)",
    )
      .addOption(optional("operator", "The operator: address or account index (required)"))
      .addOption(optional("amount", "Amount of OPEN, e.g. 100 or 2.5 (required)")),
  )
    .setAction(() => import("../actions/stake-deposit.js"))
    .build(),

  withSuiteOptions(
    task(
      ["stake", "unstake"],
      "Ask to unstake OPEN from behind an operator: it stops earning now and can be withdrawn after the unbonding delay",
    )
      .addOption(optional("operator", "The operator: address or account index (required)"))
      .addOption(optional("amount", "Amount of OPEN, or 'all' (required)")),
  )
    .setAction(() => import("../actions/stake-unstake.js"))
    .build(),

  withSuiteOptions(
    task(["stake", "withdraw"], "Withdraw unbonding stake once the unbonding delay is over")
      .addOption(optional("operator", "The operator: address or account index (required)"))
      .addOption(optional("to", "Receiver: address or account index (default: the sender)")),
  )
    .setAction(() => import("../actions/stake-withdraw.js"))
    .build(),

  withSuiteOptions(
    task(
      ["stake", "claim"],
      "Claim staker rewards from behind an operator (runs the distribution first when the distributor holds staker rewards)",
    )
      .addOption(optional("operator", "The operator: address or account index (required)"))
      .addOption(optional("to", "Receiver: address or account index (default: the sender)")),
  )
    .setAction(() => import("../actions/stake-claim.js"))
    .build(),

  withSuiteOptions(
    task(
      ["stake", "status"],
      "Show an account's stake, unbonding stake and rewards behind every listed operator",
    )
      .addOption(optional("account", "Address or account index (default: --from)"))
      .addOption(optional("operator", "Only this operator (default: every listed operator)")),
  )
    .setAction(() => import("../actions/stake-status.js"))
    .build(),

  emptyTask("operator", "Operators: bond OPEN in your own pool, set your commission, see your pool").build(),

  withSuiteOptions(
    task(
      ["operator", "bond"],
      "Stake OPEN in your own pool as your bond (commits need at least the minimum bond)",
    ).addOption(optional("amount", "Amount of OPEN (default: what is missing to reach the minimum bond)")),
  )
    .setAction(() => import("../actions/operator-bond.js"))
    .build(),

  withSuiteOptions(
    task(
      ["operator", "commission"],
      "Schedule your pool's commission (basis points of its staker rewards); it takes effect after the commission delay",
    )
      .addOption(optional("bps", "Commission in basis points, e.g. 1000 = 10% (required)"))
      .addOption(
        optional("claim", "Instead of scheduling: claim the accrued commission to this address or index"),
      ),
  )
    .setAction(() => import("../actions/operator-commission.js"))
    .build(),

  withSuiteOptions(
    task(
      ["operator", "status"],
      "Show an operator's pool: listing, bond against the minimum, stake, commission, whether it may commit",
    ).addOption(optional("operator", "Address or account index (default: --from)")),
  )
    .setAction(() => import("../actions/operator-status.js"))
    .build(),
];
