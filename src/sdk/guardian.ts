/**
 * The emergency pause of the two money contracts (the reward distributor and the attribution
 * registry, `GuardianPausable`): its state, the guardian's pause (at most 7 days, once per 14)
 * and governance's unpause.
 */
import type { TransactionReceipt } from "ethers";
import { call, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** The pausable money contracts, by their command-line names. */
export const PAUSABLE = ["distributor", "attribution"] as const;
/** One of {@link PAUSABLE}. */
export type Pausable = (typeof PAUSABLE)[number];

/** Pause state of one contract: paused now, until when, and when the guardian may pause again. */
export interface PauseState {
  contract: Pausable;
  address: string;
  paused: boolean;
  pausedUntil: bigint;
  pauseAvailableAt: bigint;
}

/** Reads the pause state of one money contract. */
export async function pauseState(suite: Suite, which: Pausable): Promise<PauseState> {
  const c = suite[which];
  const [paused, pausedUntil, pauseAvailableAt] = await Promise.all([
    c.paused(),
    c.pausedUntil(),
    c.pauseAvailableAt(),
  ]);
  return { contract: which, address: c.target as string, paused, pausedUntil, pauseAvailableAt };
}

/** Pauses new payments or commitments of one contract for 7 days (GUARDIAN_ROLE). */
export async function pauseContract(suite: Suite, which: Pausable): Promise<TransactionReceipt> {
  return send(suite, call(suite[which], "pause"));
}

/** Lifts the pause of one contract (GOVERNANCE_ROLE); nothing happens when it is not paused. */
export async function unpauseContract(suite: Suite, which: Pausable): Promise<TransactionReceipt> {
  return send(suite, call(suite[which], "unpause"));
}
