import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { weightTableFromJson, type WeightTable } from "../../src/attribution/index.js";
import {
  FastMerkleTree,
  SETTLEMENT_LEAF_ENCODING,
  type StandardMerkleTreeDump,
} from "../../src/merkle/index.js";
import { accountIndex, attributionTree, claim, claimDirect } from "../../src/sdk/actions.js";
import { parseAddress } from "../../src/sdk/checks.js";
import { readInputFile, readJsonFile } from "../../src/sdk/inputs.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../lib/cli.js";

interface Args extends SuiteArgs {
  account: string | undefined;
  settlement: string | undefined;
  direct: boolean;
  table: string | undefined;
}

type SettlementTree = FastMerkleTree<typeof SETTLEMENT_LEAF_ENCODING>;

async function loadSettlement(path: string): Promise<SettlementTree> {
  const dump = await readJsonFile(path, "settlement dump");
  try {
    const tree = FastMerkleTree.load(dump as StandardMerkleTreeDump<typeof SETTLEMENT_LEAF_ENCODING>);
    if (JSON.stringify(tree.leafEncoding) !== JSON.stringify(SETTLEMENT_LEAF_ENCODING))
      throw new Error("not [address, uint256] leaves");
    return tree;
  } catch (error) {
    throw new CliError(
      `${path} is not a settlement dump (${(error as Error).message}): pass the settlement-<id>.json written by rewards settle`,
    );
  }
}

async function loadTables(list: string): Promise<WeightTable[]> {
  const paths = list
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length === 0) throw new CliError("--direct needs --table <file.json>[,...]");
  return Promise.all(
    paths.map(async (p) => {
      const text = (await readInputFile(p, "weight table")).toString("utf8");
      try {
        return weightTableFromJson(text);
      } catch (error) {
        throw new CliError(`${p} is not a valid weight table: ${(error as Error).message}`);
      }
    }),
  );
}

export default async function rewardsClaim(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.direct === (args.settlement !== undefined))
      throw new CliError("give either --settlement <dump.json> or --direct --table <file.json>");
    const account = args.account === undefined ? undefined : parseAddress(args.account, "--account");
    const tree = args.settlement !== undefined ? await loadSettlement(args.settlement) : undefined;
    const tables = args.direct ? await loadTables(args.table ?? "") : undefined;
    const ctx = await connect(args, hre);
    const who = account ?? ctx.from;

    if (tree) {
      const latest = await ctx.suite.distributor.latestSettlement();
      if (latest.root.toLowerCase() !== tree.root.toLowerCase())
        throw new CliError(
          `${args.settlement} has root ${tree.root} but the latest settlement (${latest.id}) is ${latest.root}: use the latest dump`,
        );
      const i = accountIndex(tree, who);
      if (i < 0) throw new CliError(`${who} is not in settlement ${latest.id}: nothing to claim`);
      const owed = await ctx.suite.distributor.claimable(who, tree.at(i)![1] as bigint);
      if (owed === 0n)
        throw new CliError(`${who} has already claimed everything settlement ${latest.id} owes them`);
      const { amount, receipt } = await claim(ctx.suite, tree, who);
      const result = { account: who, path: "settlement", settlementId: latest.id, amount, tx: receipt.hash };
      output(args, result, [
        `${who} claimed ${formatEther(amount)} OPEN (settlement ${latest.id}); tx ${receipt.hash}`,
      ]);
      return result;
    }

    for (const t of tables!) {
      if (!t.entries.some((e) => e.contributor.toLowerCase() === who.toLowerCase()))
        throw new CliError(`${who} has no weight in model ${t.modelId} epoch ${t.epoch}: nothing to claim`);
      const pair = await ctx.suite.distributor.pair(t.modelId, t.epoch);
      if (pair.finalizeSeq === 0n)
        throw new CliError(
          `model ${t.modelId} epoch ${t.epoch} is not finalized: run rewards finalize first`,
        );
      const committed = await ctx.suite.attribution.commitment(t.modelId, t.epoch);
      if (committed.root.toLowerCase() !== attributionTree(t).root.toLowerCase())
        throw new CliError(
          `the table of model ${t.modelId} epoch ${t.epoch} does not match the committed root ${committed.root}`,
        );
      if (await ctx.suite.distributor.directClaimed(who, t.modelId, t.epoch))
        throw new CliError(`${who} has already claimed model ${t.modelId} epoch ${t.epoch}`);
    }
    const { amount, receipt } = await claimDirect(
      ctx.suite,
      who,
      tables!.map((table) => ({ table })),
    );
    const pairs = tables!.map((t) => ({ modelId: t.modelId, epoch: t.epoch }));
    const result = { account: who, path: "direct", pairs, amount, tx: receipt.hash };
    output(args, result, [
      `${who} claimed ${formatEther(amount)} OPEN directly for ${pairs.map((p) => `model ${p.modelId} epoch ${p.epoch}`).join(", ")}; tx ${receipt.hash}`,
    ]);
    return result;
  });
}
