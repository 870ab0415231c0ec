import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { registerModel } from "../../src/sdk/models.js";
import { assertModelExists, assertTrainingInputs } from "../../src/cli/checks.js";
import { modelInputFromFile } from "../../src/cli/inputs.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  file: string | undefined;
}

export default async function modelRegister(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.file === undefined)
      throw new CliError("--file is required: the model's JSON description (see --help)");
    const input = await modelInputFromFile(args.file);
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
    output(args, result, [
      `model ${modelId} registered by ${ctx.from} at ${formatEther(input.pricePerUnit)} OPEN per unit; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
