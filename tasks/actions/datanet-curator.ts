import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setCurator } from "../../src/sdk/datanets.js";
import { assertDatanetExists, assertDatanetOwner } from "../../src/cli/checks.js";
import { parseAddress, parseId } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  datanet: string | undefined;
  add: string | undefined;
  remove: string | undefined;
}

export default async function datanetCurator(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    if ((args.add === undefined) === (args.remove === undefined))
      throw new CliError("give exactly one of --add <address> or --remove <address>");
    const appointed = args.add !== undefined;
    const curator = parseAddress(args.add ?? args.remove, appointed ? "--add" : "--remove");
    const ctx = await connect(args, hre);
    await assertDatanetExists(ctx.suite, datanetId);
    await assertDatanetOwner(ctx, datanetId);
    const isCurator = await ctx.suite.datanets.isCurator(datanetId, curator);
    if (isCurator === appointed)
      throw new CliError(
        `${curator} is ${appointed ? "already" : "not"} a curator of datanet ${datanetId}: nothing to do`,
      );
    const receipt = await setCurator(ctx.suite, datanetId, curator, appointed);
    const result = { datanetId, curator, appointed, tx: receipt.hash };
    output(args, result, [
      `${curator} ${appointed ? "appointed curator of" : "removed as curator of"} datanet ${datanetId}; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
