import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setModelPrice } from "../../src/sdk/models.js";
import { parseId, requiredOption } from "../../src/cli/args.js";
import { parseOpen } from "../../src/cli/inputs.js";
import { connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"model" | "price">;

export default async function modelPrice(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const pricePerUnit = parseOpen(
      requiredOption(args.price, "--price", "OPEN per unit, e.g. 2.5"),
      "--price",
    );
    const ctx = await connectTo(args, hre, { model: modelId, owner: true });
    const receipt = await setModelPrice(ctx.suite, modelId, pricePerUnit);
    const result = { modelId, pricePerUnit, tx: receipt.hash };
    return output(args, result, [
      `model ${modelId} now costs ${formatEther(pricePerUnit)} OPEN per unit; tx ${receipt.hash}`,
    ]);
  });
}
