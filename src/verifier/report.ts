/** What the verifier reports: mismatches, options and results, and the recorder its checks share. */
import type { Provider } from "ethers";
import type { WeightTable } from "../attribution/index.js";
import type { SuiteEvent } from "../sdk/read/events.js";
import type { CommitmentNode, DisputeNode } from "../sdk/read/ledger.js";
import type { Suite } from "../sdk/suite.js";
import type { AttributionCheckOptions, AttributionVerdict } from "./attribution.js";
import type { FetchText } from "./fetch.js";
import type { SettlementRootStatus } from "./settlements.js";

/** What kind of disagreement a mismatch is. */
export type MismatchKind =
  | "table-unavailable"
  | "table-malformed"
  | "table-pair"
  | "table-duplicate"
  | "total-weight"
  | "weight-sum"
  | "weight-above-total"
  | "attribution-root"
  | "attribution-weight"
  | "attribution-unbacked"
  | "attribution-consent"
  | "attribution-breakdown"
  | "attribution-recompute"
  | "version-root"
  | "version-count"
  | "pool"
  | "settlement-unverifiable"
  | "settlement-coverage"
  | "settlement-total"
  | "settlement-root"
  | "settlement-dump"
  | "settlement-account"
  | "claim-cumulative"
  | "direct-claim-weight"
  | "direct-claim-amount"
  | "direct-claims-above-pool"
  | "claims-above-entitlement"
  | "claimed-ledger"
  | "books"
  | "staking"
  | "conservation"
  | "solvency"
  | "paid-outputs-unavailable"
  | "paid-outputs-escrow"
  | "unpaid-output";

/** One disagreement between what the chain says and what the verifier recomputed. */
export interface Mismatch {
  kind: MismatchKind;
  modelId?: string;
  epoch?: string;
  account?: string;
  datanetId?: string;
  versionNumber?: string;
  settlementId?: string;
  /** What the recomputation gives (or what should hold). */
  expected: string;
  /** What the chain or the published file says. */
  actual: string;
  message: string;
}

/** Options of {@link verifyLedger}. */
export interface VerifyOptions extends AttributionCheckOptions {
  suite: Suite;
  provider: Provider;
  /** Reads a table or dump URI (default: files, local paths and http(s) under the network policy of fetch.ts, which applies to any reader). */
  fetchTable?: FetchText;
  /** Settlement id (decimal) -> URI or path of its StandardMerkleTree dump, overriding the URI committed on chain. */
  settlementDumps?: Readonly<Record<string, string>>;
  /** Verify the chain as of this block (default: latest). */
  toBlock?: number;
  /** Tables of at most this many entries are searched for the one changed weight (default 1,000). */
  locateLimit?: number;
  /** Events already read (with `toBlock`), to save reading them again. */
  events?: readonly SuiteEvent[];
}

/** The verifier's verdict. */
export interface VerifyResult {
  /** No mismatch and no unverifiable table. */
  ok: boolean;
  /** The verdict on each live commitment's weights (recomputed, mismatched or unverifiable). */
  attribution: AttributionVerdict[];
  /** The commitments whose weights could not be recomputed, and why. */
  unverifiable: AttributionVerdict[];
  /** Comparisons made. */
  checks: number;
  mismatches: Mismatch[];
  /** Checks skipped and why (e.g. a settlement URI that is not a location). */
  notes: string[];
  /** Every posted settlement root: pending, activated or rejected, and whether it recomputes. */
  settlements: SettlementRootStatus[];
  /** Proven disputes (each rejected a pending root and slashed its operator). */
  disputes: DisputeNode[];
  /** The block verified. */
  block: number;
  /** Tables whose outputs came from paid receipts, each output checked against redeemed usage roots. */
  paidOutputTables: number;
}

/** A table the verifier read, and whether it can be trusted for the settlement recomputation. */
export interface VerifiedTable {
  commitment: CommitmentNode;
  table?: WeightTable;
  /** The table, or the table with the located weight restored, when its root equals the commitment's. */
  usable?: WeightTable;
}

export const s = (v: bigint | number): string => v.toString();
export const sumOf = (xs: Iterable<bigint>): bigint => {
  let t = 0n;
  for (const x of xs) t += x;
  return t;
};
export const where = (m: { modelId: bigint; epoch: bigint }) => `model ${m.modelId} epoch ${m.epoch}`;

/** Counts checks and collects mismatches. */
export class Recorder {
  checks = 0;
  readonly mismatches: Mismatch[] = [];
  readonly notes: string[] = [];
  /** Counts one check; records a mismatch when `expected !== actual`. Returns whether it held. */
  equal(
    expected: bigint | string,
    actual: bigint | string,
    m: Omit<Mismatch, "expected" | "actual">,
  ): boolean {
    this.checks++;
    if (String(expected) === String(actual)) return true;
    this.mismatches.push({ ...m, expected: String(expected), actual: String(actual) });
    return false;
  }
  /** Counts one check; records `m` when `holds` is false. */
  assert(holds: boolean, m: Mismatch): boolean {
    this.checks++;
    if (!holds) this.mismatches.push(m);
    return holds;
  }
}

/** One line per unverifiable table, for terminals. */
export function formatUnverifiable(v: AttributionVerdict): string {
  return `UNVERIFIABLE [model=${v.modelId} epoch=${v.epoch} method=${v.methodId}]: ${v.detail}`;
}

/** One line per mismatch, for terminals. */
export function formatMismatch(m: Mismatch): string {
  const tags = [
    m.modelId !== undefined ? `model=${m.modelId}` : "",
    m.epoch !== undefined ? `epoch=${m.epoch}` : "",
    m.account !== undefined ? `account=${m.account}` : "",
    m.datanetId !== undefined ? `datanet=${m.datanetId}` : "",
    m.versionNumber !== undefined ? `version=${m.versionNumber}` : "",
    m.settlementId !== undefined ? `settlement=${m.settlementId}` : "",
  ].filter(Boolean);
  return `MISMATCH ${m.kind}${tags.length ? ` [${tags.join(" ")}]` : ""}: ${m.message} (expected ${m.expected}, actual ${m.actual})`;
}
