/** `guardian unpause`: governance lifts the guardian's pause before it ends by itself. */
import { id as roleId } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import { pauseState, unpauseContract } from "../../src/sdk/guardian.js";
import { describeState, parseContracts } from "./guardian-status.js";

type Args = SuiteArgs & Options<"contract">;

export default async function guardianUnpause(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const targets = parseContracts(args.contract);
    const ctx = await connect(args, hre);
    for (const which of targets)
      if (!(await ctx.suite[which].hasRole(roleId("GOVERNANCE_ROLE"), ctx.from)))
        throw new CliError(
          `${ctx.from} does not hold GOVERNANCE_ROLE on the ${which}: in production a governance proposal lifts a pause; on a local network use --from with the deployer`,
        );
    const paused: typeof targets = [];
    for (const which of targets) if ((await pauseState(ctx.suite, which)).paused) paused.push(which);
    if (paused.length === 0)
      throw new CliError(
        `nothing to unpause: ${targets.join(" and ")} ${targets.length > 1 ? "are" : "is"} running`,
      );
    const txs: string[] = [];
    for (const which of paused) txs.push((await unpauseContract(ctx.suite, which)).hash);
    const states = await Promise.all(targets.map((w) => pauseState(ctx.suite, w)));
    return output(args, { states, txs }, [...states.map(describeState), `tx ${txs.join(", ")}`]);
  });
}
