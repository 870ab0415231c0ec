import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parsePair } from "../../src/cli/args.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { challengeCommitment } from "../../src/sdk/attribution.js";
import { COMMITMENT_STATUS, statusName } from "../../src/sdk/constants.js";

type Args = SuiteArgs & Options<"model" | "epoch" | "reason">;

export default async function attributionChallenge(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const { modelId, epoch } = parsePair(args);
    if (args.reason === undefined || args.reason.trim() === "")
      throw new CliError("--reason is required: where the evidence against the commitment is published");
    const ctx = await connect(args, hre);
    const status = await ctx.suite.attribution.commitmentStatus(modelId, epoch);
    if (statusName(COMMITMENT_STATUS, status) !== "Pending")
      throw new CliError(
        `the commitment of model ${modelId} epoch ${epoch} is ${statusName(COMMITMENT_STATUS, status)}: only a pending commitment (inside its challenge window) can be challenged`,
      );
    const bond = await ctx.suite.attribution.challengeBond();
    const held = await ctx.suite.token.balanceOf(ctx.from);
    if (held < bond)
      throw new CliError(
        `${ctx.from} holds ${formatEther(held)} OPEN, less than the challenge bond of ${formatEther(bond)} OPEN: get OPEN first (token transfer)`,
      );
    const r = await challengeCommitment(ctx.suite, ctx.signer, modelId, epoch, args.reason);
    const result = {
      modelId,
      epoch,
      challenger: ctx.from,
      bond: r.bond,
      reason: args.reason,
      tx: r.receipt.hash,
    };
    return output(args, result, [
      `${ctx.from} challenged the commitment of model ${modelId} epoch ${epoch} with a bond of ${formatEther(r.bond)} OPEN; governance resolves it (attribution resolve); tx ${r.receipt.hash}`,
    ]);
  });
}
