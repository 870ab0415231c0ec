import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { setContributorAllowed } from "../../src/sdk/datanets.js";
import { assertDatanetExists, assertDatanetOwner } from "../../src/cli/checks.js";
import { parseAddress, parseId } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  datanet: string | undefined;
  add: string | undefined;
  remove: string | undefined;
}

export default async function datanetAllowlist(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    if ((args.add === undefined) === (args.remove === undefined))
      throw new CliError("give exactly one of --add <address> or --remove <address>");
    const allowed = args.add !== undefined;
    const account = parseAddress(args.add ?? args.remove, allowed ? "--add" : "--remove");
    const ctx = await connect(args, hre);
    await assertDatanetExists(ctx.suite, datanetId);
    await assertDatanetOwner(ctx, datanetId);
    const d = await ctx.suite.datanets.datanet(datanetId);
    if ((await ctx.suite.datanets.isContributorAllowed(datanetId, account)) === allowed)
      throw new CliError(
        `${account} is ${allowed ? "already" : "not"} on the allow-list of datanet ${datanetId}: nothing to do`,
      );
    const receipt = await setContributorAllowed(ctx.suite, datanetId, account, allowed);
    const policy = Number(d.policy) === 1 ? "allowlist" : "open";
    const result = { datanetId, account, allowed, policy, tx: receipt.hash };
    output(args, result, [
      `${account} ${allowed ? "added to" : "removed from"} the allow-list of datanet ${datanetId}; tx ${receipt.hash}`,
      ...(policy === "open"
        ? [
            `note: datanet ${datanetId} is open, so the list applies only after: datanet policy --set allowlist`,
          ]
        : []),
    ]);
    return result;
  });
}
