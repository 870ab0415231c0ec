import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { retireModel } from "../../src/sdk/models.js";
import { parseId } from "../../src/cli/args.js";
import { connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"model">;

export default async function modelRetire(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const ctx = await connectTo(args, hre, { model: modelId, owner: true });
    const receipt = await retireModel(ctx.suite, modelId);
    const result = { modelId, retired: true, tx: receipt.hash };
    return output(args, result, [`model ${modelId} retired; tx ${receipt.hash}`]);
  });
}
