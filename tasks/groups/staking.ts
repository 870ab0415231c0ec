import type { TaskGroupSpec } from "../../src/cli/options.js";
import { ACCOUNT, AMOUNT } from "./help.js";

const OPERATOR = "The operator: address or account index (required)";
const RECEIVER = "Receiver: address or account index (default: the sender)";

/** The `stake` task group (stakers). */
export const stake: TaskGroupSpec = {
  description:
    "Staking: delegate OPEN behind an operator, unstake, withdraw after the unbonding delay, claim rewards",
  tasks: [
    {
      name: "deposit",
      description: "Stake OPEN behind a listed operator (approves the staking contract if needed)",
      options: { operator: OPERATOR, amount: AMOUNT },
    },
    {
      name: "unstake",
      description:
        "Ask to unstake OPEN from behind an operator: it stops earning now and can be withdrawn after the unbonding delay",
      options: { operator: OPERATOR, amount: "Amount of OPEN, or 'all' (required)" },
    },
    {
      name: "withdraw",
      description: "Withdraw unbonding stake once the unbonding delay is over",
      options: { operator: OPERATOR, to: RECEIVER },
    },
    {
      name: "claim",
      description:
        "Claim staker rewards from behind an operator (runs the distribution first when the distributor holds staker rewards)",
      options: { operator: OPERATOR, to: RECEIVER },
    },
    {
      name: "status",
      description: "Show an account's stake, unbonding stake and rewards behind every listed operator",
      options: {
        account: ACCOUNT,
        operator: "Only this operator (default: every listed operator)",
      },
    },
  ],
};

/** The `operator` task group (operators' own pool). */
export const operator: TaskGroupSpec = {
  description: "Operators: bond OPEN in your own pool, set your commission, see your pool",
  tasks: [
    {
      name: "bond",
      description: "Stake OPEN in your own pool as your bond (commits need at least the minimum bond)",
      options: { amount: "Amount of OPEN (default: what is missing to reach the minimum bond)" },
    },
    {
      name: "commission",
      description:
        "Schedule your pool's commission (basis points of its staker rewards); it takes effect after the commission delay",
      options: {
        bps: "Commission in basis points, e.g. 1000 = 10% (required)",
        claim: "Instead of scheduling: claim the accrued commission to this address or index",
      },
    },
    {
      name: "status",
      description:
        "Show an operator's pool: listing, bond against the minimum, stake, commission, whether it may commit",
      options: { operator: ACCOUNT },
    },
  ],
};
