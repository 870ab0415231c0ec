import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { retireModel } from "../../src/sdk/models.js";
import { assertModelExists } from "../../src/cli/checks.js";
import { parseId } from "../../src/cli/args.js";
import { connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { assertModelOwner } from "../../src/cli/checks.js";

interface Args extends SuiteArgs {
  model: string | undefined;
}

export default async function modelRetire(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    const ctx = await connect(args, hre);
    await assertModelExists(ctx.suite, modelId);
    await assertModelOwner(ctx, modelId);
    const receipt = await retireModel(ctx.suite, modelId);
    const result = { modelId, retired: true, tx: receipt.hash };
    output(args, result, [`model ${modelId} retired; tx ${receipt.hash}`]);
    return result;
  });
}
