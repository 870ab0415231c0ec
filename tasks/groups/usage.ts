import { flag, type TaskGroupSpec } from "../../src/cli/options.js";
import { MODEL_ID } from "./help.js";

const ESCROW =
  "UsageEscrow address (default: usageEscrow of the --addresses file, or Suite#UsageEscrow of the Ignition deployment)";

/** The `usage` task group: pay per inference with signed vouchers through the usage escrow. */
export const usage: TaskGroupSpec = {
  description:
    "Usage vouchers: deposit OPEN in escrow, sign cumulative vouchers per inference, redeem them in batches, withdraw after the delay",
  tasks: [
    {
      name: "status",
      description: "Show a payer's escrow balance, pending withdrawal and the delay",
      options: { escrow: ESCROW, payer: "Payer address (default: --from)" },
    },
    {
      name: "deposit",
      description: "Deposit --amount OPEN of --from to --payer's escrow balance (approves first)",
      options: {
        escrow: ESCROW,
        amount: "OPEN to deposit, e.g. 10 or 0.5 (required)",
        payer: "Payer credited (default: --from)",
      },
    },
    {
      name: "withdraw",
      description:
        "Ask to withdraw (--request AMOUNT), cancel (--cancel) or execute the pending withdrawal once its delay passed (default)",
      options: {
        escrow: ESCROW,
        request: "OPEN to ask for; it can be executed after the escrow's delay",
        cancel: flag("Cancel the pending withdrawal"),
        to: "Recipient of an executed withdrawal (default: --from)",
      },
    },
    {
      name: "sign",
      description: "Sign a cumulative usage voucher as --from (the payer) and write it to --out",
      options: {
        escrow: ESCROW,
        model: MODEL_ID,
        units: "Cumulative units served so far (required, > 0)",
        maxPrice: "Highest price per unit in OPEN (default: the model's current price)",
        root: "Usage root: Merkle root of the receipts so far (required, 32 bytes hex)",
        expiry: "Seconds from now the voucher stays redeemable (default 604800, a week)",
        out: "File to write the signed voucher JSON to (required)",
      },
    },
    {
      name: "redeem",
      description: "Redeem signed vouchers (one file with one voucher or a list) in one transaction",
      options: { escrow: ESCROW, vouchers: "JSON file of a signed voucher or a list of them (required)" },
    },
  ],
};
