import { keccak256 } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { addModelVersion } from "../../src/sdk/models.js";
import { assertModelExists, assertTrainingInputs } from "../../src/cli/checks.js";
import { parseBytes32, parseId } from "../../src/cli/args.js";
import { parseTrainingInputs, readInputFile } from "../../src/cli/inputs.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { assertModelOwner } from "../../src/cli/checks.js";

interface Args extends SuiteArgs {
  model: string | undefined;
  artifactHash: string | undefined;
  artifactFile: string | undefined;
  inputs: string | undefined;
}

export default async function modelVersion(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    if ((args.artifactHash === undefined) === (args.artifactFile === undefined))
      throw new CliError("give exactly one of --artifact-hash or --artifact-file");
    const artifactHash =
      args.artifactFile !== undefined
        ? keccak256(await readInputFile(args.artifactFile, "artifact file"))
        : parseBytes32(args.artifactHash, "--artifact-hash");
    if (args.inputs === undefined) throw new CliError("--inputs is required: datanet:version:bps[,...]");
    const trainingInputs = parseTrainingInputs(args.inputs);
    const ctx = await connect(args, hre);
    await assertModelExists(ctx.suite, modelId);
    await assertModelOwner(ctx, modelId);
    await assertTrainingInputs(ctx.suite, trainingInputs);
    const { versionNumber, receipt } = await addModelVersion(
      ctx.suite,
      modelId,
      artifactHash,
      trainingInputs,
    );
    const result = { modelId, versionNumber, artifactHash, trainingInputs, tx: receipt.hash };
    output(args, result, [`model ${modelId} version ${versionNumber} added; tx ${receipt.hash}`]);
    return result;
  });
}
