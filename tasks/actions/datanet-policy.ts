import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setContributionPolicy } from "../../src/sdk/datanets.js";
import { POLICY } from "../../src/sdk/constants.js";
import { parseId } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"datanet" | "set">;

export default async function datanetPolicy(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    if (args.set === undefined) throw new CliError("--set is required: open or allowlist");
    const policy = POLICY[args.set as keyof typeof POLICY];
    if (policy === undefined) throw new CliError(`--set must be open or allowlist, got "${args.set}"`);
    const ctx = await connectTo(args, hre, { datanet: datanetId, owner: true });
    if (Number((await ctx.suite.datanets.datanet(datanetId)).policy) === policy)
      throw new CliError(`datanet ${datanetId} is already ${args.set}: nothing to do`);
    const receipt = await setContributionPolicy(ctx.suite, datanetId, policy);
    const result = { datanetId, policy: args.set, tx: receipt.hash };
    return output(args, result, [`datanet ${datanetId} is now ${args.set}; tx ${receipt.hash}`]);
  });
}
