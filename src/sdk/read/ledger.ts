/**
 * The provenance graph, rebuilt from events alone:
 * datanet -> contribution -> version -> model -> epoch -> payment -> claim, and staking: who
 * staked behind which operator, the staker rewards and the slashes.
 * Answers "where did this payment go" and "what has this contributor earned, from which models".
 */
import type { SuiteEvent } from "./events.js";
import { foldEvents, type EventHandlers } from "./typed-events.js";
import type {
  ContributionNode,
  DatanetNode,
  CommitmentNode,
  PaymentNode,
  FinalizedNode,
  ClaimNode,
  StakeNode,
  Ledger,
} from "./ledger-nodes.js";

export type * from "./ledger-nodes.js";

/** Every field of the distributor's `books()` (`IRewardDistributor.Books`), in order. */
export const BOOKS_FIELDS = [
  "paidIn",
  "treasuryAccrued",
  "treasuryWithdrawn",
  "ownersAccrued",
  "ownersWithdrawn",
  "stakerReserve",
  "totalClaimed",
  "claimable",
  "poolsPending",
  "rolledForward",
  "stakersReleased",
] as const;

/** The distributor's `books()` fields that say what it still owes. */
export interface OwedBooks {
  treasuryAccrued: bigint;
  treasuryWithdrawn: bigint;
  ownersAccrued: bigint;
  ownersWithdrawn: bigint;
  stakerReserve: bigint;
  /** What of the staker reserve moved to the staking contract (absent before staking existed). */
  stakersReleased?: bigint;
  claimable: bigint;
  poolsPending: bigint;
}

/** Everything the distributor still owes: what solvency compares its balance with. */
export function owedFromBooks(books: OwedBooks): bigint {
  return (
    books.treasuryAccrued -
    books.treasuryWithdrawn +
    (books.ownersAccrued - books.ownersWithdrawn) +
    (books.stakerReserve - (books.stakersReleased ?? 0n)) +
    books.claimable +
    books.poolsPending
  );
}

/** Key of a (model, epoch) pair in the ledger's maps. */
export const pairKey = (modelId: bigint, epoch: bigint): string => `${modelId}/${epoch}`;

const lower = (v: string): string => v.toLowerCase();

function emptyLedger(): Ledger {
  return {
    datanets: new Map(),
    models: new Map(),
    commitments: new Map(),
    payments: [],
    royalties: [],
    finalized: new Map(),
    settlements: [],
    rejectedSettlements: [],
    disputes: [],
    claims: [],
    withdrawals: [],
    rolls: [],
    staking: {
      operators: new Map(),
      stakes: new Map(),
      slashes: [],
      rewardsReceived: 0n,
      rewardsToPools: 0n,
      commissionClaimed: 0n,
      releasedByDistributor: 0n,
    },
  };
}

/** The stake node of (operator, account), created empty on first use. */
function stakeOf(ledger: Ledger, operator: string, account: string): StakeNode {
  const key = `${lower(operator)}/${lower(account)}`;
  let node = ledger.staking.stakes.get(key);
  if (!node) {
    node = {
      operator: lower(operator),
      account: lower(account),
      staked: 0n,
      unstakeRequested: 0n,
      withdrawn: 0n,
      rewardsClaimed: 0n,
    };
    ledger.staking.stakes.set(key, node);
  }
  return node;
}

const contributionOf = (ledger: Ledger, datanetId: bigint, id: string): ContributionNode | undefined =>
  ledger.datanets.get(datanetId.toString())?.contributions.get(id.toLowerCase());

/** What every claim event says: who was paid how much, in which transaction. */
const claimOf = (e: { args: { account: string; amount: bigint }; transactionHash: string }) => ({
  account: lower(e.args.account),
  amount: e.args.amount,
  transactionHash: e.transactionHash,
});

