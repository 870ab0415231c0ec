import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { withdrawContribution } from "../../src/sdk/datanets.js";
import { assertContributionExists } from "../../src/cli/checks.js";
import { parseBytes32, parseId } from "../../src/cli/args.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs & Options<"datanet" | "contribution">;

export default async function datanetWithdraw(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    const contributionId = parseBytes32(args.contribution, "--contribution");
    const ctx = await connectTo(args, hre, { datanet: datanetId });
    const c = await assertContributionExists(ctx.suite, datanetId, contributionId);
    if (c.contributor.toLowerCase() !== ctx.from.toLowerCase())
      throw new CliError(
        `contribution ${contributionId} belongs to ${c.contributor}, not ${ctx.from}: use --from with the contributor`,
      );
    const receipt = await withdrawContribution(ctx.suite, datanetId, contributionId);
    const result = { datanetId, contributionId, tx: receipt.hash };
    return output(args, result, [
      `contribution ${contributionId} withdrawn from datanet ${datanetId}; tx ${receipt.hash}`,
    ]);
  });
}
