/**
 * `attribution close`: returns the bond of a challenge that governance did not resolve before
 * its deadline (anyone may). The commitment stands: it has read as Final since the deadline.
 */
import { formatEther, ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parsePair } from "../../src/cli/args.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import { closeLapsedChallenge } from "../../src/sdk/attribution.js";
import { readClock, when } from "../../src/sdk/clock.js";

type Args = SuiteArgs & Options<"model" | "epoch">;

export default async function attributionClose(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const { modelId, epoch } = parsePair(args);
    const ctx = await connect(args, hre);
    const at = `model ${modelId} epoch ${epoch}`;
    const open = await ctx.suite.attribution.challengeOf(modelId, epoch);
    if (open.challenger === ZeroAddress) throw new CliError(`${at} has no open challenge: nothing to close`);
    const deadline = BigInt((await ctx.suite.attribution.commitment(modelId, epoch)).finalAt);
    const clock = await readClock(ctx.suite, ctx.provider);
    if (clock.now < deadline)
      throw new CliError(
        `governance may still resolve the challenge of ${at} (attribution resolve) until ${when(deadline, clock.now)}: close it after that`,
      );
    const { challenger, bond, receipt } = await closeLapsedChallenge(ctx.suite, modelId, epoch);
    const result = { modelId, epoch, challenger, bond, commitmentStands: true, tx: receipt.hash };
    return output(args, result, [
      `the challenge of ${at} lapsed: the commitment stands and ${challenger} got its bond of ${formatEther(bond)} OPEN back; tx ${receipt.hash}`,
    ]);
  });
}
