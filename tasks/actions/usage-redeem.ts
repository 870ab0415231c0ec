import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { requiredOption } from "../../src/cli/args.js";
import { output, runTask } from "../../src/cli/task.js";
import { redeemVouchers } from "../../src/sdk/usage.js";
import { connectUsage, readVouchers, type UsageArgs } from "./usage-common.js";

interface Args extends UsageArgs {
  vouchers: string | undefined;
}

export default async function usageRedeem(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const vouchers = await readVouchers(
      requiredOption(args.vouchers, "--vouchers", "a file written by usage sign"),
    );
    const ctx = await connectUsage(args, hre);
    const { receipt, charged } = await redeemVouchers(ctx.escrow, ctx.signer, vouchers);
    const result = { vouchers: vouchers.length, charged, tx: receipt.hash, gasUsed: receipt.gasUsed };
    output(args, result, [
      `redeemed ${vouchers.length} voucher(s) for ${formatEther(charged)} OPEN; gas ${receipt.gasUsed}; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
