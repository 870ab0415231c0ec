import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { finalizePair } from "../../src/sdk/rewards.js";
import { assertModelExists } from "../../src/cli/checks.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { COMMITMENT_STATUS, statusName } from "../../src/sdk/constants.js";

interface Args extends SuiteArgs {
  model: string | undefined;
  epoch: string | undefined;
}

export default async function rewardsFinalize(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const epoch = parseUint(args.epoch, "--epoch", { allowZero: true });
    const ctx = await connect(args, hre);
    await assertModelExists(ctx.suite, modelId);
    const status = Number(await ctx.suite.attribution.commitmentStatus(modelId, epoch));
    if (status !== 3) {
      const c = await ctx.suite.attribution.commitment(modelId, epoch);
      const when = status === 1 ? ` (final after ${new Date(Number(c.finalAt) * 1000).toISOString()})` : "";
      throw new CliError(
        `model ${modelId} epoch ${epoch}: the commitment is ${statusName(COMMITMENT_STATUS, status)}${when}, not Final`,
      );
    }
    if ((await ctx.suite.distributor.pair(modelId, epoch)).finalizeSeq !== 0n)
      throw new CliError(`model ${modelId} epoch ${epoch} is already finalized`);
    const { finalizeSeq, pool, receipt } = await finalizePair(ctx.suite, modelId, epoch);
    const result = { modelId, epoch, finalizeSeq, pool, tx: receipt.hash };
    output(args, result, [
      `model ${modelId} epoch ${epoch} finalized (#${finalizeSeq}): contributor pool ${formatEther(pool)} OPEN; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
