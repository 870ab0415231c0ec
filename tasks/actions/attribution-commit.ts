import { mkdir, stat, writeFile } from "node:fs/promises";
import { readClock, when } from "../../src/sdk/clock.js";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  attributeOutputsFile,
  buildSpanIndex,
  datanetWeightTable,
  hasStoredIndex,
  openOrBuildIndex,
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
import { assertBonded, assertRole } from "../../src/cli/checks.js";
import { parseId, parseUint } from "../../src/cli/args.js";
import { matchCorpusDirectory } from "../../src/cli/corpus-dir.js";
import { readInputFile } from "../../src/cli/inputs.js";
import { publishFile, publishTarget } from "../../src/cli/publish.js";
import { terminalProgress } from "../../src/cli/progress.js";
import { readSuiteEvents } from "../../src/sdk/read/events.js";
import { trainingManifest } from "../../src/sdk/read/manifest.js";
import { CliError, connectTo, note, output, runTask } from "../../src/cli/task.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";

type Args = SuiteArgs &
  Options<
    | "model"
    | "epoch"
    | "table"
    | "corpus"
    | "manifest"
    | "outputs"
    | "outputsUri"
    | "indexDir"
    | "uri"
    | "publishDir"
    | "publishUrl"
  > & { method: string; minSpan: string; out: string; dryRun: boolean };

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
    const publish = publishTarget(args.publishDir, args.publishUrl);
    if (publish && args.uri !== undefined) throw new CliError("give --uri or --publish-url, not both");
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
    const ctx = await connectTo(args, hre, { model: modelId });
    const clock = await readClock(ctx.suite, ctx.provider);
    if (epoch >= clock.epoch)
      throw new CliError(
        `epoch ${epoch} has not ended: it ends ${when(await ctx.suite.attribution.epochEnd(epoch), clock.now)} (current epoch ${clock.epoch}); attribute an ended epoch`,
      );
    const status = Number(await ctx.suite.attribution.commitmentStatus(modelId, epoch));
    if (status !== 0 && status !== 4)
      throw new CliError(
        `model ${modelId} epoch ${epoch} is already committed (${statusName(COMMITMENT_STATUS, status)})`,
      );
    if (!args.dryRun) {
      await assertRole(ctx.suite.attribution, "ATTRIBUTION_OPERATOR_ROLE", ctx.from);
      await assertBonded(ctx.suite, ctx.from);
    }

    // ---- the table
    let table: WeightTable;
    let unmatchedFiles: string[] = [];
    if (given) table = given;
    else {
      const trained = await trainingManifest(
        ctx.suite,
        await readSuiteEvents(ctx.suite, ctx.provider),
        modelId,
      );
      const weights = trained.weights;
      manifest ??= trained.manifest;
      if (manifest.length === 0)
        throw new CliError(`model ${modelId}'s training versions hold no accepted contribution to attribute`);
      if (args.method === "span-match") {
        // With a store, the texts are indexed once and the index reopened for later epochs and
        // models; otherwise the directory's files are matched to contributions by content hash.
        const stored = args.indexDir !== undefined && (await hasStoredIndex(args.indexDir, manifest));
        const corpus = stored ? undefined : await matchCorpusDirectory(args.corpus!, manifest);
        if (corpus) {
          unmatchedFiles = corpus.unmatched;
          note(
            args,
            `indexing ${manifest.length} contributions from ${corpus.files.size} files of ${args.corpus}`,
          );
          for (const name of corpus.unmatched)
            note(args, `  ${name} matches no contribution of the training versions: left out`);
        } else note(args, `reopening the index of ${manifest.length} contributions in ${args.indexDir}`);
        const index = await (async () => {
          try {
            return args.indexDir !== undefined
              ? await openOrBuildIndex(args.indexDir, corpus?.dir ?? args.corpus!, manifest, {
                  progress: terminalProgress({ quiet: args.json }),
                })
              : await buildSpanIndex(corpus!.dir, manifest, terminalProgress({ quiet: args.json }));
          } finally {
            await corpus?.remove();
          }
        })();
        const run = await attributeOutputsFile(index, args.outputs!, {
          modelId,
          epoch,
          minSpan,
          progress: terminalProgress({ quiet: args.json }),
          outputsUri: args.outputsUri ?? pathToFileURL(resolve(args.outputs!)).href,
          versions: trained.versions,
        });
        note(args, `${run.outputs} outputs, ${run.spans} matched spans, ${run.matchedTokens} tokens`);
        table = run.table;
      } else
        table = datanetWeightTable(weights, manifest, {
          modelId,
          epoch,
          inputs: { versions: trained.versions },
        });
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
    let uri: string | null = null;
    if (!args.dryRun) {
      uri = publish ? await publishFile(files.json, publish) : (args.uri ?? `file://${files.json}`);
      const { receipt } = await commitAttribution(ctx.suite, table, uri);
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
      uri,
      tx,
      unmatchedFiles,
    };
    return output(args, result, [
      `model ${modelId} epoch ${epoch}: ${table.entries.length} contributors, root ${tree.root} (${table.method})`,
      `  table ${files.json}, proofs in ${proofsDir}`,
      args.dryRun ? "  not committed (--dry-run)" : `  committed; tx ${tx}`,
    ]);
  });
}
