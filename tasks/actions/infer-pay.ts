import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { pay, payWithPermit, quote } from "../../src/sdk/payments.js";
import { assertBalance } from "../../src/cli/checks.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"model" | "units"> & { permit: boolean; deadline: string; maxAmount: string };

export default async function inferPay(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const units = parseUint(args.units, "--units");
    const deadlineSeconds = parseUint(args.deadline, "--deadline");
    const ctx = await connectTo(args, hre, { model: modelId });
    const m = await ctx.suite.models.model(modelId);
    if (m.retired)
      throw new CliError(`model ${modelId} is retired and takes no payment: pick another --model`);
    if (m.pricePerUnit === 0n)
      throw new CliError(`model ${modelId} has no price: its owner must set one (model price)`);
    const amount = await quote(ctx.suite, modelId, units);
    const maxAmount = args.maxAmount === "" ? amount : parseUint(args.maxAmount, "--max-amount");
    if (amount > maxAmount)
      throw new CliError(
        `model ${modelId} costs ${formatEther(amount)} OPEN for ${units} units, above --max-amount ${formatEther(maxAmount)}: raise the bound or pay fewer units`,
      );
    await assertBalance(ctx.suite, ctx.from, amount);
    const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
    const paid = args.permit
      ? await payWithPermit(ctx.suite, ctx.signer, modelId, units, now + deadlineSeconds, maxAmount)
      : await pay(ctx.suite, ctx.signer, modelId, units, maxAmount);
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
    return output(args, result, [
      `paid ${formatEther(paid.amount)} OPEN for ${units} units of model ${modelId} (epoch ${paid.epoch}); tx ${paid.receipt.hash}`,
      `  protocol (treasury + stakers) ${formatEther(s.protocol)}, owner ${formatEther(s.owner)}, royalty ${formatEther(s.royalty)}, contributors ${formatEther(s.contributors)}`,
    ]);
  });
}
