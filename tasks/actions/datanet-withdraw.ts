import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { withdrawContribution } from "../../src/sdk/datanets.js";
import { assertContributionExists, assertDatanetExists } from "../../src/cli/checks.js";
import { parseBytes32, parseId } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  datanet: string | undefined;
  contribution: string | undefined;
}

export default async function datanetWithdraw(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    const contributionId = parseBytes32(args.contribution, "--contribution");
    const ctx = await connect(args, hre);
    await assertDatanetExists(ctx.suite, datanetId);
    const c = await assertContributionExists(ctx.suite, datanetId, contributionId);
    if (c.contributor.toLowerCase() !== ctx.from.toLowerCase())
      throw new CliError(
        `contribution ${contributionId} belongs to ${c.contributor}, not ${ctx.from}: use --from with the contributor`,
      );
    const receipt = await withdrawContribution(ctx.suite, datanetId, contributionId);
    const result = { datanetId, contributionId, tx: receipt.hash };
    output(args, result, [
      `contribution ${contributionId} withdrawn from datanet ${datanetId}; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
