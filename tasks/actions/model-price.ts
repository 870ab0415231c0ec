import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setModelPrice } from "../../src/sdk/models.js";
import { assertModelExists } from "../../src/cli/checks.js";
import { parseId } from "../../src/cli/args.js";
import { parseOpen } from "../../src/cli/inputs.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { assertModelOwner } from "../../src/cli/checks.js";

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
