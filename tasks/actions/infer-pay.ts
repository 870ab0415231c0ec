import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { pay, payWithPermit, quote } from "../../src/sdk/payments.js";
import { assertBalance, assertModelExists } from "../../src/cli/checks.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  model: string | undefined;
  units: string | undefined;
  permit: boolean;
  deadline: string;
}

export default async function inferPay(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const units = parseUint(args.units, "--units");
    const deadlineSeconds = parseUint(args.deadline, "--deadline");
    const ctx = await connect(args, hre);
    await assertModelExists(ctx.suite, modelId);
    const m = await ctx.suite.models.model(modelId);
    if (m.retired)
      throw new CliError(`model ${modelId} is retired and takes no payment: pick another --model`);
    if (m.pricePerUnit === 0n)
      throw new CliError(`model ${modelId} has no price: its owner must set one (model price)`);
    const amount = await quote(ctx.suite, modelId, units);
    await assertBalance(ctx.suite, ctx.from, amount);
    const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
    const paid = args.permit
      ? await payWithPermit(ctx.suite, ctx.signer, modelId, units, now + deadlineSeconds)
      : await pay(ctx.suite, ctx.signer, modelId, units);
    const result = {
      modelId,
      units,
      payer: ctx.from,
      amount: paid.amount,
      epoch: paid.epoch,
      shares: paid.shares,
      tx: paid.receipt.hash,
    };
    const s = paid.shares;
    output(args, result, [
      `paid ${formatEther(paid.amount)} OPEN for ${units} units of model ${modelId} (epoch ${paid.epoch}); tx ${paid.receipt.hash}`,
      `  protocol (treasury + stakers) ${formatEther(s.protocol)}, owner ${formatEther(s.owner)}, royalty ${formatEther(s.royalty)}, contributors ${formatEther(s.contributors)}`,
    ]);
    return result;
  });
}
