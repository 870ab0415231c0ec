/**
 * `attribution prove-sum`: proves on-chain that a Pending or Challenged commitment's leaf weights
 * do not add up to its committed total, by revealing every leaf of its published table (anyone
 * may; no bond). The commitment is voided and its operator slashed, the prover rewarded.
 */
import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { isWeightSumProof, weightSumProof } from "../../src/attribution/weight-sum.js";
import { parsePair } from "../../src/cli/args.js";
import type { Options, SuiteArgs } from "../../src/cli/options.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import { proveWeightSum } from "../../src/sdk/attribution.js";
import { COMMITMENT_STATUS, statusName } from "../../src/sdk/constants.js";
import { parseTableLenient, readUri } from "../../src/verifier/tables.js";

type Args = SuiteArgs & Options<"model" | "epoch" | "table"> & { dryRun: boolean };

export default async function attributionProveSum(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const { modelId, epoch } = parsePair(args);
    const ctx = await connect(args, hre);
    const at = `model ${modelId} epoch ${epoch}`;
    const c = await ctx.suite.attribution.commitment(modelId, epoch);
    const status = statusName(COMMITMENT_STATUS, c.status);
    if (status !== "Pending" && status !== "Challenged")
      throw new CliError(
        `the commitment of ${at} is ${status}: only a Pending or Challenged commitment (before its window or resolution deadline ends) can be proven wrong`,
      );
    let uri = args.table;
    if (uri === undefined) {
      const events = await ctx.suite.attribution.queryFilter(
        ctx.suite.attribution.filters.AttributionCommitted(modelId, epoch),
      );
      uri = events.at(-1)?.args.uri;
      if (uri === undefined)
        throw new CliError(`no AttributionCommitted event for ${at}: give the table with --table`);
    }
    let table;
    try {
      table = parseTableLenient(await readUri(uri));
    } catch (error) {
      throw new CliError(
        `cannot read the weight table ${uri}: ${(error as Error).message}; give it with --table`,
      );
    }
    if (table.entries.length === 0)
      throw new CliError(`the table ${uri} has no entries: it cannot be the committed tree`);
    const proof = weightSumProof({ ...table, modelId, epoch }, { root: c.root, totalWeight: c.totalWeight });
    if (!isWeightSumProof(proof)) {
      if (proof.reason === "root-mismatch")
        throw new CliError(
          `the tree of ${uri} has root ${proof.tableRoot}, not the committed ${c.root}: only the committed tree's leaves prove a weight sum (challenge it instead: attribution challenge)`,
        );
      throw new CliError(
        `the weights of ${at} sum to ${proof.weightSum}, the committed total: nothing to prove (if they do not fit the texts, challenge it: attribution challenge)`,
      );
    }
    const base = {
      modelId,
      epoch,
      weightSum: proof.weightSum,
      totalWeight: proof.totalWeight,
      leaves: proof.leaves.length,
    };
    if (args.dryRun)
      return output(args, { ...base, sent: false }, [
        `${at}: its ${proof.leaves.length} weights sum to ${proof.weightSum}, the committed total is ${proof.totalWeight}: provable (dry run, nothing sent)`,
      ]);
    const r = await proveWeightSum(ctx.suite, proof);
    const result = {
      ...base,
      prover: r.prover,
      slash: r.slash,
      challenge: r.challenge,
      gasUsed: r.receipt.gasUsed,
      tx: r.receipt.hash,
    };
    const slash = r.slash
      ? `; operator ${r.slash.operator} slashed ${formatEther(r.slash.slashed)} OPEN, you got ${formatEther(r.slash.reward)} OPEN`
      : "";
    const bond = r.challenge
      ? `; the challenger ${r.challenge.challenger} got its bond of ${formatEther(r.challenge.bond)} OPEN back`
      : "";
    return output(args, result, [
      `proved that the weights of ${at} sum to ${proof.weightSum}, not ${proof.totalWeight}: the commitment is voided${slash}${bond}; tx ${r.receipt.hash}`,
    ]);
  });
}
