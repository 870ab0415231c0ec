import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { weightTableFromJson, type WeightTable } from "../../src/attribution/index.js";
import { commitSettlement, settlementOf } from "../../src/sdk/rewards.js";
import { assertRole } from "../../src/cli/checks.js";
import { readInputFile } from "../../src/cli/inputs.js";
import { currentLedger } from "../../src/sdk/read/manifest.js";
import { writeSettlementFiles } from "../../src/settlement/files.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

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
    // Computed once, from one read of the chain; everything that can fail off-chain fails here,
    // before the transaction.
    const ledger = await currentLedger(ctx.suite, ctx.provider);
    if (ledger.finalized.size === 0)
      throw new CliError("no (model, epoch) is finalized yet: run rewards finalize first");
    let prepared;
    try {
      prepared = settlementOf(ledger, tables);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const latest = await ctx.suite.distributor.latestSettlement();
    if (
      latest.root !== "0x" + "0".repeat(64) &&
      prepared.settlement.total === latest.total &&
      prepared.settlement.coveredThroughSeq === latest.coveredThroughSeq
    )
      throw new CliError(
        `nothing new to settle: settlement ${latest.id} already covers every finalized pair`,
      );

    // The dump and every account's proof file are written before the root is committed, so a
    // committed root always has its proofs on disk.
    const id = latest.id + 1n;
    const files = await writeSettlementFiles(prepared.tree, resolve(args.out), id);
    const { dump, proofs: proofsDir } = files;
    const s = await commitSettlement(ctx.suite, prepared, args.uri ?? `file://${dump}`);
    const result = {
      settlementId: id,
      root: s.root,
      total: s.settlement.total,
      dust: s.settlement.dust,
      coveredThroughSeq: s.settlement.coveredThroughSeq,
      // Each account's amount is in the dump and its proof file: listing a million of them here
      // would hold the whole settlement as JSON text in memory.
      accounts: s.settlement.accounts.length,
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
