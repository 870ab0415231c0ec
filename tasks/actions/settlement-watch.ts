import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseUint } from "../../src/cli/args.js";
import { connect, note, runTask, toJson, type SuiteArgs } from "../../src/cli/task.js";
import {
  checkPendingSettlement,
  settlementDisputesOf,
  watchSettlements,
  type WatchReport,
} from "../../src/sdk/watchtower.js";
import { parseDumps } from "./ledger-verify.js";

interface Args extends SuiteArgs {
  once: boolean;
  interval: string;
  dryRun: boolean;
  dump: string | undefined;
}

const o = (wei: bigint) => `${formatEther(wei)} OPEN`;

/** The human lines of one report. */
export function describeReport(r: WatchReport): string[] {
  const lines: string[] = [];
  const p = r.pending;
  if (!p) {
    const live = r.roots.filter((x) => x.status === "activated").at(-1);
    lines.push(
      `block ${r.block}: no settlement root pending${live ? `; live root #${live.id} ${live.root}` : ""}`,
    );
  } else {
    const head = `block ${r.block}: settlement #${p.id} root ${p.root} (posted by ${p.operator}, window closes at ${p.activatesAt})`;
    const verdict = {
      honest: "honest: it recomputes",
      disputable: "WRONG",
      unavailable: "WRONG, DATA UNAVAILABLE",
      unprovable: "WRONG, NOT PROVABLE ON CHAIN",
      unverifiable: "UNVERIFIABLE",
    }[p.verdict];
    lines.push(`${head}: ${verdict}${p.verdict === "honest" ? "" : `: ${p.detail}`}`);
    if (p.disputed)
      lines.push(
        `  disputed (${p.disputed.fault}, account ${p.disputed.account}) in tx ${p.disputed.tx}: the root is rejected, operator slashed ${o(p.disputed.slashed)}, disputer ${p.disputed.disputer} rewarded ${o(p.disputed.reward)}`,
      );
    else if (p.dispute)
      lines.push(`  ${p.dispute.method} (${p.dispute.fault}) not sent: ${p.notDisputed ?? "unknown reason"}`);
  }
  for (const a of r.attribution) {
    const head = `  attribution of model ${a.modelId} epoch ${a.epoch} (${a.status}): its ${a.leafCount} weights sum to ${a.weightSum}, the committed total is ${a.totalWeight}`;
    if (a.proven) {
      const slash =
        a.proven.slashed === undefined
          ? ""
          : `, operator slashed ${o(a.proven.slashed)}, prover ${a.proven.prover} rewarded ${o(a.proven.reward ?? 0n)}`;
      const bond = a.proven.challengeBondTo ? `, challenge bond back to ${a.proven.challengeBondTo}` : "";
      lines.push(`${head}: proven in tx ${a.proven.tx}: the commitment is voided${slash}${bond}`);
    } else lines.push(`${head}: not proven: ${a.notProven ?? "unknown reason"}`);
  }
  return lines;
}

/** Whether the report leaves a wrong root or a provably wrong commitment standing (what `--once` exits 1 for). */
function leftWrong(r: WatchReport): boolean {
  const p = r.pending;
  const root = p !== undefined && p.verdict !== "honest" && p.disputed === undefined;
  return root || r.attribution.some((a) => a.proven === undefined);
}

export default async function settlementWatch(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const interval = parseUint(args.interval, "--interval");
    const dumps = args.dump === undefined ? {} : parseDumps(args.dump);
    const ctx = await connect(args, hre);
    // Fails with one line when governance has set no disputes contract.
    await settlementDisputesOf(ctx.suite);
    const options = { suite: ctx.suite, provider: ctx.provider, dumps, dispute: !args.dryRun };
    if (args.once) {
      const report = await checkPendingSettlement(options);
      if (args.json) console.log(toJson(report));
      else for (const line of describeReport(report)) console.log(line);
      if (leftWrong(report)) process.exitCode = 1;
      return report;
    }
    note(
      args,
      `watching settlement roots every ${interval} s as ${ctx.from}${args.dryRun ? " (dry run: nothing is sent)" : ""}; Ctrl-C stops`,
    );
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let last = "";
    let reports = 0;
    try {
      await watchSettlements({
        ...options,
        intervalMs: Number(interval) * 1000,
        signal: stop.signal,
        onReport: (report) => {
          reports++;
          // One line (or JSON object) per change, not per check.
          const state = JSON.stringify([
            report.pending?.root,
            report.pending?.verdict,
            report.pending?.disputed?.tx,
            report.roots.length,
            report.attribution.map((a) => [a.modelId, a.epoch, a.proven?.tx]),
          ]);
          if (state === last) return;
          last = state;
          if (args.json) console.log(JSON.stringify(JSON.parse(toJson(report))));
          else for (const line of describeReport(report)) console.log(line);
        },
        onError: (error) => console.error(`check failed, retrying: ${(error as Error).message}`),
      });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return { checks: reports };
  });
}
