import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { registerModel } from "../../src/sdk/models.js";
import { assertModelExists, assertTrainingInputs } from "../../src/cli/checks.js";
import { modelInputFromFile } from "../../src/cli/inputs.js";
import { connect, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { requiredOption } from "../../src/cli/args.js";

type Args = SuiteArgs & Options<"file">;

export default async function modelRegister(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const input = await modelInputFromFile(
      requiredOption(args.file, "--file", "the model's JSON description (see --help)"),
    );
    const ctx = await connect(args, hre);
    if (input.baseModelId !== undefined && input.baseModelId !== 0n)
      await assertModelExists(ctx.suite, input.baseModelId);
    await assertTrainingInputs(ctx.suite, input.trainingInputs);
    const { modelId, receipt } = await registerModel(ctx.suite, input);
    const result = {
      modelId,
      owner: ctx.from,
      baseModelId: input.baseModelId ?? 0n,
      pricePerUnit: input.pricePerUnit,
      trainingInputs: input.trainingInputs,
      tx: receipt.hash,
    };
    return output(args, result, [
      `model ${modelId} registered by ${ctx.from} at ${formatEther(input.pricePerUnit)} OPEN per unit; tx ${receipt.hash}`,
    ]);
  });
}
