import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { CliError, output, runTask } from "../../src/cli/task.js";
import { redeemVouchers } from "../../src/sdk/usage.js";
import { connectUsage, readVouchers, type UsageArgs } from "./usage-common.js";

interface Args extends UsageArgs {
  vouchers: string | undefined;
}

export default async function usageRedeem(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.vouchers === undefined)
      throw new CliError("--vouchers is required: a file written by usage sign");
    const vouchers = await readVouchers(args.vouchers);
    const ctx = await connectUsage(args, hre);
    const { receipt, charged } = await redeemVouchers(ctx.escrow, ctx.signer, vouchers);
    const result = { vouchers: vouchers.length, charged, tx: receipt.hash, gasUsed: receipt.gasUsed };
    output(args, result, [
      `redeemed ${vouchers.length} voucher(s) for ${formatEther(charged)} OPEN; gas ${receipt.gasUsed}; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
