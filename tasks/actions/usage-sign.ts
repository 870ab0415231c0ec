import { writeFile } from "node:fs/promises";
import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseBytes32, parseId, parseUint } from "../../src/cli/args.js";
import { parseOpen } from "../../src/cli/inputs.js";
import { CliError, output, runTask, toJson } from "../../src/cli/task.js";
import { signVoucher, type Voucher } from "../../src/usage/voucher.js";
import { connectUsage, type UsageArgs } from "./usage-common.js";

interface Args extends UsageArgs {
  model: string | undefined;
  units: string | undefined;
  maxPrice: string | undefined;
  root: string | undefined;
  expiry: string | undefined;
  out: string | undefined;
}

export default async function usageSign(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const units = parseUint(args.units, "--units");
    const usageRoot = parseBytes32(args.root, "--root");
    const expiresIn = args.expiry === undefined ? 604_800n : parseUint(args.expiry, "--expiry");
    if (args.out === undefined)
      throw new CliError("--out is required: the file to write the signed voucher to");
    const ctx = await connectUsage(args, hre);
    const [, , price, retired] = await ctx.suite.models.paymentTerms(modelId);
    if (retired) throw new CliError(`model ${modelId} is retired and takes no payment: pick another --model`);
    const maxPricePerUnit = args.maxPrice === undefined ? price : parseOpen(args.maxPrice, "--max-price");
    if (maxPricePerUnit < price)
      throw new CliError(
        `--max-price ${formatEther(maxPricePerUnit)} is below the model's price ${formatEther(price)} OPEN: the voucher could not be redeemed`,
      );
    const redeemed = await ctx.escrow.redeemedUnits(ctx.from, modelId);
    if (units <= redeemed)
      throw new CliError(
        `--units ${units} is not above the ${redeemed} units already redeemed: vouchers are cumulative`,
      );
    const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
    const voucher: Voucher = {
      payer: ctx.from,
      modelId,
      cumulativeUnits: units,
      maxPricePerUnit,
      usageRoot,
      expiry: now + expiresIn,
    };
    const domain = { chainId: ctx.chainId, escrow: await ctx.escrow.getAddress() };
    const signature = await signVoucher(ctx.signer, domain, voucher);
    await writeFile(args.out, toJson({ voucher, signature }) + "\n");
    const result = { voucher, signature, out: args.out };
    output(args, result, [
      `signed a voucher of ${units} cumulative units of model ${modelId}; wrote ${args.out}`,
    ]);
    return result;
  });
}
