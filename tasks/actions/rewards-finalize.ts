import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { readClock, when } from "../../src/sdk/clock.js";
import { finalizePair } from "../../src/sdk/rewards.js";
import { parsePair } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { COMMITMENT_STATUS, statusName } from "../../src/sdk/constants.js";

type Args = SuiteArgs & Options<"model" | "epoch">;

export default async function rewardsFinalize(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const { modelId, epoch } = parsePair(args);
    const ctx = await connectTo(args, hre, { model: modelId });
    const status = Number(await ctx.suite.attribution.commitmentStatus(modelId, epoch));
    if (status !== 3) {
      const c = await ctx.suite.attribution.commitment(modelId, epoch);
      const at = `model ${modelId} epoch ${epoch}`;
      if (status === 0)
        throw new CliError(
          `nothing was committed for ${at}: the attribution operator must commit it first (attribution commit); without a commitment its pool rolls forward once the delay has passed (rewards roll; npx hardhat status shows when)`,
        );
      const clock = await readClock(ctx.suite, ctx.provider);
      const final = status === 1 ? `; it becomes final ${when(BigInt(c.finalAt), clock.now)}` : "";
      throw new CliError(
        `${at}: the commitment is ${statusName(COMMITMENT_STATUS, status)}, not Final${final}`,
      );
    }
    if ((await ctx.suite.distributor.pair(modelId, epoch)).finalizeSeq !== 0n)
      throw new CliError(`model ${modelId} epoch ${epoch} is already finalized`);
    const { finalizeSeq, pool, receipt } = await finalizePair(ctx.suite, modelId, epoch);
    const result = { modelId, epoch, finalizeSeq, pool, tx: receipt.hash };
    return output(args, result, [
      `model ${modelId} epoch ${epoch} finalized (#${finalizeSeq}): contributor pool ${formatEther(pool)} OPEN; tx ${receipt.hash}`,
    ]);
  });
}
