import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setCurator } from "../../src/sdk/datanets.js";
import { parseAddOrRemove, parseId } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"datanet" | "add" | "remove">;

export default async function datanetCurator(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    const { account: curator, adding: appointed } = parseAddOrRemove(args);
    const ctx = await connectTo(args, hre, { datanet: datanetId, owner: true });
    const isCurator = await ctx.suite.datanets.isCurator(datanetId, curator);
    if (isCurator === appointed)
      throw new CliError(
        `${curator} is ${appointed ? "already" : "not"} a curator of datanet ${datanetId}: nothing to do`,
      );
    const receipt = await setCurator(ctx.suite, datanetId, curator, appointed);
    const result = { datanetId, curator, appointed, tx: receipt.hash };
    return output(args, result, [
      `${curator} ${appointed ? "appointed curator of" : "removed as curator of"} datanet ${datanetId}; tx ${receipt.hash}`,
    ]);
  });
}
