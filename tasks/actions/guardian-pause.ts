import { id as roleId } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { send } from "../../src/sdk/send/index.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { PAUSABLE, describeState, pauseState, type Pausable } from "./guardian-status.js";

interface Args extends SuiteArgs {
  contract: string | undefined;
}

export default async function guardianPause(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const choice = args.contract ?? "both";
    if (choice !== "both" && !(PAUSABLE as readonly string[]).includes(choice))
      throw new CliError(`--contract must be distributor, attribution or both, not "${choice}"`);
    const targets: Pausable[] = choice === "both" ? [...PAUSABLE] : [choice as Pausable];
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
    for (const which of targets) txs.push((await send(ctx.suite, ctx.suite[which].pause())).hash);
    const states = await Promise.all(targets.map((w) => pauseState(ctx.suite, w)));
    const result = { states, txs };
    output(args, result, [...states.map(describeState), `tx ${txs.join(", ")}`]);
    return result;
  });
}
