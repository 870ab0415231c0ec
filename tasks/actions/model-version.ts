import { keccak256 } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { addModelVersion } from "../../src/sdk/models.js";
import { assertTrainingInputs } from "../../src/cli/checks.js";
import { parseBytes32, parseId, requiredOption } from "../../src/cli/args.js";
import { parseTrainingInputs, readInputFile } from "../../src/cli/inputs.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"model" | "artifactHash" | "artifactFile" | "inputs">;

export default async function modelVersion(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const modelId = parseId(args.model, "--model");
    if ((args.artifactHash === undefined) === (args.artifactFile === undefined))
      throw new CliError("give exactly one of --artifact-hash or --artifact-file");
    const artifactHash =
      args.artifactFile !== undefined
        ? keccak256(await readInputFile(args.artifactFile, "artifact file"))
        : parseBytes32(args.artifactHash, "--artifact-hash");
    const trainingInputs = parseTrainingInputs(
      requiredOption(args.inputs, "--inputs", "datanet:version:bps[,...]"),
    );
    const ctx = await connectTo(args, hre, { model: modelId, owner: true });
    await assertTrainingInputs(ctx.suite, trainingInputs);
    const { versionNumber, receipt } = await addModelVersion(
      ctx.suite,
      modelId,
      artifactHash,
      trainingInputs,
    );
    const result = { modelId, versionNumber, artifactHash, trainingInputs, tx: receipt.hash };
    return output(args, result, [`model ${modelId} version ${versionNumber} added; tx ${receipt.hash}`]);
  });
}