/** How each suite event changes the provenance graph (events of other types leave it as it is). */
export const LEDGER_HANDLERS: EventHandlers<Ledger> = {
  datanets: {
    DatanetCreated: ({ args: a }, ledger) =>
      void ledger.datanets.set(a.datanetId.toString(), {
        datanetId: a.datanetId,
        owner: lower(a.owner),
        licence: Number(a.licence),
        metadataURI: a.metadataURI,
        contributions: new Map(),
        versions: [],
      }),
    OwnershipTransferred: ({ args: a }, ledger) => {
      const d = ledger.datanets.get(a.datanetId.toString());
      if (d) d.owner = lower(a.newOwner);
    },
    ContributionSubmitted: (e, ledger) =>
      void ledger.datanets.get(e.args.datanetId.toString())?.contributions.set(lower(e.args.contributionId), {
        contributionId: lower(e.args.contributionId),
        datanetId: e.args.datanetId,
        contributor: lower(e.args.contributor),
        contentHash: lower(e.args.contentHash),
        uri: e.args.uri,
        status: "Pending",
        submittedBlock: e.blockNumber,
      }),
    ContributionAccepted: ({ args: a }, ledger) => {
      const c = contributionOf(ledger, a.datanetId, a.contributionId);
      if (c) c.status = "Accepted";
    },
    ContributionRejected: ({ args: a }, ledger) => {
      const c = contributionOf(ledger, a.datanetId, a.contributionId);
      if (c) c.status = "Rejected";
    },
    ContributionWithdrawn: ({ args: a }, ledger) => {
      const c = contributionOf(ledger, a.datanetId, a.contributionId);
      if (c) c.status = "Withdrawn";
    },
    VersionPublished: (e, ledger) =>
      void ledger.datanets.get(e.args.datanetId.toString())?.versions.push({
        datanetId: e.args.datanetId,
        versionNumber: e.args.versionNumber,
        merkleRoot: lower(e.args.merkleRoot),
        contributionCount: e.args.contributionCount,
        parentVersion: e.args.parentVersion,
        uri: e.args.uri,
        blockNumber: e.blockNumber,
      }),
  },
  models: {
    ModelRegistered: ({ args: a }, ledger) =>
      void ledger.models.set(a.modelId.toString(), {
        modelId: a.modelId,
        owner: lower(a.owner),
        baseModelId: a.baseModelId,
        declaredUses: Number(a.declaredUses),
        pricePerUnit: a.pricePerUnit,
        metadataURI: a.metadataURI,
        retired: false,
        versions: [],
      }),
    ModelVersionAdded: ({ args: a }, ledger) =>
      void ledger.models.get(a.modelId.toString())?.versions.push({
        versionNumber: a.versionNumber,
        artifactHash: lower(a.artifactHash),
        // A decoded array of structs may come as an array or as an index-keyed object.
        trainingInputs: Object.values(a.trainingInputs).map((t) => ({
          datanetId: BigInt(t.datanetId),
          versionNumber: BigInt(t.versionNumber),
          weightBps: Number(t.weightBps),
        })),
      }),
    PriceSet: ({ args: a }, ledger) => {
      const m = ledger.models.get(a.modelId.toString());
      if (m) m.pricePerUnit = a.pricePerUnit;
    },
    ModelRetired: ({ args: a }, ledger) => {
      const m = ledger.models.get(a.modelId.toString());
      if (m) m.retired = true;
    },
    OwnershipTransferred: ({ args: a }, ledger) => {
      const m = ledger.models.get(a.modelId.toString());
      if (m) m.owner = lower(a.newOwner);
    },
  },
  attribution: {
    AttributionCommitted: ({ args: a }, ledger) =>
      void ledger.commitments.set(pairKey(a.modelId, a.epoch), {
        modelId: a.modelId,
        epoch: a.epoch,
        root: lower(a.root),
        totalWeight: a.totalWeight,
        methodId: Number(a.methodId),
        uri: a.uri,
        finalAt: a.finalAt,
        challenged: false,
        voided: false,
      }),
    AttributionChallenged: ({ args: a }, ledger) => {
      const c = ledger.commitments.get(pairKey(a.modelId, a.epoch));
      if (c) c.challenged = true;
    },
    ChallengeResolved: ({ args: a }, ledger) => {
      const c = ledger.commitments.get(pairKey(a.modelId, a.epoch));
      if (c) {
        c.challenged = false;
        if (!a.commitmentStands) c.voided = true;
      }
    },
    WeightSumProven: ({ args: a }, ledger) => {
      const c = ledger.commitments.get(pairKey(a.modelId, a.epoch));
      if (c) {
        c.challenged = false;
        c.voided = true;
        c.weightSumProven = { prover: lower(a.prover), weightSum: a.weightSum };
      }
    },
  },
  distributor: {
    Paid: (e, ledger) => {
      const a = e.args;
      ledger.payments.push({
        modelId: a.modelId,
        epoch: a.epoch,
        payer: lower(a.payer),
        amount: a.amount,
        protocolShare: a.protocolShare,
        ownerShare: a.ownerShare,
        royaltyShare: a.royaltyShare,
        contributorShare: a.amount - a.protocolShare - a.ownerShare - a.royaltyShare,
        transactionHash: e.transactionHash,
        blockNumber: e.blockNumber,
      });
    },
    RoyaltyAccrued: (e, ledger) =>
      void ledger.royalties.push({
        ancestorModelId: e.args.ancestorModelId,
        fromModelId: e.args.fromModelId,
        amount: e.args.amount,
        transactionHash: e.transactionHash,
      }),
    Finalized: ({ args: a }, ledger) =>
      void ledger.finalized.set(pairKey(a.modelId, a.epoch), {
        modelId: a.modelId,
        epoch: a.epoch,
        finalizeSeq: a.finalizeSeq,
        pool: a.pool,
      }),
    SettlementCommitted: (e, ledger) =>
      void ledger.settlements.push({
        id: e.args.id,
        root: lower(e.args.root),
        total: e.args.total,
        coveredThroughSeq: e.args.coveredThroughSeq,
        uri: e.args.uri,
        blockNumber: e.blockNumber,
        operator: lower(e.args.operator),
        activatesAt: e.args.activatesAt,
        status: "pending",
      }),
    SettlementActivated: (e, ledger) => {
      const node = ledger.settlements.find((s) => s.status === "pending" && s.root === lower(e.args.root));
      if (node) node.status = "activated";
    },
    SettlementRejected: (e, ledger) => {
      const i = ledger.settlements.findIndex((s) => s.status === "pending" && s.root === lower(e.args.root));
      if (i < 0) return;
      const [node] = ledger.settlements.splice(i, 1);
      node!.status = "rejected";
      ledger.rejectedSettlements.push(node!);
      ledger.disputes.push({
        root: lower(e.args.root),
        proposal: e.args.proposal,
        operator: lower(e.args.operator),
        disputer: lower(e.args.disputer),
        slashed: 0n,
        reward: 0n,
        transactionHash: e.transactionHash,
        blockNumber: e.blockNumber,
      });
    },
    Claimed: (e, ledger) =>
      void ledger.claims.push({
        path: "settlement",
        ...claimOf(e),
        cumulativeAmount: e.args.cumulativeAmount,
      }),
    DirectClaimed: (e, ledger) =>
      void ledger.claims.push({
        path: "direct",
        ...claimOf(e),
        modelId: e.args.modelId,
        epoch: e.args.epoch,
        weight: e.args.weight,
      }),
    OwnerEarningsWithdrawn: ({ args: a }, ledger) =>
      void ledger.withdrawals.push({
        kind: "owner",
        modelId: a.modelId,
        owner: lower(a.owner),
        to: lower(a.to),
        amount: a.amount,
      }),
    TreasuryWithdrawn: ({ args: a }, ledger) =>
      void ledger.withdrawals.push({ kind: "treasury", to: lower(a.to), amount: a.amount }),
    RolledForward: ({ args: a }, ledger) =>
      void ledger.rolls.push({
        modelId: a.modelId,
        fromEpoch: a.fromEpoch,
        toEpoch: a.toEpoch,
        amount: a.amount,
      }),
    StakerRewardsReleased: ({ args: a }, ledger) => void (ledger.staking.releasedByDistributor += a.amount),
  },
  staking: {
    OperatorListed: ({ args: a }, ledger) =>
      void ledger.staking.operators.set(lower(a.operator), {
        operator: lower(a.operator),
        poolId: a.poolId,
        listed: true,
      }),
    OperatorDelisted: ({ args: a }, ledger) => {
      const o = ledger.staking.operators.get(lower(a.operator));
      if (o) o.listed = false;
    },
    Staked: ({ args: a }, ledger) => void (stakeOf(ledger, a.operator, a.account).staked += a.assets),
    UnstakeRequested: ({ args: a }, ledger) =>
      void (stakeOf(ledger, a.operator, a.account).unstakeRequested += a.assets),
    Withdrawn: ({ args: a }, ledger) => void (stakeOf(ledger, a.operator, a.account).withdrawn += a.assets),
    RewardsClaimed: ({ args: a }, ledger) =>
      void (stakeOf(ledger, a.operator, a.account).rewardsClaimed += a.amount),
    CommissionClaimed: ({ args: a }, ledger) => void (ledger.staking.commissionClaimed += a.amount),
    RewardsAdded: ({ args: a }, ledger) => void (ledger.staking.rewardsReceived += a.amount),
    PoolRewarded: ({ args: a }, ledger) => void (ledger.staking.rewardsToPools += a.toStakers + a.commission),
    Slashed: (e, ledger) => {
      // A dispute's slash comes in the transaction that rejected the root.
      const dispute = ledger.disputes.find(
        (d) => d.transactionHash === e.transactionHash && d.operator === lower(e.args.operator),
      );
      if (dispute) {
        dispute.slashed = e.args.slashed;
        dispute.reward = e.args.reward;
      }
      ledger.staking.slashes.push({
        operator: lower(e.args.operator),
        slasher: lower(e.args.slasher),
        caseId: lower(e.args.caseId),
        beneficiary: lower(e.args.beneficiary),
        slashed: e.args.slashed,
        reward: e.args.reward,
        toTreasury: e.args.toTreasury,
        transactionHash: e.transactionHash,
      });
    },
  },
};

