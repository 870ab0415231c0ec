/**
 * The nodes of the provenance graph (ledger.ts builds it from events): datanets, contributions,
 * versions, models, commitments, payments, settlements, disputes, claims, withdrawals, staking.
 */
import type { ContributionStatusName } from "../constants.js";

/** A contribution as its events show it: who, what, and its current status. */
export interface ContributionNode {
  contributionId: string;
  datanetId: bigint;
  contributor: string;
  contentHash: string;
  uri: string;
  status: ContributionStatusName;
  submittedBlock: number;
}

/** A published datanet version (VersionPublished). */
export interface VersionNode {
  datanetId: bigint;
  versionNumber: bigint;
  merkleRoot: string;
  contributionCount: bigint;
  parentVersion: bigint;
  uri: string;
  blockNumber: number;
}

/** A datanet with its contributions (by lower-case id) and versions. */
export interface DatanetNode {
  datanetId: bigint;
  owner: string;
  licence: number;
  metadataURI: string;
  contributions: Map<string, ContributionNode>;
  versions: VersionNode[];
}

/** One datanet version a model version was trained on. */
export interface TrainingInputNode {
  datanetId: bigint;
  versionNumber: bigint;
  weightBps: number;
}

/** A model with its versions, as its events show it. */
export interface ModelNode {
  modelId: bigint;
  owner: string;
  baseModelId: bigint;
  declaredUses: number;
  pricePerUnit: bigint;
  metadataURI: string;
  retired: boolean;
  versions: { versionNumber: bigint; artifactHash: string; trainingInputs: TrainingInputNode[] }[];
}

/** An attribution commitment of one (model, epoch), with its challenge state. */
export interface CommitmentNode {
  modelId: bigint;
  epoch: bigint;
  root: string;
  totalWeight: bigint;
  methodId: number;
  uri: string;
  finalAt: bigint;
  challenged: boolean;
  voided: boolean;
  /** Voided by an on-chain weight-sum proof (WeightSumProven): who proved it and the sum revealed. */
  weightSumProven?: { prover: string; weightSum: bigint };
}

/** One inference payment and its split (Paid). */
export interface PaymentNode {
  modelId: bigint;
  epoch: bigint;
  payer: string;
  amount: bigint;
  /** Treasury and staker reserve together (the distributor divides it at checkpoints; see `books()`). */
  protocolShare: bigint;
  ownerShare: bigint;
  /** What the ancestors' owners received (see `royalties`). */
  royaltyShare: bigint;
  /** amount minus the three shares above: what went to the (model, epoch) contributor pool. */
  contributorShare: bigint;
  transactionHash: string;
  blockNumber: number;
}

/** A finalised (model, epoch) pool (Finalized). */
export interface FinalizedNode {
  modelId: bigint;
  epoch: bigint;
  finalizeSeq: bigint;
  pool: bigint;
}

/**
 * A posted settlement root (SettlementCommitted): pending for its dispute window, then activated
 * (SettlementActivated) or rejected by a proven dispute (SettlementRejected).
 */
export interface SettlementNode {
  id: bigint;
  root: string;
  total: bigint;
  coveredThroughSeq: bigint;
  uri: string;
  blockNumber: number;
  /** Who posted it. */
  operator: string;
  /** When its dispute window closes. */
  activatesAt: bigint;
  status: "pending" | "activated" | "rejected";
}

/**
 * A proven dispute of a pending settlement root (SettlementRejected, with the operator's slash in
 * the same transaction): the root was rejected, the operator slashed, the disputer rewarded.
 */
export interface DisputeNode {
  /** The rejected root. */
  root: string;
  /** Its proposal number (the slash case is keccak256(root, proposal)). */
  proposal: bigint;
  operator: string;
  disputer: string;
  /** OPEN slashed from the operator's pool (0 without staking). */
  slashed: bigint;
  /** OPEN paid to the disputer from the slash. */
  reward: bigint;
  transactionHash: string;
  blockNumber: number;
}

/** One claim, on the settlement path or directly against a commitment. */
export interface ClaimNode {
  path: "settlement" | "direct";
  account: string;
  amount: bigint;
  /** Settlement path: the leaf's cumulative amount. */
  cumulativeAmount?: bigint;
  /** Direct path: the pair and the weight. */
  modelId?: bigint;
  epoch?: bigint;
  weight?: bigint;
  transactionHash: string;
}

/** A withdrawal of a model owner's earnings or of the treasury. */
export interface WithdrawalNode {
  kind: "owner" | "treasury";
  modelId?: bigint;
  owner?: string;
  to: string;
  amount: bigint;
}

/** An unattributed pool rolled forward to a later epoch (RolledForward). */
export interface RollNode {
  modelId: bigint;
  fromEpoch: bigint;
  toEpoch: bigint;
  amount: bigint;
}

/** One account's stake behind one operator, summed from its events (OPEN at the time of each event). */
export interface StakeNode {
  operator: string;
  account: string;
  staked: bigint;
  unstakeRequested: bigint;
  withdrawn: bigint;
  rewardsClaimed: bigint;
}

/** A slash of an operator's pool (Slashed). */
export interface SlashNode {
  operator: string;
  slasher: string;
  caseId: string;
  beneficiary: string;
  slashed: bigint;
  reward: bigint;
  toTreasury: bigint;
  transactionHash: string;
}

/** Staking as its events show it. */
export interface StakingLedger {
  /** Operators by lower-case address: pool id and whether listed now. */
  operators: Map<string, { operator: string; poolId: bigint; listed: boolean }>;
  /** Keyed `operator/account` (lower case). */
  stakes: Map<string, StakeNode>;
  slashes: SlashNode[];
  /** Rewards taken in (RewardsAdded: the distributor's releases and direct additions). */
  rewardsReceived: bigint;
  /** Rewards credited to pools, commission included (PoolRewarded). */
  rewardsToPools: bigint;
  commissionClaimed: bigint;
  /** What the distributor released to staking (StakerRewardsReleased). */
  releasedByDistributor: bigint;
}

/** The whole graph. Maps are keyed by decimal ids or `model/epoch`. */
export interface Ledger {
  datanets: Map<string, DatanetNode>;
  models: Map<string, ModelNode>;
  commitments: Map<string, CommitmentNode>;
  payments: PaymentNode[];
  royalties: { ancestorModelId: bigint; fromModelId: bigint; amount: bigint; transactionHash: string }[];
  finalized: Map<string, FinalizedNode>;
  /** Pending and activated roots (ids unique); rejected ones are in `rejectedSettlements`. */
  settlements: SettlementNode[];
  /** Roots rejected by a dispute (a rejected root's id is taken by the next root posted). */
  rejectedSettlements: SettlementNode[];
  /** Proven disputes, one per rejected root. */
  disputes: DisputeNode[];
  claims: ClaimNode[];
  withdrawals: WithdrawalNode[];
  rolls: RollNode[];
  staking: StakingLedger;
}
