import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { PAUSABLE, pauseState, type Pausable, type PauseState } from "../../src/sdk/guardian.js";
import { CliError, connect, output, runTask } from "../../src/cli/task.js";
import type { SuiteArgs } from "../../src/cli/options.js";

const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString();

/** The contracts `--contract` names (distributor, attribution or both, the default). */
export function parseContracts(choice = "both"): Pausable[] {
  if (choice === "both") return [...PAUSABLE];
  if (!(PAUSABLE as readonly string[]).includes(choice))
    throw new CliError(`--contract must be distributor, attribution or both, not "${choice}"`);
  return [choice as Pausable];
}

/** The pause state of one contract as one line. */
export function describeState(s: PauseState): string {
  return s.paused
    ? `${s.contract}: PAUSED until ${iso(s.pausedUntil)}`
    : `${s.contract}: running; the guardian may pause ${s.pauseAvailableAt === 0n ? "now" : `from ${iso(s.pauseAvailableAt)}`}`;
}

export default async function guardianStatus(args: SuiteArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const states = await Promise.all(PAUSABLE.map((w) => pauseState(ctx.suite, w)));
    const result = { states };
    return output(args, result, states.map(describeState));
  });
}