/**
 * Folds the suite's events (in chain order) into the provenance graph. `datanets` are datanets
 * already folded up to the block before `events` (read from an index's tables: see
 * `readIndexedDatanet`); the events then carry on from them.
 */
export function buildLedger(events: readonly SuiteEvent[], datanets: readonly DatanetNode[] = []): Ledger {
  const ledger = emptyLedger();
  for (const d of datanets) ledger.datanets.set(d.datanetId.toString(), d);
  return foldEvents(events, LEDGER_HANDLERS, ledger);
}

/** Contributions of a datanet that a version published at `atBlock` may contain: accepted and not withdrawn then. */
export function acceptedContributions(ledger: Ledger, datanetId: bigint): ContributionNode[] {
  const d = ledger.datanets.get(datanetId.toString());
  if (!d) return [];
  return [...d.contributions.values()]
    .filter((c) => c.status === "Accepted")
    .sort((x, y) => (x.contributionId < y.contributionId ? -1 : x.contributionId > y.contributionId ? 1 : 0));
}

/** A model's base chain, nearest first. */
export function lineageOf(ledger: Ledger, modelId: bigint): bigint[] {
  const out: bigint[] = [];
  let current = ledger.models.get(modelId.toString());
  while (current && current.baseModelId !== 0n && out.length < 64) {
    out.push(current.baseModelId);
    current = ledger.models.get(current.baseModelId.toString());
  }
  return out;
}

