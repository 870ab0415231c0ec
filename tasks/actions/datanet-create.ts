import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { createDatanet } from "../../src/sdk/datanets.js";
import { parseLicence, POLICY } from "../../src/sdk/constants.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  uri: string | undefined;
  licence: string;
  policy: string;
}

export default async function datanetCreate(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (!args.uri) throw new CliError("--uri is required: the datanet's metadata URI (e.g. ipfs://...)");
    let licence: number;
    try {
      licence = parseLicence(args.licence);
    } catch (error) {
      throw new CliError(`--licence: ${(error as Error).message}`);
    }
    const policy = POLICY[args.policy as keyof typeof POLICY];
    if (policy === undefined) throw new CliError(`--policy must be open or allowlist, got "${args.policy}"`);
    const ctx = await connect(args, hre);
    const { datanetId, receipt } = await createDatanet(ctx.suite, { metadataURI: args.uri, licence, policy });
    const result = { datanetId, owner: ctx.from, licence, policy: args.policy, tx: receipt.hash };
    output(args, result, [
      `datanet ${datanetId} created by ${ctx.from} (licence ${licence}, ${args.policy}); tx ${receipt.hash}`,
    ]);
    return result;
  });
}
