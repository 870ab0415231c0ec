import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setContributorAllowed } from "../../src/sdk/datanets.js";
import { parseAddOrRemove, parseId } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"datanet" | "add" | "remove">;

export default async function datanetAllowlist(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    const { account, adding: allowed } = parseAddOrRemove(args);
    const ctx = await connectTo(args, hre, { datanet: datanetId, owner: true });
    const d = await ctx.suite.datanets.datanet(datanetId);
    if ((await ctx.suite.datanets.isContributorAllowed(datanetId, account)) === allowed)
      throw new CliError(
        `${account} is ${allowed ? "already" : "not"} on the allow-list of datanet ${datanetId}: nothing to do`,
      );
    const receipt = await setContributorAllowed(ctx.suite, datanetId, account, allowed);
    const policy = Number(d.policy) === 1 ? "allowlist" : "open";
    const result = { datanetId, account, allowed, policy, tx: receipt.hash };
    return output(args, result, [
      `${account} ${allowed ? "added to" : "removed from"} the allow-list of datanet ${datanetId}; tx ${receipt.hash}`,
      ...(policy === "open"
        ? [
            `note: datanet ${datanetId} is open, so the list applies only after: datanet policy --set allowlist`,
          ]
        : []),
    ]);
  });
}
