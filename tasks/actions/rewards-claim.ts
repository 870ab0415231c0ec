import { formatEther, getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { weightTableFromJson, type WeightTable } from "../../src/attribution/index.js";
import { readSettlementProof } from "../../src/settlement/files.js";
import { attributionTree } from "../../src/attribution/tree.js";
import { claim, claimDirect } from "../../src/sdk/rewards.js";
import { parseAddress } from "../../src/cli/args.js";
import { readInputFile } from "../../src/cli/inputs.js";
import { CliError, connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

interface Args extends SuiteArgs {
  account: string | undefined;
  proof: string | undefined;
  direct: boolean;
  table: string | undefined;
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
    if (args.direct === (args.proof !== undefined))
      throw new CliError("give either --proof <account.json> or --direct --table <file.json>");
    const account = args.account === undefined ? undefined : parseAddress(args.account, "--account");
    const proof = args.proof !== undefined ? await readSettlementProof(args.proof) : undefined;
    const tables = args.direct ? await loadTables(args.table ?? "") : undefined;
    const ctx = await connect(args, hre);

    if (proof) {
      if (account !== undefined && account.toLowerCase() !== proof.account)
        throw new CliError(
          `--account ${account} is not the account of ${args.proof} (${proof.account}): pass that account's proof file`,
        );
      const latest = await ctx.suite.distributor.latestSettlement();
      if (latest.root.toLowerCase() !== proof.root)
        throw new CliError(
          `${args.proof} proves root ${proof.root} but the latest settlement (${latest.id}) is ${latest.root}: use the proof files of the latest settlement`,
        );
      const who = getAddress(proof.account);
      const owed = await ctx.suite.distributor.claimable(who, proof.cumulativeAmount);
      if (owed === 0n)
        throw new CliError(`${who} has already claimed everything settlement ${latest.id} owes them`);
      const { amount, receipt } = await claim(ctx.suite, proof);
      const result = { account: who, path: "settlement", settlementId: latest.id, amount, tx: receipt.hash };
      output(args, result, [
        `${who} claimed ${formatEther(amount)} OPEN (settlement ${latest.id}); tx ${receipt.hash}`,
      ]);
      return result;
    }

    const who = account ?? ctx.from;
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
