import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Suite } from "../../src/sdk/suite.js";
import { connect, output, runTask, type SuiteArgs } from "../../src/cli/task.js";

/** The pausable money contracts, by their CLI names. */
export const PAUSABLE = ["distributor", "attribution"] as const;
export type Pausable = (typeof PAUSABLE)[number];

/** Pause state of one contract: paused now, until when, and when the guardian may pause again. */
export async function pauseState(suite: Suite, which: Pausable) {
  const c = suite[which];
  const [paused, pausedUntil, pauseAvailableAt] = await Promise.all([
    c.paused(),
    c.pausedUntil(),
    c.pauseAvailableAt(),
  ]);
  return { contract: which, address: c.target as string, paused, pausedUntil, pauseAvailableAt };
}

const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString();

export function describeState(s: Awaited<ReturnType<typeof pauseState>>): string {
  return s.paused
    ? `${s.contract}: PAUSED until ${iso(s.pausedUntil)}`
    : `${s.contract}: running; the guardian may pause ${s.pauseAvailableAt === 0n ? "now" : `from ${iso(s.pauseAvailableAt)}`}`;
}

export default async function guardianStatus(args: SuiteArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const states = await Promise.all(PAUSABLE.map((w) => pauseState(ctx.suite, w)));
    const result = { states };
    output(args, result, states.map(describeState));
    return result;
  });
}
