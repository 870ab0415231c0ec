import { writeFile } from "node:fs/promises";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { publishVersion } from "../../src/sdk/datanets.js";
import { assertDatanetExists } from "../../src/cli/checks.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";
import { isCuratorOf } from "../../src/cli/checks.js";

interface Args extends SuiteArgs {
  datanet: string | undefined;
  uri: string | undefined;
  parent: string | undefined;
  out: string | undefined;
}

export default async function datanetPublish(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const datanetId = parseId(args.datanet, "--datanet");
    const parent =
      args.parent === undefined ? undefined : parseUint(args.parent, "--parent", { allowZero: true });
    const ctx = await connect(args, hre);
    await assertDatanetExists(ctx.suite, datanetId);
    const d = await ctx.suite.datanets.datanet(datanetId);
    if (parent !== undefined && parent > d.versionCount)
      throw new CliError(`--parent ${parent}: datanet ${datanetId} has only ${d.versionCount} versions`);
    if (d.acceptedCount === 0n)
      throw new CliError(
        `datanet ${datanetId} has no accepted contribution: curate some first (datanet curate --accept)`,
      );
    if (!(await isCuratorOf(ctx, datanetId)))
      throw new CliError(
        `${ctx.from} is not a curator of datanet ${datanetId}: use --from with the owner or a curator`,
      );
    const uri = args.uri ?? `datanet://${datanetId}/version/${d.versionCount + 1n}`;
    const v = await publishVersion(ctx.suite, ctx.provider, datanetId, { uri, parentVersion: parent });
    if (args.out !== undefined) await writeFile(args.out, JSON.stringify(v.tree.dump(), null, 2) + "\n");
    const result = {
      datanetId,
      versionNumber: v.versionNumber,
      root: v.root,
      contributionCount: v.members.length,
      uri,
      tree: args.out ?? null,
      tx: v.receipt.hash,
    };
    output(args, result, [
      `datanet ${datanetId} version ${v.versionNumber} published: root ${v.root}, ${v.members.length} contributions; tx ${v.receipt.hash}`,
    ]);
    return result;
  });
}