/** A payment with its royalties and what became of its contributor pool. */
export interface PaymentTrace {
  payment: PaymentNode;
  royalties: Ledger["royalties"];
  /** The (model, epoch) commitment, if one was made. */
  commitment: CommitmentNode | undefined;
  /** The pair's finalisation, if it was finalised. */
  finalized: FinalizedNode | undefined;
  /** The epoch the pool was rolled into, if it was rolled forward. */
  rolledForwardTo: bigint | undefined;
  directClaims: ClaimNode[];
}

/** Where a payment went: its split, and what became of its contributor pool. */
export function tracePayment(ledger: Ledger, transactionHash: string): PaymentTrace | undefined {
  const payment = ledger.payments.find(
    (p) => p.transactionHash.toLowerCase() === transactionHash.toLowerCase(),
  );
  if (!payment) return undefined;
  const key = pairKey(payment.modelId, payment.epoch);
  const rolled = ledger.rolls.find((r) => r.modelId === payment.modelId && r.fromEpoch === payment.epoch);
  return {
    payment,
    royalties: ledger.royalties.filter((r) => r.transactionHash === payment.transactionHash),
    commitment: ledger.commitments.get(key),
    finalized: ledger.finalized.get(key),
    rolledForwardTo: rolled?.toEpoch,
    directClaims: ledger.claims.filter(
      (c) => c.path === "direct" && c.modelId === payment.modelId && c.epoch === payment.epoch,
    ),
  };
}

/** An account's contributions and what it claimed. */
export interface ContributorSummary {
  /** The account, lower-cased. */
  account: string;
  contributions: ContributionNode[];
  /** The sum of its claims, in OPEN wei. */
  claimed: bigint;
  claims: ClaimNode[];
}

/** What an account was paid, by path, and its contributions. */
export function contributorSummary(ledger: Ledger, account: string): ContributorSummary {
  const who = account.toLowerCase();
  const claims = ledger.claims.filter((c) => c.account === who);
  const contributions = [...ledger.datanets.values()].flatMap((d) =>
    [...d.contributions.values()].filter((c) => c.contributor === who),
  );
  return {
    account: who,
    contributions,
    claimed: claims.reduce((s, c) => s + c.amount, 0n),
    claims,
  };
}
