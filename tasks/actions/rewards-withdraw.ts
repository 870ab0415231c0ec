import { formatEther, id as roleId } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { withdrawOwnerEarnings, withdrawTreasury } from "../../src/sdk/payments.js";
import { assertModelExists } from "../../src/cli/checks.js";
import { parseAddress, parseId } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  model: string | undefined;
  treasury: boolean;
  to: string | undefined;
}

export default async function rewardsWithdraw(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.treasury === (args.model !== undefined))
      throw new CliError("give either --model <id> or --treasury");
    const modelId = args.model === undefined ? undefined : parseId(args.model, "--model");
    const toGiven = args.to === undefined ? undefined : parseAddress(args.to, "--to");
    const ctx = await connect(args, hre);
    const to = toGiven ?? ctx.from;
    if (modelId !== undefined) {
      await assertModelExists(ctx.suite, modelId);
      const owner = (await ctx.suite.models.model(modelId)).owner;
      if (owner.toLowerCase() !== ctx.from.toLowerCase())
        throw new CliError(
          `model ${modelId} is owned by ${owner}, not ${ctx.from}: use --from with the owner`,
        );
      if ((await ctx.suite.distributor.ownerEarnings(modelId)) === 0n)
        throw new CliError(`model ${modelId} has no owner earnings to withdraw`);
      const { amount, receipt } = await withdrawOwnerEarnings(ctx.suite, modelId, to);
      const result = { kind: "owner", modelId, to, amount, tx: receipt.hash };
      output(args, result, [
        `withdrew ${formatEther(amount)} OPEN of model ${modelId}'s owner earnings to ${to}; tx ${receipt.hash}`,
      ]);
      return result;
    }
    if (!(await ctx.suite.distributor.hasRole(roleId("GOVERNANCE_ROLE"), ctx.from)))
      throw new CliError(
        `${ctx.from} does not hold GOVERNANCE_ROLE on the distributor: only governance withdraws the treasury`,
      );
    const { amount, receipt } = await withdrawTreasury(ctx.suite, to);
    const result = { kind: "treasury", to, amount, tx: receipt.hash };
    output(args, result, [`withdrew ${formatEther(amount)} OPEN of treasury to ${to}; tx ${receipt.hash}`]);
    return result;
  });
}
