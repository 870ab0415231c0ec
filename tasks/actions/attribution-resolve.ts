import { formatEther, id as roleId, ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parsePair } from "../../src/cli/args.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { resolveChallenge } from "../../src/sdk/attribution.js";
import { readClock, when } from "../../src/sdk/clock.js";
import { COMMITMENT_STATUS, statusName } from "../../src/sdk/constants.js";

type Args = SuiteArgs & Options<"model" | "epoch"> & { stands: boolean; void: boolean };

export default async function attributionResolve(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.stands === args.void)
      throw new CliError("give exactly one of --stands (the commitment is right) or --void (it is wrong)");
    const { modelId, epoch } = parsePair(args);
    const ctx = await connect(args, hre);
    if (!(await ctx.suite.attribution.hasRole(roleId("GOVERNANCE_ROLE"), ctx.from)))
      throw new CliError(
        `${ctx.from} does not hold GOVERNANCE_ROLE on the attribution registry: in production a governance proposal resolves challenges; on a local network use --from with the deployer`,
      );
    const open = await ctx.suite.attribution.challengeOf(modelId, epoch);
    const deadline = BigInt((await ctx.suite.attribution.commitment(modelId, epoch)).finalAt);
    const { now } = await readClock(ctx.suite, ctx.provider);
    if (open.challenger !== ZeroAddress && now >= deadline)
      throw new CliError(
        `the challenge of model ${modelId} epoch ${epoch} lapsed ${when(deadline, now)} without a decision: the commitment stands; anyone returns the bond to the challenger with attribution close`,
      );
    const status = await ctx.suite.attribution.commitmentStatus(modelId, epoch);
    if (statusName(COMMITMENT_STATUS, status) !== "Challenged")
      throw new CliError(
        `the commitment of model ${modelId} epoch ${epoch} is ${statusName(COMMITMENT_STATUS, status)}, not challenged: nothing to resolve`,
      );
    const r = await resolveChallenge(ctx.suite, modelId, epoch, args.stands);
    const result = { modelId, epoch, ...r, receipt: undefined, tx: r.receipt.hash };
    const lines = [
      args.stands
        ? `the commitment of model ${modelId} epoch ${epoch} stands (final); the bond of ${formatEther(r.bond)} OPEN went to the treasury ${r.bondRecipient}; tx ${r.receipt.hash}`
        : `the commitment of model ${modelId} epoch ${epoch} is voided (the operator may commit it again); the challenger ${r.bondRecipient} got its bond of ${formatEther(r.bond)} OPEN back; tx ${r.receipt.hash}`,
    ];
    if (r.slash)
      lines.push(
        `operator ${r.slash.operator} slashed ${formatEther(r.slash.slashed)} OPEN: ${formatEther(r.slash.reward)} to the challenger, ${formatEther(r.slash.toTreasury)} to the treasury`,
      );
    return output(args, result, lines);
  });
}
