import { id as roleId } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { pauseContract, pauseState } from "../../src/sdk/guardian.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { describeState, parseContracts } from "./guardian-status.js";

type Args = SuiteArgs & Options<"contract">;

export default async function guardianPause(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const targets = parseContracts(args.contract);
    const ctx = await connect(args, hre);
    const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
    // Check everything first, so that a refused contract does not leave the other one paused.
    for (const which of targets) {
      if (!(await ctx.suite[which].hasRole(roleId("GUARDIAN_ROLE"), ctx.from)))
        throw new CliError(
          `${ctx.from} does not hold GUARDIAN_ROLE on the ${which}: use --from with the guardian`,
        );
      const s = await pauseState(ctx.suite, which);
      if (s.paused || now < s.pauseAvailableAt) throw new CliError(`cannot pause now: ${describeState(s)}`);
    }
    const txs: string[] = [];
    for (const which of targets) txs.push((await pauseContract(ctx.suite, which)).hash);
    const states = await Promise.all(targets.map((w) => pauseState(ctx.suite, w)));
    const result = { states, txs };
    return output(args, result, [...states.map(describeState), `tx ${txs.join(", ")}`]);
  });
}
