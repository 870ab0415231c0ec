import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { curate, curateBatch } from "../../src/sdk/datanets.js";
import { currentLedger } from "../../src/sdk/read/manifest.js";
import { assertContributionExists } from "../../src/cli/checks.js";
import { parseBytes32, parseId, parseUint } from "../../src/cli/args.js";
import { createProgress } from "../../src/cli/progress.js";
import { CliError, connectTo, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { isCuratorOf } from "../../src/cli/checks.js";
import { CONTRIBUTION_STATUS, statusName } from "../../src/sdk/constants.js";

type Args = SuiteArgs &
  Options<"datanet" | "contribution"> & {
    allPending: boolean;
    accept: boolean;
    reject: boolean;
    reason: string;
    batchSize: string;
  };

/**
 * Accepts or rejects the given contributions, or every pending one of the datanet
 * (`--all-pending`, read from the events). One contribution is one `acceptContribution` /
 * `rejectContribution`; more are sent in batches of `--batch-size` (`acceptContributions` /
 * `rejectContributions`, all or none per batch), which costs a fraction of the gas per item
 * (test/gas/RegistriesGas.test.ts). A progress bar shows on a terminal and every transaction is
 * listed.
 */
export default async function datanetCurate(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    if (args.accept === args.reject) throw new CliError("give exactly one of --accept or --reject");
    const reasonCode = Number(parseUint(args.reason, "--reason", { allowZero: true }));
    if (reasonCode > 255) throw new CliError(`--reason must be 0-255, got ${reasonCode}`);
    const batchSize = Number(parseUint(args.batchSize, "--batch-size"));
    const ids = (args.contribution ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (args.allPending && ids.length > 0)
      throw new CliError("give --contribution or --all-pending, not both");
    if (!args.allPending && ids.length === 0)
      throw new CliError(
        "--contribution is required (one id or several, comma-separated), or --all-pending for every pending one",
      );
    let contributionIds = ids.map((id) => parseBytes32(id, "--contribution"));
    const ctx = await connectTo(args, hre, { datanet: datanetId });
    if (args.allPending) {
      const datanet = (await currentLedger(ctx.suite, ctx.provider)).datanets.get(datanetId.toString());
      contributionIds = [...(datanet?.contributions.values() ?? [])]
        .filter((c) => c.status === "Pending")
        .map((c) => c.contributionId);
    }
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
    const decision = args.accept ? "accepted" : "rejected";
    const transactions: string[] = [];
    let gasUsed = 0n;
    const progress = createProgress(`${decision.slice(0, -2)}ing`, contributionIds.length, {
      quiet: args.json,
    });
    const choice = args.accept ? ({ accept: true } as const) : ({ accept: false, reasonCode } as const);
    for (let i = 0; i < contributionIds.length; i += batchSize) {
      const batch = contributionIds.slice(i, i + batchSize);
      const receipt =
        batch.length === 1
          ? await curate(ctx.suite, datanetId, batch[0], choice)
          : await curateBatch(ctx.suite, datanetId, batch, choice);
      transactions.push(receipt.hash);
      gasUsed += receipt.gasUsed;
      progress.tick(batch.length);
    }
    progress.done();
    const result = { datanetId, decision, contributionIds, transactions, gasUsed };
    output(
      args,
      result,
      contributionIds.length === 0
        ? [`no pending contributions in datanet ${datanetId}: nothing to curate`]
        : contributionIds.map((id) => `contribution ${id} ${decision} in datanet ${datanetId}`),
    );
    return result;
  });
}
