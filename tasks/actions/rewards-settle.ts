import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { weightTableFromJson, type WeightTable } from "../../src/attribution/index.js";
import { proofFile } from "../../src/merkle/index.js";
import { finalizedPairs, settle, settlementTree } from "../../src/sdk/actions.js";
import { assertRole } from "../../src/sdk/checks.js";
import { readInputFile } from "../../src/sdk/inputs.js";
import { currentLedger } from "../../src/sdk/manifest.js";
import { computeSettlement } from "../../src/settlement/index.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../lib/cli.js";

interface Args extends SuiteArgs {
  tables: string | undefined;
  out: string;
  uri: string | undefined;
}

/** Every weight table (JSON with modelId, epoch and entries) at the top of `dir`. */
export async function readTables(dir: string): Promise<WeightTable[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`--tables ${dir} is not a directory: check the path`);
  const tables: WeightTable[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json")).sort()) {
    const text = (await readInputFile(join(dir, name), "weight table")).toString("utf8");
    let shape: unknown;
    try {
      shape = JSON.parse(text);
    } catch {
      throw new CliError(`${join(dir, name)} is not valid JSON: fix or remove it`);
    }
    const o = shape as Record<string, unknown>;
    if (typeof o !== "object" || o === null || !("modelId" in o) || !("entries" in o)) continue;
    try {
      tables.push(weightTableFromJson(text));
    } catch (error) {
      throw new CliError(`${join(dir, name)} is not a valid weight table: ${(error as Error).message}`);
    }
  }
  if (tables.length === 0)
    throw new CliError(`--tables ${dir} holds no weight table (*.json from attribution commit)`);
  return tables;
}

export default async function rewardsSettle(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.tables === undefined)
      throw new CliError("--tables <dir> is required (the weight tables of the finalized pairs)");
    const tables = await readTables(args.tables);
    const ctx = await connect(args, hre);
    await assertRole(ctx.suite.distributor, "SETTLEMENT_OPERATOR_ROLE", ctx.from);
    // Everything that can fail off-chain fails here, before the transaction.
    const ledger = await currentLedger(ctx.suite, ctx.provider);
    if (ledger.finalized.size === 0)
      throw new CliError("no (model, epoch) is finalized yet: run rewards finalize first");
    let preview;
    try {
      preview = computeSettlement(finalizedPairs(ledger, tables));
      settlementTree(preview);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const latest = await ctx.suite.distributor.latestSettlement();
    if (
      latest.root !== "0x" + "0".repeat(64) &&
      preview.total === latest.total &&
      preview.coveredThroughSeq === latest.coveredThroughSeq
    )
      throw new CliError(
        `nothing new to settle: settlement ${latest.id} already covers every finalized pair`,
      );

    const outDir = resolve(args.out);
    await mkdir(outDir, { recursive: true });
    const id = latest.id + 1n;
    const dump = join(outDir, `settlement-${id}.json`);
    const s = await settle(ctx.suite, ctx.provider, tables, args.uri ?? `file://${dump}`);
    await writeFile(dump, JSON.stringify(s.tree.dump(), null, 2) + "\n");
    const proofsDir = join(outDir, `settlement-${id}-proofs`);
    await mkdir(proofsDir, { recursive: true });
    for (let i = 0; i < s.tree.length; i++) {
      const account = String(s.tree.at(i)![0]).toLowerCase();
      await writeFile(
        join(proofsDir, `${account}.json`),
        JSON.stringify(proofFile(s.tree, i), null, 2) + "\n",
      );
    }
    const result = {
      settlementId: id,
      root: s.root,
      total: s.settlement.total,
      dust: s.settlement.dust,
      coveredThroughSeq: s.settlement.coveredThroughSeq,
      accounts: s.settlement.accounts.map((a) => ({
        account: a.account,
        cumulativeAmount: a.cumulativeAmount,
      })),
      files: { dump, proofs: proofsDir },
      tx: s.receipt.hash,
    };
    output(args, result, [
      `settlement ${id} committed: root ${s.root}, ${s.settlement.accounts.length} accounts, ${formatEther(s.settlement.total)} OPEN cumulative; tx ${s.receipt.hash}`,
      `  dump ${dump}, proofs in ${proofsDir}`,
    ]);
    return result;
  });
}
