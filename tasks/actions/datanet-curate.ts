import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { curate } from "../../src/sdk/datanets.js";
import { assertContributionExists, assertDatanetExists } from "../../src/cli/checks.js";
import { parseBytes32, parseId, parseUint } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { isCuratorOf } from "../../src/cli/checks.js";
import { CONTRIBUTION_STATUS, statusName } from "../../src/sdk/constants.js";

interface Args extends SuiteArgs {
  datanet: string | undefined;
  contribution: string | undefined;
  accept: boolean;
  reject: boolean;
  reason: string;
}

export default async function datanetCurate(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    if (args.accept === args.reject) throw new CliError("give exactly one of --accept or --reject");
    const reasonCode = Number(parseUint(args.reason, "--reason", { allowZero: true }));
    if (reasonCode > 255) throw new CliError(`--reason must be 0-255, got ${reasonCode}`);
    const ids = (args.contribution ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0)
      throw new CliError("--contribution is required (one id or several, comma-separated)");
    const contributionIds = ids.map((id) => parseBytes32(id, "--contribution"));
    const ctx = await connect(args, hre);
    await assertDatanetExists(ctx.suite, datanetId);
    for (const id of contributionIds) {
      const c = await assertContributionExists(ctx.suite, datanetId, id);
      if (c.status !== 1n)
        throw new CliError(
          `contribution ${id} is ${statusName(CONTRIBUTION_STATUS, c.status)}, not Pending: only pending contributions can be curated`,
        );
    }
    if (!(await isCuratorOf(ctx, datanetId)))
      throw new CliError(
        `${ctx.from} is not a curator of datanet ${datanetId}: use --from with the owner or a curator`,
      );
    const transactions: string[] = [];
    for (const id of contributionIds) {
      const receipt = await curate(
        ctx.suite,
        datanetId,
        id,
        args.accept ? { accept: true } : { accept: false, reasonCode },
      );
      transactions.push(receipt.hash);
    }
    const decision = args.accept ? "accepted" : "rejected";
    const result = { datanetId, decision, contributionIds, transactions };
    output(
      args,
      result,
      contributionIds.map((id) => `contribution ${id} ${decision} in datanet ${datanetId}`),
    );
    return result;
  });
}
