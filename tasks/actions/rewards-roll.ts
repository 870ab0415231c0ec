import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { pairState, readClock, when } from "../../src/sdk/clock.js";
import { rollForward } from "../../src/sdk/rewards.js";
import { parsePair } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"model" | "epoch">;

export default async function rewardsRoll(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const { modelId, epoch } = parsePair(args);
    const ctx = await connectTo(args, hre, { model: modelId });
    const clock = await readClock(ctx.suite, ctx.provider);
    const s = await pairState(ctx.suite, clock, modelId, epoch);
    const at = `model ${modelId} epoch ${epoch}`;
    if (s.commitment !== "None" && s.commitment !== "Voided")
      throw new CliError(
        `${at} has a ${s.commitment} attribution commitment: its pool goes to its contributors (rewards finalize), it does not roll forward`,
      );
    if (s.pool === 0n) throw new CliError(`${at} has no unattributed pool: nothing to roll forward`);
    if (s.next !== "roll" || s.from !== 0n) {
      const rollableAt = s.epochEnd + clock.rollForwardDelay;
      throw new CliError(
        `${at} cannot roll forward yet: allowed from ${when(rollableAt, clock.now)} (epoch end + roll-forward delay ${clock.rollForwardDelay}s)`,
      );
    }
    const { amount, toEpoch, receipt } = await rollForward(ctx.suite, modelId, epoch);
    const result = { modelId, epoch, toEpoch, amount, tx: receipt.hash };
    return output(args, result, [
      `${at}: ${formatEther(amount)} OPEN rolled forward into epoch ${toEpoch}; tx ${receipt.hash}`,
    ]);
  });
}
