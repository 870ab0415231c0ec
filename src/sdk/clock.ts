/**
 * The suite's clock, read from the chain: the current epoch and when it ends, when a commitment
 * becomes final, and what can be done now (commit, finalise, settle, roll forward) or from when.
 * Everything here is a view call; `status` prints it and the "not yet" errors quote it.
 */
import type { Provider } from "ethers";
import { COMMITMENT_STATUS, statusName } from "./constants.js";
import type { Suite } from "./suite.js";

/** The clock of the suite at the latest block. */
export interface SuiteClock {
  /** Timestamp of the latest block (seconds): the chain's "now". */
  now: bigint;
  epoch: bigint;
  epochStart: bigint;
  epochEnd: bigint;
  epochLength: bigint;
  challengeWindow: bigint;
  rollForwardDelay: bigint;
}

/** One (model, epoch) pair as the chain sees it, with the action it allows and from when. */
export interface PairState {
  modelId: bigint;
  epoch: bigint;
  epochEnd: bigint;
  commitment: string;
  /** When the commitment becomes (or became) final; 0 without one. */
  finalAt: bigint;
  pool: bigint;
  finalizeSeq: bigint;
  /**
   * What it waits for: an attribution commit, finalisation, a roll-forward of its unattributed
   * pool, governance resolving a challenge, claims (it is finalised), or nothing.
   */
  next: "commit" | "finalize" | "roll" | "resolve" | "claim" | "none";
  /** From when `next` is allowed (seconds); 0 when it is allowed now. */
  from: bigint;
}

/** Reads the suite's clock at the latest block. */
export async function readClock(suite: Suite, provider: Provider): Promise<SuiteClock> {
  const [block, clock, epochLength, challengeWindow, rollForwardDelay] = await Promise.all([
    provider.getBlock("latest"),
    suite.attribution.clock(),
    suite.attribution.epochLength(),
    suite.attribution.challengeWindow(),
    suite.distributor.rollForwardDelay(),
  ]);
  return {
    now: BigInt(block?.timestamp ?? 0),
    epoch: clock[0],
    epochStart: clock[1],
    epochEnd: clock[2],
    epochLength,
    challengeWindow,
    rollForwardDelay,
  };
}

/** A timestamp as ISO time with the distance from `now` ("2026-12-01T10:00:00Z, in 3m 20s"). */
export function when(at: bigint, now: bigint): string {
  const iso = new Date(Number(at) * 1000).toISOString().replace(".000Z", "Z");
  const d = at - now;
  const span = (s: bigint) => {
    const n = Number(s < 0n ? -s : s);
    const parts = [
      [Math.floor(n / 86400), "d"],
      [Math.floor((n % 86400) / 3600), "h"],
      [Math.floor((n % 3600) / 60), "m"],
      [n % 60, "s"],
    ].filter(([v], i, all) => v !== 0 || (i === all.length - 1 && n === 0));
    return parts.map(([v, u]) => `${v}${u}`).join(" ");
  };
  if (d > 0n) return `${iso}, in ${span(d)}`;
  if (d < 0n) return `${iso}, ${span(d)} ago`;
  return `${iso}, now`;
}

/** The state of one (model, epoch) pair and what it allows at `clock.now`. */
export async function pairState(
  suite: Suite,
  clock: SuiteClock,
  modelId: bigint,
  epoch: bigint,
): Promise<PairState> {
  const [epochEnd, commitment, pool, pair] = await Promise.all([
    suite.attribution.epochEnd(epoch),
    suite.attribution.commitment(modelId, epoch),
    suite.distributor.epochPool(modelId, epoch),
    suite.distributor.pair(modelId, epoch),
  ]);
  const status = statusName(COMMITMENT_STATUS, commitment.status);
  const finalAt = BigInt(commitment.finalAt);
  const finalizeSeq = BigInt(pair.finalizeSeq);
  const rollableAt = epochEnd + clock.rollForwardDelay;
  let next: PairState["next"] = "none";
  let from = 0n;
  if (finalizeSeq !== 0n) next = "claim";
  else if (status === "Final") next = "finalize";
  else if (status === "Pending") [next, from] = ["finalize", finalAt];
  else if (status === "Challenged") next = "resolve";
  else if (epoch >= clock.epoch) [next, from] = ["commit", epochEnd];
  else if (clock.now >= rollableAt) next = pool > 0n ? "roll" : status === "None" ? "commit" : "none";
  else if (status === "None") next = "commit";
  else [next, from] = pool > 0n ? ["roll", rollableAt] : ["none", 0n];
  return { modelId, epoch, epochEnd, commitment: status, finalAt, pool, finalizeSeq, next, from };
}
