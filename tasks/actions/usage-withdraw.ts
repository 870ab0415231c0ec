import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseAddress } from "../../src/cli/args.js";
import { parseOpen } from "../../src/cli/inputs.js";
import { CliError, output, runTask } from "../../src/cli/task.js";
import { requestUsageWithdrawal, withdrawUsage } from "../../src/sdk/usage.js";
import { connectUsage, type UsageArgs } from "./usage-common.js";

interface Args extends UsageArgs {
  request: string | undefined;
  cancel: boolean;
  to: string | undefined;
}

export default async function usageWithdraw(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.request !== undefined && args.cancel)
      throw new CliError("pass either --request AMOUNT or --cancel, not both");
    const amount = args.request === undefined ? undefined : parseOpen(args.request, "--request");
    const ctx = await connectUsage(args, hre);
    if (amount !== undefined) {
      const receipt = await requestUsageWithdrawal(ctx.escrow, ctx.signer, amount);
      const a = await ctx.escrow.account(ctx.from);
      const result = { action: "requested", amount, withdrawableAt: a.withdrawableAt, tx: receipt.hash };
      output(args, result, [
        `asked to withdraw ${formatEther(amount)} OPEN; executable at ${a.withdrawableAt} (unix s); tx ${receipt.hash}`,
      ]);
      return result;
    }
    if (args.cancel) {
      if ((await ctx.escrow.account(ctx.from)).withdrawableAt === 0n)
        throw new CliError("no withdrawal is pending: nothing to cancel");
      const receipt = await (await ctx.escrow.cancelWithdrawal()).wait();
      const result = { action: "cancelled", tx: receipt!.hash };
      output(args, result, [`cancelled the pending withdrawal; tx ${receipt!.hash}`]);
      return result;
    }
    const to = args.to === undefined ? ctx.from : parseAddress(args.to, "--to");
    const before = (await ctx.escrow.account(ctx.from)).balance;
    const receipt = await withdrawUsage(ctx.escrow, ctx.signer, to);
    const amountOut = before - (await ctx.escrow.account(ctx.from)).balance;
    const result = { action: "withdrawn", to, amount: amountOut, tx: receipt.hash };
    output(args, result, [`withdrew ${formatEther(amountOut)} OPEN to ${to}; tx ${receipt.hash}`]);
    return result;
  });
}
