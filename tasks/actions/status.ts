import { formatEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { pairState, readClock, when, type PairState } from "../../src/sdk/clock.js";
import { parseUint } from "../../src/cli/args.js";
import { connect, output, runTask } from "../../src/cli/task.js";
import type { SuiteArgs } from "../../src/cli/options.js";

interface Args extends SuiteArgs {
  epochs: string;
}

const ACTION: Record<PairState["next"], string> = {
  commit: "attribution commit",
  finalize: "rewards finalize",
  roll: "rewards roll",
  resolve: "governance resolves the challenge",
  claim: "finalised: settle (rewards settle) or claim (rewards claim --direct)",
  none: "nothing to do",
};

export default async function status(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const epochs = parseUint(args.epochs, "--epochs");
    const ctx = await connect(args, hre);
    const clock = await readClock(ctx.suite, ctx.provider);
    const [modelCount, finalizeSeq, latest] = await Promise.all([
      ctx.suite.models.modelCount(),
      ctx.suite.distributor.finalizeSeq(),
      ctx.suite.distributor.latestSettlement(),
    ]);
    const first = clock.epoch + 1n > epochs ? clock.epoch + 1n - epochs : 0n;
    const pairs: PairState[] = [];
    for (let m = 1n; m <= modelCount; m++)
      for (let e = first; e <= clock.epoch; e++) {
        const s = await pairState(ctx.suite, clock, m, e);
        if (s.pool > 0n || s.commitment !== "None") pairs.push(s);
      }
    const unsettled = finalizeSeq - BigInt(latest.coveredThroughSeq);
    const result = {
      network: ctx.networkName,
      chainId: ctx.chainId,
      ...clock,
      settlement: { id: latest.id, coveredThroughSeq: latest.coveredThroughSeq, finalizeSeq, unsettled },
      pairs,
    };
    const lines = [
      `now ${when(clock.now, clock.now)} on ${ctx.networkName} (chain ${ctx.chainId})`,
      `epoch ${clock.epoch}: started ${when(clock.epochStart, clock.now)}, ends ${when(clock.epochEnd, clock.now)} (epochs last ${clock.epochLength}s)`,
      `a commitment becomes final ${clock.challengeWindow}s after it is committed; an uncommitted pool may roll forward ${clock.rollForwardDelay}s after its epoch ends`,
      unsettled > 0n
        ? `settlement: ${unsettled} finalised pair(s) not yet in a settlement: rewards settle can run now`
        : `settlement: ${latest.id === 0n ? "none yet" : `#${latest.id}`}, nothing new to settle`,
    ];
    if (pairs.length === 0) lines.push(`no payments or commitments in the last ${epochs} epoch(s)`);
    for (const s of pairs)
      lines.push(
        `model ${s.modelId} epoch ${s.epoch}: pool ${formatEther(s.pool)} OPEN, commitment ${s.commitment}` +
          (s.finalAt > 0n ? ` (final ${when(s.finalAt, clock.now)})` : "") +
          ` -> ${ACTION[s.next]}${s.from > clock.now ? ` from ${when(s.from, clock.now)}` : s.next === "none" || s.next === "claim" || s.next === "resolve" ? "" : " now"}`,
      );
    return output(args, result, lines);
  });
}
