import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseAddress, requiredOption } from "../../src/cli/args.js";
import { parseOpen } from "../../src/cli/inputs.js";
import { CliError, output, runTask } from "../../src/cli/task.js";
import { depositUsage } from "../../src/sdk/usage.js";
import { connectUsage, type UsageArgs } from "./usage-common.js";

interface Args extends UsageArgs {
  amount: string | undefined;
  payer: string | undefined;
}

export default async function usageDeposit(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const amount = parseOpen(
      requiredOption(args.amount, "--amount", "the OPEN to deposit, e.g. 10"),
      "--amount",
    );
    if (amount === 0n) throw new CliError("--amount must be more than 0 OPEN");
    const ctx = await connectUsage(args, hre);
    const payer = args.payer === undefined ? ctx.from : parseAddress(args.payer, "--payer");
    if (await ctx.escrow.paused())
      throw new CliError(
        `deposits are paused until ${await ctx.escrow.pausedUntil()} (unix s): try again later`,
      );
    const receipt = await depositUsage(ctx.escrow, ctx.signer, payer, amount);
    const balance = await ctx.escrow.balanceOf(payer);
    const result = { payer, amount, balance, tx: receipt.hash };
    output(args, result, [
      `deposited ${formatEther(amount)} OPEN for ${payer}; balance ${formatEther(balance)} OPEN; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
