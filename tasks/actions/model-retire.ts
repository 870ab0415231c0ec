import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { retireModel } from "../../src/sdk/actions.js";
import { assertModelExists, parseId } from "../../src/sdk/checks.js";
import { connect, output, runTask, type SuiteArgs } from "../lib/cli.js";
import { assertModelOwner } from "../lib/checks.js";

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
