/**
 * The watchtower's attribution check: every commitment still open (Pending, or Challenged before
 * its deadline) whose published table is its committed tree and whose weights do not add up to the
 * committed total is proven wrong on-chain (`AttributionRegistry.proveWeightSum`), which voids it
 * and slashes its operator. Other attribution faults (weights that do not fit the texts) stay with
 * the governance challenge; the verifier reports them.
 */
import type { Provider } from "ethers";
import { isWeightSumProof, weightSumProof } from "../attribution/weight-sum.js";
import { ContractRevertError } from "../errors.js";
import { checkCommitments } from "../verifier/commitments.js";
import type { FetchText } from "../verifier/fetch.js";
import { Recorder } from "../verifier/report.js";
import { proveWeightSum } from "./attribution.js";
import { COMMITMENT_STATUS, statusName } from "./constants.js";
import type { Ledger } from "./read/ledger.js";
import type { Suite } from "./suite.js";

/** A commitment whose weights provably do not add up to its total, and what the watchtower did. */
export interface WeightSumReport {
  modelId: bigint;
  epoch: bigint;
  root: string;
  totalWeight: bigint;
  /** The sum of the published (and committed) leaf weights. */
  weightSum: bigint;
  leafCount: number;
  /** The commitment's status when checked (Pending or Challenged). */
  status: string;
  /** Sent: the commitment is Voided. */
  proven?: {
    tx: string;
    prover: string;
    /** OPEN slashed from the operator's pool, and the prover's reward (absent without staking). */
    slashed?: bigint;
    reward?: bigint;
    /** The challenger whose bond went back, if the commitment was challenged. */
    challengeBondTo?: string;
  };
  /** Why it was not proven (reporting only, or the call reverted). */
  notProven?: string;
}

/** Options of {@link checkOpenCommitments}. */
export interface AttributionWatchOptions {
  suite: Suite;
  provider: Provider;
  /** The events read so far, folded. */
  ledger: Ledger;
  /** The chain's time at `block`. */
  now: bigint;
  block: number;
  /** Send the proof (default true); false only reports. */
  prove?: boolean;
  fetchText?: FetchText;
}

/**
 * Checks every open commitment's published table for a weight sum other than the committed total
 * and, unless `prove` is false, proves it on-chain.
 * @returns One report per provable commitment (none when every open table adds up).
 */
export async function checkOpenCommitments(options: AttributionWatchOptions): Promise<WeightSumReport[]> {
  const { suite, ledger, now } = options;
  // Only commitments that may still be open: a challenged one until its deadline (read below).
  const open = [...ledger.commitments].filter(([, c]) => !c.voided && (c.challenged || now < c.finalAt));
  if (open.length === 0) return [];
  const tables = await checkCommitments({ ...ledger, commitments: new Map(open) }, new Recorder(), {
    fetchTable: options.fetchText,
  });
  const reports: WeightSumReport[] = [];
  for (const { commitment: c, usable } of tables.values()) {
    if (!usable || usable.entries.length === 0) continue;
    const proof = weightSumProof(usable, c);
    if (!isWeightSumProof(proof)) continue;
    const status = statusName(
      COMMITMENT_STATUS,
      await suite.attribution.commitmentStatus(c.modelId, c.epoch, { blockTag: options.block }),
    );
    if (status !== "Pending" && status !== "Challenged") continue;
    const report: WeightSumReport = {
      modelId: c.modelId,
      epoch: c.epoch,
      root: c.root,
      totalWeight: c.totalWeight,
      weightSum: proof.weightSum,
      leafCount: proof.leaves.length,
      status,
    };
    reports.push(report);
    if (options.prove === false) {
      report.notProven = "reporting only (--dry-run): nothing sent";
      continue;
    }
    try {
      const sent = await proveWeightSum(suite, proof);
      report.proven = {
        tx: sent.receipt.hash,
        prover: sent.prover,
        ...(sent.slash ? { slashed: sent.slash.slashed, reward: sent.slash.reward } : {}),
        ...(sent.challenge ? { challengeBondTo: sent.challenge.challenger } : {}),
      };
    } catch (error) {
      if (!(error instanceof ContractRevertError)) throw error;
      report.notProven = `the proof was not sent: ${error.message}`;
    }
  }
  return reports;
}
