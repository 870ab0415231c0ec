/**
 * The JSON shapes of the provenance views (`ledger show` and its `--account` / `--payment`
 * forms). Every amount and id is a decimal string (wei for amounts), so that a view prints as
 * JSON as it is.
 */

/** A contribution as the whole-ledger view lists it. */
export interface ContributionRow {
  contributionId: string;
  contributor: string;
  contentHash: string;
  /** "Pending", "Accepted", "Rejected" or "Withdrawn". */
  status: string;
  uri: string;
}

/** A datanet with its contributions and published versions. */
export interface DatanetRow {
  datanetId: string;
  owner: string;
  licence: number;
  metadataURI: string;
  /** The contributions listed: the first matching ones by submission order (all unless bounded). */
  contributions: ContributionRow[];
  /** How many of its contributions match the view's filter, listed or not. */
  contributionsMatched: number;
  /** How many of those the list leaves out (`ledger show`'s `--limit`; 0 with `--all`). */
  contributionsNotListed: number;
  versions: {
    versionNumber: string;
    root: string;
    contributionCount: string;
    parentVersion: string;
    uri: string;
  }[];
}

/** A model, its lineage (itself first, then its ancestors) and its versions' training inputs. */
export interface ModelRow {
  modelId: string;
  owner: string;
  baseModelId: string;
  lineage: string[];
  pricePerUnit: string;
  retired: boolean;
  versions: {
    versionNumber: string;
    artifactHash: string;
    trainingInputs: { datanetId: string; versionNumber: string; weightBps: number }[];
  }[];
}

/** An attribution commitment and where it stands. */
export interface CommitmentRow {
  modelId: string;
  epoch: string;
  root: string;
  totalWeight: string;
  methodId: number;
  uri: string;
  finalAt: string;
  state: "voided" | "challenged" | "committed";
  finalized: boolean;
}

/** A payment and its split: the protocol's share (treasury + stakers) and the model owner's. */
export interface PaymentSplit {
  tx: string;
  modelId: string;
  epoch: string;
  payer: string;
  amount: string;
  protocol: string;
  owner: string;
}

/** A payment's split and what became of its contributor pool. */
export interface PaymentRow extends PaymentSplit {
  royalty: string;
  contributors: string;
  /** "finalized #N", "rolled forward to epoch N" or "pending". */
  pool: string;
}

/** A claim; the direct path names its (model, epoch). */
export interface ClaimRow {
  account: string;
  path: "settlement" | "direct";
  amount: string;
  modelId?: string;
  epoch?: string;
  tx: string;
}

/** A posted settlement root and what became of it. */
export interface SettlementRow {
  /** The settlement number it takes if activated (a rejected root's number is taken by the next). */
  id: string;
  root: string;
  total: string;
  coveredThroughSeq: string;
  uri: string;
  status: "pending" | "activated" | "rejected";
  operator: string;
  /** When its dispute window closes (unix seconds). */
  activatesAt: string;
}

/** A proven dispute of a pending settlement root. */
export interface DisputeRow {
  root: string;
  proposal: string;
  operator: string;
  disputer: string;
  slashed: string;
  reward: string;
  tx: string;
}

/** The whole provenance graph, rebuilt from events. */
export interface LedgerView {
  datanets: DatanetRow[];
  models: ModelRow[];
  commitments: CommitmentRow[];
  payments: PaymentRow[];
  /** Every posted root, in posting order: pending, activated or rejected by a dispute. */
  settlements: SettlementRow[];
  /** Proven disputes: the root rejected, the operator slashed, the disputer rewarded. */
  disputes: DisputeRow[];
  claims: ClaimRow[];
  withdrawals: { kind: string; to: string; amount: string; modelId?: string }[];
  rolls: { modelId: string; fromEpoch: string; toEpoch: string; amount: string }[];
}

/** One finalised (model, epoch) an account is entitled to a share of. */
export interface EntitledPair {
  epoch: string;
  weight: string;
  totalWeight: string;
  pool: string;
  amount: string;
  finalizeSeq: string;
}

/** What an account contributed, what it is entitled to from which models, and what it claimed. */
export interface AccountView {
  account: string;
  contributions: { datanetId: string; contributionId: string; status: string; uri: string }[];
  byModel: { modelId: string; lineage: string[]; earned: string; pairs: EntitledPair[] }[];
  /** Weights in committed tables whose pair is not finalised yet. */
  pending: { modelId: string; epoch: string; weight: string; totalWeight: string }[];
  entitled: string;
  claimed: { settlement: string; direct: string; total: string };
  unclaimed: string;
  claims: Omit<ClaimRow, "account">[];
  /** Committed tables that could not be read or do not match their root, with the reason. */
  unreadable: string[];
}

/** Where one payment went. */
export interface PaymentView extends PaymentSplit {
  block: number;
  royalties: { modelId: string; amount: string }[];
  pool: string;
  poolState: string;
  commitment: { root: string; totalWeight: string; uri: string } | undefined;
  /** The pool's split by the committed table, when it can be read. */
  contributors: { account: string; weight: string; amount: string }[];
  tableProblem: string | undefined;
  directClaims: { account: string; amount: string; tx: string }[];
  /** Vouchers redeemed into this payment (VoucherRedeemed of the escrow that paid; empty for `pay`). */
  vouchers: { payer: string; usageRoot: string; units: string; amount: string }[];
}
