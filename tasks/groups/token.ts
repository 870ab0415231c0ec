import type { TaskGroupSpec } from "../../src/cli/options.js";
import { ACCOUNT, AMOUNT } from "./help.js";

/** The `token` task group: balance, transfer, approve, delegate. */
export const token: TaskGroupSpec = {
  description: "The OPEN token: balance, transfer, approve a spender, delegate votes",
  tasks: [
    {
      name: "balance",
      description: "Show an account's OPEN, votes, delegate and allowance to the reward distributor",
      options: { account: ACCOUNT },
    },
    {
      name: "transfer",
      description: "Send OPEN to an account",
      options: {
        to: "Address or account index (required)",
        amount: AMOUNT,
      },
    },
    {
      name: "approve",
      description: "Let a contract spend your OPEN (default spender: the reward distributor, for infer pay)",
      options: {
        spender: "distributor (default), attribution, or an address",
        amount: "Amount of OPEN (required; 0 revokes)",
      },
    },
    {
      name: "delegate",
      description: "Delegate your votes (to yourself by default, to vote with your own OPEN)",
      options: { to: "Address or account index (default: yourself)" },
    },
  ],
};
