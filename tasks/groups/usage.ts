import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

const escrowOption = optional(
  "escrow",
  "UsageEscrow address (default: usageEscrow of the --addresses file, or Suite#UsageEscrow of the Ignition deployment)",
);

/** The `usage` task group: pay per inference with signed vouchers through the usage escrow. */
export const usageTasks: TaskDefinition[] = [
  emptyTask(
    "usage",
    "Usage vouchers: deposit OPEN in escrow, sign cumulative vouchers per inference, redeem them in batches, withdraw after the delay",
  ).build(),

  withSuiteOptions(
    task(["usage", "status"], "Show a payer's escrow balance, pending withdrawal and the delay"),
  )
    .addOption(escrowOption)
    .addOption(optional("payer", "Payer address (default: --from)"))
    .setAction(() => import("../actions/usage-status.js"))
    .build(),

  withSuiteOptions(
    task(
      ["usage", "deposit"],
      "Deposit --amount OPEN of --from to --payer's escrow balance (approves first)",
    ),
  )
    .addOption(escrowOption)
    .addOption(optional("amount", "OPEN to deposit, e.g. 10 or 0.5 (required)"))
    .addOption(optional("payer", "Payer credited (default: --from)"))
    .setAction(() => import("../actions/usage-deposit.js"))
    .build(),

  withSuiteOptions(
    task(
      ["usage", "withdraw"],
      "Ask to withdraw (--request AMOUNT), cancel (--cancel) or execute the pending withdrawal once its delay passed (default)",
    ),
  )
    .addOption(escrowOption)
    .addOption(optional("request", "OPEN to ask for; it can be executed after the escrow's delay"))
    .addFlag({ name: "cancel", description: "Cancel the pending withdrawal" })
    .addOption(optional("to", "Recipient of an executed withdrawal (default: --from)"))
    .setAction(() => import("../actions/usage-withdraw.js"))
    .build(),

  withSuiteOptions(
    task(["usage", "sign"], "Sign a cumulative usage voucher as --from (the payer) and write it to --out"),
  )
    .addOption(escrowOption)
    .addOption(optional("model", "Model id (required)"))
    .addOption(optional("units", "Cumulative units served so far (required, > 0)"))
    .addOption(optional("maxPrice", "Highest price per unit in OPEN (default: the model's current price)"))
    .addOption(optional("root", "Usage root: Merkle root of the receipts so far (required, 32 bytes hex)"))
    .addOption(optional("expiry", "Seconds from now the voucher stays redeemable (default 604800, a week)"))
    .addOption(optional("out", "File to write the signed voucher JSON to (required)"))
    .setAction(() => import("../actions/usage-sign.js"))
    .build(),

  withSuiteOptions(
    task(
      ["usage", "redeem"],
      "Redeem signed vouchers (one file with one voucher or a list) in one transaction",
    ),
  )
    .addOption(escrowOption)
    .addOption(optional("vouchers", "JSON file of a signed voucher or a list of them (required)"))
    .setAction(() => import("../actions/usage-redeem.js"))
    .build(),
];
