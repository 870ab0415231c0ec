/**
 * The provenance graph, rebuilt from events alone:
 * datanet -> contribution -> version -> model -> epoch -> payment -> claim.
 * Answers "where did this payment go" and "what has this contributor earned, from which models".
 */
import type { SuiteEvent } from "./events.js";

export const CONTRIBUTION_STATUS = ["None", "Pending", "Accepted", "Rejected", "Withdrawn"] as const;
export type ContributionStatusName = (typeof CONTRIBUTION_STATUS)[number];
export const COMMITMENT_STATUS = ["None", "Pending", "Challenged", "Final", "Voided"] as const;

export interface ContributionNode {
  contributionId: string;
  datanetId: bigint;
  contributor: string;
  contentHash: string;
  uri: string;
  status: ContributionStatusName;
  submittedBlock: number;
}

export interface VersionNode {
  datanetId: bigint;
  versionNumber: bigint;
  merkleRoot: string;
  contributionCount: bigint;
  parentVersion: bigint;
  uri: string;
  blockNumber: number;
}

export interface DatanetNode {
  datanetId: bigint;
  owner: string;
  licence: number;
  metadataURI: string;
  contributions: Map<string, ContributionNode>;
  versions: VersionNode[];
}

export interface TrainingInputNode {
  datanetId: bigint;
  versionNumber: bigint;
  weightBps: number;
}

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
}

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

export interface FinalizedNode {
  modelId: bigint;
  epoch: bigint;
  finalizeSeq: bigint;
  pool: bigint;
}

export interface SettlementNode {
  id: bigint;
  root: string;
  total: bigint;
  coveredThroughSeq: bigint;
  uri: string;
  blockNumber: number;
}

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

export interface WithdrawalNode {
  kind: "owner" | "treasury";
  modelId?: bigint;
  owner?: string;
  to: string;
  amount: bigint;
}

export interface RollNode {
  modelId: bigint;
  fromEpoch: bigint;
  toEpoch: bigint;
  amount: bigint;
}

/** The whole graph. Maps are keyed by decimal ids or `model/epoch`. */
export interface Ledger {
  datanets: Map<string, DatanetNode>;
  models: Map<string, ModelNode>;
  commitments: Map<string, CommitmentNode>;
  payments: PaymentNode[];
  royalties: { ancestorModelId: bigint; fromModelId: bigint; amount: bigint; transactionHash: string }[];
  finalized: Map<string, FinalizedNode>;
  settlements: SettlementNode[];
  claims: ClaimNode[];
  withdrawals: WithdrawalNode[];
  rolls: RollNode[];
}

/** The distributor's `books()` fields that say what it still owes. */
export interface OwedBooks {
  treasuryAccrued: bigint;
  treasuryWithdrawn: bigint;
  ownersAccrued: bigint;
  ownersWithdrawn: bigint;
  stakerReserve: bigint;
  claimable: bigint;
  poolsPending: bigint;
}

/** Everything the distributor still owes: what solvency compares its balance with. */
export function owedFromBooks(books: OwedBooks): bigint {
  return (
    books.treasuryAccrued -
    books.treasuryWithdrawn +
    (books.ownersAccrued - books.ownersWithdrawn) +
    books.stakerReserve +
    books.claimable +
    books.poolsPending
  );
}

/** Key of a (model, epoch) pair in the ledger's maps. */
export const pairKey = (modelId: bigint, epoch: bigint): string => `${modelId}/${epoch}`;

const big = (v: unknown): bigint => BigInt(v as bigint | number | string);
const str = (v: unknown): string => String(v);
const addr = (v: unknown): string => String(v).toLowerCase();

