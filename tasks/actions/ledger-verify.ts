import type { Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Suite } from "../../src/sdk/suite.js";
import { configuredIndexer } from "../../src/sdk/read/indexer.js";
import {
  formatIndexDifference,
  formatMismatch,
  formatUnverifiable,
  verifyIndex,
  verifyLedger,
} from "../../src/verifier/index.js";
import { CliError, runTask } from "../../src/cli/task.js";
import { readOnlySuite, toJson, type SuiteLocation } from "./ledger-common.js";

interface VerifyArgs extends SuiteLocation {
  dump: string;
  contents: string;
  indexDir: string;
  workers: string;
  indexer: string;
  json: boolean;
}

/** Parses `1=path,2=path`. */
export function parseDumps(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",").filter(Boolean)) {
    const match = /^(\d+)=(.+)$/.exec(part.trim());
    if (!match) throw new CliError(`--dump "${part}" is not id=path (e.g. 2=./settlement-2.json)`);
    out[match[1]] = match[2];
  }
  return out;
}

export default async function ledgerVerify(args: VerifyArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const settlementDumps = parseDumps(args.dump);
    if (args.workers !== "" && !/^[1-9][0-9]*$/.test(args.workers))
      throw new CliError(`--workers must be a positive integer, got "${args.workers}"`);
    const { suite, provider, close } = await readOnlySuite(args, hre);
    try {
      return await verify(suite, provider, settlementDumps);
    } finally {
      close();
    }
  });

  async function verify(suite: Suite, provider: Provider, settlementDumps: ReturnType<typeof parseDumps>) {
    const result = await verifyLedger({
      suite,
      provider,
      settlementDumps,
      ...(args.contents === "" ? {} : { contentDir: args.contents }),
      ...(args.indexDir === "" ? {} : { indexDir: args.indexDir }),
      ...(args.workers === "" ? {} : { workers: Number(args.workers) }),
    });
    const indexer = configuredIndexer(args.indexer);
    const index = indexer === undefined ? undefined : await verifyIndex(suite, provider, indexer);
    if (args.json) console.log(toJson(index ? { ...result, index } : result));
    else {
      for (const m of result.mismatches) console.log(formatMismatch(m));
      for (const v of result.unverifiable) console.log(formatUnverifiable(v));
      for (const n of result.notes) console.log(`note: ${n}`);
      for (const x of result.settlements)
        console.log(
          `settlement ${x.id} root ${x.root}: ${x.status}${x.status === "pending" ? ` until ${x.activatesAt}` : ""}, posted by ${x.operator}; ${x.verdict === "rejected" ? "rejected by a proven dispute" : x.verdict === "match" ? "recomputes" : x.verdict}`,
        );
      for (const d of result.disputes)
        console.log(
          `dispute: root ${d.root} (proposal ${d.proposal}) rejected on ${d.disputer}'s proof; operator ${d.operator} slashed ${d.slashed}, disputer rewarded ${d.reward} (tx ${d.transactionHash})`,
        );
      console.log(
        result.ok
          ? `OK: ${result.checks} checks at block ${result.block}, no mismatch, ${result.attribution.length} table(s) recomputed, ${result.paidOutputTables} with every attributed output paid by a redeemed voucher`
          : result.mismatches.length === 0
            ? `UNVERIFIABLE: ${result.unverifiable.length} table(s) could not be recomputed; ${result.checks} checks at block ${result.block}, no mismatch`
            : `FAILED: ${result.mismatches.length} mismatch(es) in ${result.checks} checks at block ${result.block}`,
      );
      if (index) {
        for (const d of index.differences) console.log(formatIndexDifference(d));
        console.log(
          index.ok
            ? `OK: the indexer at ${index.indexer} holds the chain's ${index.events} events up to block ${index.block}`
            : `FAILED: the indexer at ${index.indexer} differs from the chain in ${index.differences.length} place(s) up to block ${index.block}`,
        );
      }
    }
    if (!result.ok || (index && !index.ok)) process.exitCode = 1;
    return result;
  }
}
