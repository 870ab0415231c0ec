import { mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  attributeOutputsFile,
  buildSpanIndex,
  datanetWeightTable,
  readManifest,
  weightTableFromJson,
  writeWeightTable,
  type ManifestEntry,
  type WeightTable,
} from "../../src/attribution/index.js";
import { proofFile } from "../../src/merkle/index.js";
import { attributionTree } from "../../src/attribution/tree.js";
import { commitAttribution } from "../../src/sdk/attribution.js";
import { COMMITMENT_STATUS, METHOD_ID, statusName } from "../../src/sdk/constants.js";
import { assertModelExists, assertRole } from "../../src/cli/checks.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import { readInputFile } from "../../src/cli/inputs.js";
import { terminalProgress } from "../../src/cli/progress.js";
import { currentLedger, manifestFromChain, modelDatanetWeights } from "../../src/sdk/read/manifest.js";
import { CliError, connect, note, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  model: string | undefined;
  epoch: string | undefined;
  method: string;
  table: string | undefined;
  corpus: string | undefined;
  manifest: string | undefined;
  outputs: string | undefined;
  minSpan: string;
  out: string;
  uri: string | undefined;
  dryRun: boolean;
}

async function assertDirectory(path: string, option: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`${option} ${path} is not a directory: check the path`);
}

export default async function attributionCommit(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    // ---- arguments, files
    let given: WeightTable | undefined;
    if (args.table !== undefined) {
      const text = (await readInputFile(args.table, "weight table")).toString("utf8");
      try {
        given = weightTableFromJson(text);
      } catch (error) {
        throw new CliError(`${args.table} is not a valid weight table: ${(error as Error).message}`);
      }
    } else if (!(args.method in METHOD_ID)) {
      throw new CliError(`--method must be span-match or datanet-size, got "${args.method}"`);
    }
    const modelId = args.model !== undefined ? parseId(args.model, "--model") : given?.modelId;
    const epoch =
      args.epoch !== undefined ? parseUint(args.epoch, "--epoch", { allowZero: true }) : given?.epoch;
    if (modelId === undefined) throw new CliError("--model is required");
    if (epoch === undefined) throw new CliError("--epoch is required");
    if (given && (given.modelId !== modelId || given.epoch !== epoch))
      throw new CliError(
        `${args.table} is the table of model ${given.modelId} epoch ${given.epoch}, not model ${modelId} epoch ${epoch}`,
      );
    const minSpan = Number(parseUint(args.minSpan, "--min-span"));
    let manifest: ManifestEntry[] | undefined;
    if (!given) {
      if (args.method === "span-match") {
        if (args.corpus === undefined)
          throw new CliError("span-match needs --corpus <dir> (contribution texts)");
        if (args.outputs === undefined)
          throw new CliError("span-match needs --outputs <file.jsonl> (inference outputs)");
        await assertDirectory(args.corpus, "--corpus");
        await readInputFile(args.outputs, "outputs file");
      }
      if (args.manifest !== undefined) {
        await readInputFile(args.manifest, "manifest");
        manifest = await readManifest(args.manifest);
      }
    }

    // ---- chain checks
    const ctx = await connect(args, hre);
    await assertModelExists(ctx.suite, modelId);
    const current = await ctx.suite.attribution.currentEpoch();
    if (epoch >= current)
      throw new CliError(`epoch ${epoch} has not ended (current epoch ${current}): attribute an ended epoch`);
    const status = Number(await ctx.suite.attribution.commitmentStatus(modelId, epoch));
    if (status !== 0 && status !== 4)
      throw new CliError(
        `model ${modelId} epoch ${epoch} is already committed (${statusName(COMMITMENT_STATUS, status)})`,
      );
    if (!args.dryRun) await assertRole(ctx.suite.attribution, "ATTRIBUTION_OPERATOR_ROLE", ctx.from);

    // ---- the table
    let table: WeightTable;
    if (given) table = given;
    else {
      const ledger = await currentLedger(ctx.suite, ctx.provider);
      const weights = modelDatanetWeights(ledger, modelId);
      manifest ??= await manifestFromChain(ctx.suite, ledger, Object.keys(weights).map(BigInt));
      if (manifest.length === 0)
        throw new CliError(`model ${modelId}'s datanets have no accepted contribution to attribute`);
      if (args.method === "span-match") {
        note(args, `indexing ${manifest.length} contributions from ${args.corpus}`);
        const index = await buildSpanIndex(args.corpus!, manifest, terminalProgress({ quiet: args.json }));
        const run = await attributeOutputsFile(index, args.outputs!, {
          modelId,
          epoch,
          minSpan,
          progress: terminalProgress({ quiet: args.json }),
        });
        note(args, `${run.outputs} outputs, ${run.spans} matched spans, ${run.matchedTokens} tokens`);
        table = run.table;
      } else table = datanetWeightTable(weights, manifest, { modelId, epoch });
    }
    if (table.entries.length === 0)
      throw new CliError(
        `nothing could be attributed for model ${modelId} epoch ${epoch}: the table is empty, nothing to commit`,
      );

    // ---- files
    const outDir = resolve(args.out);
    await mkdir(outDir, { recursive: true });
    const base = join(outDir, `attribution-model-${modelId}-epoch-${epoch}`);
    const files = await writeWeightTable(table, base);
    const tree = attributionTree(table);
    const proofsDir = `${base}-proofs`;
    await mkdir(proofsDir, { recursive: true });
    for (let i = 0; i < table.entries.length; i++) {
      const contributor = table.entries[i].contributor;
      await writeFile(
        join(proofsDir, `${contributor}.json`),
        JSON.stringify(proofFile(tree, i), null, 2) + "\n",
      );
    }

    // ---- commit
    let tx: string | null = null;
    if (!args.dryRun) {
      const { receipt } = await commitAttribution(ctx.suite, table, args.uri ?? `file://${files.json}`);
      tx = receipt.hash;
    }
    const result = {
      modelId,
      epoch,
      method: table.method,
      root: tree.root,
      totalWeight: table.totalWeight,
      contributors: table.entries.length,
      files: { csv: files.csv, json: files.json, proofs: proofsDir },
      committed: !args.dryRun,
      tx,
    };
    output(args, result, [
      `model ${modelId} epoch ${epoch}: ${table.entries.length} contributors, root ${tree.root} (${table.method})`,
      `  table ${files.json}, proofs in ${proofsDir}`,
      args.dryRun ? "  not committed (--dry-run)" : `  committed; tx ${tx}`,
    ]);
    return result;
  });
}