/** Folds the suite's events (in chain order) into the provenance graph. */
export function buildLedger(events: readonly SuiteEvent[]): Ledger {
  const ledger: Ledger = {
    datanets: new Map(),
    models: new Map(),
    commitments: new Map(),
    payments: [],
    royalties: [],
    finalized: new Map(),
    settlements: [],
    claims: [],
    withdrawals: [],
    rolls: [],
  };
  const contributionOf = (datanetId: unknown, id: unknown): ContributionNode | undefined =>
    ledger.datanets.get(str(datanetId))?.contributions.get(str(id).toLowerCase());
  for (const e of events) {
    const a = e.args;
    switch (`${e.contract}.${e.name}`) {
      case "datanets.DatanetCreated":
        ledger.datanets.set(str(a.datanetId), {
          datanetId: big(a.datanetId),
          owner: addr(a.owner),
          licence: Number(a.licence),
          metadataURI: str(a.metadataURI),
          contributions: new Map(),
          versions: [],
        });
        break;
      case "datanets.OwnershipTransferred": {
        const d = ledger.datanets.get(str(a.datanetId));
        if (d) d.owner = addr(a.newOwner);
        break;
      }
      case "datanets.ContributionSubmitted":
        ledger.datanets.get(str(a.datanetId))?.contributions.set(str(a.contributionId).toLowerCase(), {
          contributionId: str(a.contributionId).toLowerCase(),
          datanetId: big(a.datanetId),
          contributor: addr(a.contributor),
          contentHash: str(a.contentHash).toLowerCase(),
          uri: str(a.uri),
          status: "Pending",
          submittedBlock: e.blockNumber,
        });
        break;
      case "datanets.ContributionAccepted":
      case "datanets.ContributionRejected":
      case "datanets.ContributionWithdrawn": {
        const c = contributionOf(a.datanetId, a.contributionId);
        if (c)
          c.status =
            e.name === "ContributionAccepted"
              ? "Accepted"
              : e.name === "ContributionRejected"
                ? "Rejected"
                : "Withdrawn";
        break;
      }
      case "datanets.VersionPublished":
        ledger.datanets.get(str(a.datanetId))?.versions.push({
          datanetId: big(a.datanetId),
          versionNumber: big(a.versionNumber),
          merkleRoot: str(a.merkleRoot).toLowerCase(),
          contributionCount: big(a.contributionCount),
          parentVersion: big(a.parentVersion),
          uri: str(a.uri),
          blockNumber: e.blockNumber,
        });
        break;
      case "models.ModelRegistered":
        ledger.models.set(str(a.modelId), {
          modelId: big(a.modelId),
          owner: addr(a.owner),
          baseModelId: big(a.baseModelId),
          declaredUses: Number(a.declaredUses),
          pricePerUnit: big(a.pricePerUnit),
          metadataURI: str(a.metadataURI),
          retired: false,
          versions: [],
        });
        break;
      case "models.ModelVersionAdded":
        ledger.models.get(str(a.modelId))?.versions.push({
          versionNumber: big(a.versionNumber),
          artifactHash: str(a.artifactHash).toLowerCase(),
          // A decoded array of structs may come as an array or as an index-keyed object.
          trainingInputs: Object.values(a.trainingInputs as Record<string, Record<string, unknown>>).map(
            (t) => ({
              datanetId: big(t.datanetId),
              versionNumber: big(t.versionNumber),
              weightBps: Number(t.weightBps),
            }),
          ),
        });
        break;
      case "models.PriceSet": {
        const m = ledger.models.get(str(a.modelId));
        if (m) m.pricePerUnit = big(a.pricePerUnit);
        break;
      }
      case "models.ModelRetired": {
        const m = ledger.models.get(str(a.modelId));
        if (m) m.retired = true;
        break;
      }
      case "models.OwnershipTransferred": {
        const m = ledger.models.get(str(a.modelId));
        if (m) m.owner = addr(a.newOwner);
        break;
      }
      case "attribution.AttributionCommitted":
        ledger.commitments.set(pairKey(big(a.modelId), big(a.epoch)), {
          modelId: big(a.modelId),
          epoch: big(a.epoch),
          root: str(a.root).toLowerCase(),
          totalWeight: big(a.totalWeight),
          methodId: Number(a.methodId),
          uri: str(a.uri),
          finalAt: big(a.finalAt),
          challenged: false,
          voided: false,
        });
        break;
      case "attribution.AttributionChallenged": {
        const c = ledger.commitments.get(pairKey(big(a.modelId), big(a.epoch)));
        if (c) c.challenged = true;
        break;
      }
      case "attribution.ChallengeResolved": {
        const c = ledger.commitments.get(pairKey(big(a.modelId), big(a.epoch)));
        if (c) {
          c.challenged = false;
          if (a.commitmentStands === false) c.voided = true;
        }
        break;
      }
      case "distributor.Paid": {
        const shares = [a.protocolShare, a.ownerShare, a.royaltyShare].map(big);
        ledger.payments.push({
          modelId: big(a.modelId),
          epoch: big(a.epoch),
          payer: addr(a.payer),
          amount: big(a.amount),
          protocolShare: shares[0],
          ownerShare: shares[1],
          royaltyShare: shares[2],
          contributorShare: big(a.amount) - shares.reduce((s, x) => s + x, 0n),
          transactionHash: e.transactionHash,
          blockNumber: e.blockNumber,
        });
        break;
      }
      case "distributor.RoyaltyAccrued":
        ledger.royalties.push({
          ancestorModelId: big(a.ancestorModelId),
          fromModelId: big(a.fromModelId),
          amount: big(a.amount),
          transactionHash: e.transactionHash,
        });
        break;
      case "distributor.Finalized":
        ledger.finalized.set(pairKey(big(a.modelId), big(a.epoch)), {
          modelId: big(a.modelId),
          epoch: big(a.epoch),
          finalizeSeq: big(a.finalizeSeq),
          pool: big(a.pool),
        });
        break;
      case "distributor.SettlementCommitted":
        ledger.settlements.push({
          id: big(a.id),
          root: str(a.root).toLowerCase(),
          total: big(a.total),
          coveredThroughSeq: big(a.coveredThroughSeq),
          uri: str(a.uri),
          blockNumber: e.blockNumber,
        });
        break;
      case "distributor.Claimed":
        ledger.claims.push({
          path: "settlement",
          account: addr(a.account),
          amount: big(a.amount),
          cumulativeAmount: big(a.cumulativeAmount),
          transactionHash: e.transactionHash,
        });
        break;
      case "distributor.DirectClaimed":
        ledger.claims.push({
          path: "direct",
          account: addr(a.account),
          amount: big(a.amount),
          modelId: big(a.modelId),
          epoch: big(a.epoch),
          weight: big(a.weight),
          transactionHash: e.transactionHash,
        });
        break;
      case "distributor.OwnerEarningsWithdrawn":
        ledger.withdrawals.push({
          kind: "owner",
          modelId: big(a.modelId),
          owner: addr(a.owner),
          to: addr(a.to),
          amount: big(a.amount),
        });
        break;
      case "distributor.TreasuryWithdrawn":
        ledger.withdrawals.push({ kind: "treasury", to: addr(a.to), amount: big(a.amount) });
        break;
      case "distributor.RolledForward":
        ledger.rolls.push({
          modelId: big(a.modelId),
          fromEpoch: big(a.fromEpoch),
          toEpoch: big(a.toEpoch),
          amount: big(a.amount),
        });
        break;
      default:
        break;
    }
  }
  return ledger;
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

/** Where a payment went: its split, and what became of its contributor pool. */
export function tracePayment(ledger: Ledger, transactionHash: string) {
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

/** What an account was paid, by path, and its contributions. */
export function contributorSummary(ledger: Ledger, account: string) {
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
