import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseAddress } from "../../src/cli/args.js";
import { output, runTask } from "../../src/cli/task.js";
import { usageStatus } from "../../src/sdk/usage.js";
import { connectUsage, type UsageArgs } from "./usage-common.js";

interface Args extends UsageArgs {
  payer: string | undefined;
}

export default async function usageStatusTask(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connectUsage(args, hre);
    const payer = args.payer === undefined ? ctx.from : parseAddress(args.payer, "--payer");
    const s = await usageStatus(ctx.escrow, payer);
    const result = { escrow: await ctx.escrow.getAddress(), ...s };
    output(args, result, [
      `payer ${payer}: balance ${formatEther(s.balance)} OPEN`,
      s.withdrawableAt === 0n
        ? `  no withdrawal pending (delay ${s.withdrawalDelay} s)`
        : `  withdrawal of ${formatEther(s.pendingWithdrawal)} OPEN pending, executable at ${s.withdrawableAt} (unix s)`,
    ]);
    return result;
  });
}
