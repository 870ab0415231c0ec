import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { when } from "../../src/sdk/clock.js";
import { activateSettlement } from "../../src/sdk/rewards.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

export default async function rewardsActivate(args: SuiteArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const pending = await ctx.suite.distributor.pendingSettlement();
    if (pending.activatesAt === 0n)
      throw new CliError("no settlement root is pending: post one with rewards settle first");
    const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
    if (now < pending.activatesAt)
      throw new CliError(
        `settlement root ${pending.root} is in its dispute window until ${when(pending.activatesAt, now)}: activate it after that`,
      );
    const { id, root, receipt } = await activateSettlement(ctx.suite);
    const result = { settlementId: id, root, tx: receipt.hash };
    output(args, result, [`settlement ${id} (root ${root}) is live: claims use it now; tx ${receipt.hash}`]);
    return result;
  });
}
