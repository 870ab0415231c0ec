import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setModelPrice } from "../../src/sdk/actions.js";
import { assertModelExists, parseId } from "../../src/sdk/checks.js";
import { parseOpen } from "../../src/sdk/inputs.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../lib/cli.js";
import { assertModelOwner } from "../lib/checks.js";

interface Args extends SuiteArgs {
  model: string | undefined;
  price: string | undefined;
}

export default async function modelPrice(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    if (args.price === undefined) throw new CliError("--price is required: OPEN per unit, e.g. 2.5");
    const pricePerUnit = parseOpen(args.price, "--price");
    const ctx = await connect(args, hre);
    await assertModelExists(ctx.suite, modelId);
    await assertModelOwner(ctx, modelId);
    const receipt = await setModelPrice(ctx.suite, modelId, pricePerUnit);
    const result = { modelId, pricePerUnit, tx: receipt.hash };
    output(args, result, [
      `model ${modelId} now costs ${formatEther(pricePerUnit)} OPEN per unit; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
