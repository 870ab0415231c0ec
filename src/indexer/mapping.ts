/**
 * Event -> rows: the one place that says which table rows each suite event becomes (the few
 * current-state columns recomputed from the history tables are in derived.ts).
 *
 * Adding an event (disputes, a new field) is one entry in `EVENT_ROWS` (and, for a new
 * table, one `TableSpec` in schema.ts). Events come decoded from the contracts' own ABIs (see
 * source.ts), so a field a contract adds reaches `args` and the raw `events` table without any
 * change here; every event of a suite contract lands in `events` even when no entry maps it.
 */
import type { SqlValue } from "./db.js";
import { SETTLEMENT_FAULTS } from "../settlement/disputes.js";

/** A decoded argument: integers as bigint, addresses/bytes as 0x strings, structs as objects. */
export type PlainValue = bigint | string | boolean | PlainValue[] | { [key: string]: PlainValue };
export type EventArgs = Record<string, PlainValue>;

/** One decoded suite event with its position in the chain. */
export interface DecodedEvent {
  contract: string;
  name: string;
  args: EventArgs;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  transactionHash: string;
}

/** A value the indexer cannot store faithfully: it stops rather than write a wrong row. */
export class IndexerDataError extends Error {
  override name = "IndexerDataError";
}

/** A row of a table, by column name (position columns are added by the writer). */
export type RowValues = Record<string, SqlValue>;
export type RowsOf = [table: string, row: RowValues][];

const MAX_ID = BigInt(Number.MAX_SAFE_INTEGER);

/** An id / counter / small integer column: a JS number, refused beyond 2^53 - 1. */
function int(v: PlainValue | undefined, field = "value"): number {
  const n = typeof v === "bigint" ? v : BigInt(v as string | number | boolean);
  if (n < 0n || n > MAX_ID)
    throw new IndexerDataError(
      `${field} ${n} does not fit the index's integer columns (0..2^53-1): this indexer cannot store it faithfully; report it`,
    );
  return Number(n);
}
const amount = (v: PlainValue | undefined): string => (v as bigint).toString();
const text = (v: PlainValue | undefined): string => String(v);
const addr = (v: PlainValue | undefined): string => String(v).toLowerCase();
const hash = (v: PlainValue | undefined): string => String(v).toLowerCase();
const bool = (v: PlainValue | undefined): number => (v === true ? 1 : 0);

/** JSON of decoded values (bigints as decimal strings): the `events.args` and struct columns. */
export function plainJson(value: PlainValue | EventArgs): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

const ownership =
  (registry: string) =>
  (a: EventArgs, subject: PlainValue | undefined): RowsOf => [
    [
      "ownership_transfers",
      {
        registry,
        subject_id: int(subject, `${registry} id`),
        previous_owner: addr(a.previousOwner),
        new_owner: addr(a.newOwner),
      },
    ],
  ];

const statusRow = (
  a: EventArgs,
  status: string,
  actor: PlainValue | undefined,
  reason?: PlainValue,
): RowsOf => [
  [
    "contribution_status",
    {
      datanet_id: int(a.datanetId, "datanetId"),
      contribution_id: hash(a.contributionId),
      status,
      actor: addr(actor),
      reason_code: reason === undefined ? null : int(reason, "reasonCode"),
    },
  ],
];

/** `contract.Event` -> the rows it adds. */
export const EVENT_ROWS: Record<string, (a: EventArgs) => RowsOf> = {
  "datanets.DatanetCreated": (a) => [
    [
      "datanets",
      {
        datanet_id: int(a.datanetId, "datanetId"),
        creator: addr(a.owner),
        owner: addr(a.owner),
        licence: int(a.licence, "licence"),
        policy: int(a.policy, "policy"),
        metadata_uri: text(a.metadataURI),
      },
    ],
    ["datanet_policies", { datanet_id: int(a.datanetId, "datanetId"), policy: int(a.policy, "policy") }],
  ],
  "datanets.ContributionPolicySet": (a) => [
    ["datanet_policies", { datanet_id: int(a.datanetId, "datanetId"), policy: int(a.policy, "policy") }],
  ],
  "datanets.ContributorAllowed": (a) => [
    [
      "allowed_contributors",
      { datanet_id: int(a.datanetId, "datanetId"), account: addr(a.account), allowed: bool(a.allowed) },
    ],
  ],
  "datanets.OwnershipTransferred": (a) => ownership("datanets")(a, a.datanetId),
  "datanets.CuratorSet": (a) => [
    [
      "curators",
      { datanet_id: int(a.datanetId, "datanetId"), curator: addr(a.curator), appointed: bool(a.appointed) },
    ],
  ],
  "datanets.ContributionSubmitted": (a) => [
    [
      "contributions",
      {
        datanet_id: int(a.datanetId, "datanetId"),
        contribution_id: hash(a.contributionId),
        contributor: addr(a.contributor),
        content_hash: hash(a.contentHash),
        uri: text(a.uri),
        status: "Pending",
      },
    ],
    ...statusRow(a, "Pending", a.contributor),
  ],
  "datanets.ContributionAccepted": (a) => statusRow(a, "Accepted", a.curator),
  "datanets.ContributionRejected": (a) => statusRow(a, "Rejected", a.curator, a.reasonCode),
  "datanets.ContributionWithdrawn": (a) => statusRow(a, "Withdrawn", a.contributor),
  "datanets.VersionPublished": (a) => [
    [
      "versions",
      {
        datanet_id: int(a.datanetId, "datanetId"),
        version_number: int(a.versionNumber, "versionNumber"),
        publisher: addr(a.publisher),
        merkle_root: hash(a.merkleRoot),
        contribution_count: int(a.contributionCount, "contributionCount"),
        parent_version: int(a.parentVersion, "parentVersion"),
        uri: text(a.uri),
      },
    ],
  ],
  "models.ModelRegistered": (a) => [
    [
      "models",
      {
        model_id: int(a.modelId, "modelId"),
        creator: addr(a.owner),
        owner: addr(a.owner),
        base_model_id: int(a.baseModelId, "baseModelId"),
        declared_uses: int(a.declaredUses, "declaredUses"),
        price_per_unit: amount(a.pricePerUnit),
        metadata_uri: text(a.metadataURI),
        retired: 0,
      },
    ],
    ["model_prices", { model_id: int(a.modelId, "modelId"), price_per_unit: amount(a.pricePerUnit) }],
  ],
  "models.ModelVersionAdded": (a) => [
    [
      "model_versions",
      {
        model_id: int(a.modelId, "modelId"),
        version_number: int(a.versionNumber, "versionNumber"),
        artifact_hash: hash(a.artifactHash),
      },
    ],
    ...(a.trainingInputs as EventArgs[]).map((t, position): [string, RowValues] => [
      "training_inputs",
      {
        model_id: int(a.modelId, "modelId"),
        version_number: int(a.versionNumber, "versionNumber"),
        position,
        datanet_id: int(t.datanetId, "datanetId"),
        datanet_version: int(t.versionNumber, "versionNumber"),
        weight_bps: int(t.weightBps, "weightBps"),
      },
    ]),
  ],
  "models.PriceSet": (a) => [
    ["model_prices", { model_id: int(a.modelId, "modelId"), price_per_unit: amount(a.pricePerUnit) }],
  ],
  "models.ModelRetired": (a) => [["model_retirements", { model_id: int(a.modelId, "modelId") }]],
  "models.OwnershipTransferred": (a) => ownership("models")(a, a.modelId),
  "attribution.AttributionCommitted": (a) => [
    [
      "commitments",
      {
        model_id: int(a.modelId, "modelId"),
        epoch: int(a.epoch, "epoch"),
        root: hash(a.root),
        total_weight: amount(a.totalWeight),
        method_id: int(a.methodId, "methodId"),
        uri: text(a.uri),
        final_at: int(a.finalAt, "finalAt"),
        status: "Committed",
      },
    ],
  ],
  "attribution.AttributionChallenged": (a) => [
    [
      "challenges",
      {
        model_id: int(a.modelId, "modelId"),
        epoch: int(a.epoch, "epoch"),
        kind: "challenged",
        challenger: addr(a.challenger),
        bond: amount(a.bond),
        reason_uri: text(a.reasonUri),
      },
    ],
  ],
  "attribution.ChallengeResolved": (a) => [
    [
      "challenges",
      {
        model_id: int(a.modelId, "modelId"),
        epoch: int(a.epoch, "epoch"),
        kind: "resolved",
        bond: amount(a.bond),
        commitment_stands: bool(a.commitmentStands),
        bond_recipient: addr(a.bondRecipient),
      },
    ],
  ],
  // A weight-sum proof voids the commitment (SECURITY.md 5b): a row of its own kind, read by the
  // commitment's derived status like a resolution against it.
  "attribution.WeightSumProven": (a) => [
    [
      "challenges",
      {
        model_id: int(a.modelId, "modelId"),
        epoch: int(a.epoch, "epoch"),
        kind: "weight-sum-proven",
        challenger: addr(a.prover),
        commitment_stands: bool(false),
      },
    ],
  ],
  "distributor.Paid": (a) => {
    const total = a.amount as bigint;
    const shares = [a.protocolShare, a.ownerShare, a.royaltyShare] as bigint[];
    return [
      [
        "payments",
        {
          model_id: int(a.modelId, "modelId"),
          epoch: int(a.epoch, "epoch"),
          payer: addr(a.payer),
          amount: amount(total),
          protocol_share: amount(shares[0]),
          owner_share: amount(shares[1]),
          royalty_share: amount(shares[2]),
          contributor_share: (total - shares[0] - shares[1] - shares[2]).toString(),
        },
      ],
    ];
  },
  "distributor.RoyaltyAccrued": (a) => [
    [
      "royalties",
      {
        ancestor_model_id: int(a.ancestorModelId, "ancestorModelId"),
        from_model_id: int(a.fromModelId, "fromModelId"),
        amount: amount(a.amount),
      },
    ],
  ],
  "distributor.Finalized": (a) => [
    [
      "finalisations",
      {
        model_id: int(a.modelId, "modelId"),
        epoch: int(a.epoch, "epoch"),
        finalize_seq: int(a.finalizeSeq, "finalizeSeq"),
        pool: amount(a.pool),
      },
    ],
  ],
  "distributor.RolledForward": (a) => [
    [
      "roll_forwards",
      {
        model_id: int(a.modelId, "modelId"),
        from_epoch: int(a.fromEpoch, "fromEpoch"),
        to_epoch: int(a.toEpoch, "toEpoch"),
        amount: amount(a.amount),
      },
    ],
  ],
  "distributor.SettlementCommitted": (a) => [
    [
      "settlements",
      {
        settlement_id: int(a.id, "settlement id"),
        root: hash(a.root),
        total: amount(a.total),
        covered_through_seq: int(a.coveredThroughSeq, "coveredThroughSeq"),
        uri: text(a.uri),
        operator: addr(a.operator),
        activates_at: int(a.activatesAt, "activatesAt"),
      },
    ],
  ],
  "distributor.SettlementActivated": (a) => [
    [
      "settlement_activations",
      {
        settlement_id: int(a.id, "settlement id"),
        root: hash(a.root),
        total: amount(a.total),
        covered_through_seq: int(a.coveredThroughSeq, "coveredThroughSeq"),
      },
    ],
  ],
  "distributor.SettlementRejected": (a) => [
    [
      "settlement_rejections",
      {
        root: hash(a.root),
        operator: addr(a.operator),
        disputer: addr(a.disputer),
        proposal: int(a.proposal, "proposal"),
      },
    ],
  ],
  "distributor.Claimed": (a) => [
    [
      "claims",
      {
        account: addr(a.account),
        path: "settlement",
        amount: amount(a.amount),
        cumulative_amount: amount(a.cumulativeAmount),
      },
    ],
  ],
  "distributor.DirectClaimed": (a) => [
    [
      "claims",
      {
        account: addr(a.account),
        path: "direct",
        amount: amount(a.amount),
        model_id: int(a.modelId, "modelId"),
        epoch: int(a.epoch, "epoch"),
        weight: amount(a.weight),
      },
    ],
  ],
  "distributor.OwnerEarningsWithdrawn": (a) => [
    [
      "withdrawals",
      {
        kind: "owner",
        model_id: int(a.modelId, "modelId"),
        owner: addr(a.owner),
        recipient: addr(a.to),
        amount: amount(a.amount),
      },
    ],
  ],
  "distributor.TreasuryWithdrawn": (a) => [
    ["withdrawals", { kind: "treasury", recipient: addr(a.to), amount: amount(a.amount) }],
  ],
  "distributor.ForeignTokenRecovered": (a) => [
    [
      "withdrawals",
      { kind: "foreign", token: addr(a.token), recipient: addr(a.to), amount: amount(a.amount) },
    ],
  ],
  "distributor.StakerRewardsReleased": (a) => [
    ["staker_releases", { staking: addr(a.staking), amount: amount(a.amount) }],
  ],
  "attribution.OperatorBondUpdated": (a) => [
    [
      "operator_bonds",
      { operator: addr(a.operator), pool_id: int(a.poolId, "poolId"), bonded: bool(a.bonded) },
    ],
  ],
  "staking.OperatorListed": (a) => [
    ["operator_listings", { operator: addr(a.operator), pool_id: int(a.poolId, "poolId"), listed: 1 }],
  ],
  "staking.OperatorDelisted": (a) => [["operator_listings", { operator: addr(a.operator), listed: 0 }]],
  "staking.Staked": (a) => [
    [
      "stakes",
      {
        operator: addr(a.operator),
        account: addr(a.account),
        assets: amount(a.assets),
        shares: amount(a.shares),
      },
    ],
  ],
  "staking.UnstakeRequested": (a) => [
    [
      "unstake_requests",
      {
        operator: addr(a.operator),
        account: addr(a.account),
        assets: amount(a.assets),
        shares: amount(a.shares),
        withdrawable_at: int(a.withdrawableAt, "withdrawableAt"),
      },
    ],
  ],
  "staking.Withdrawn": (a) => [
    [
      "stake_withdrawals",
      {
        operator: addr(a.operator),
        account: addr(a.account),
        recipient: addr(a.to),
        assets: amount(a.assets),
      },
    ],
  ],
  "staking.RewardsClaimed": (a) => [
    [
      "reward_claims",
      {
        kind: "staker",
        operator: addr(a.operator),
        account: addr(a.account),
        recipient: addr(a.to),
        amount: amount(a.amount),
      },
    ],
  ],
  "staking.CommissionClaimed": (a) => [
    [
      "reward_claims",
      {
        kind: "commission",
        operator: addr(a.operator),
        account: addr(a.operator),
        recipient: addr(a.to),
        amount: amount(a.amount),
      },
    ],
  ],
  "staking.RewardsAdded": (a) => [
    ["staking_rewards_in", { account: addr(a.from), amount: amount(a.amount) }],
  ],
  "staking.RewardsDistributed": (a) => [
    [
      "reward_distributions",
      { amount: amount(a.amount), queued: amount(a.queued), total_bonded: amount(a.totalBonded) },
    ],
  ],
  "staking.PoolRewarded": (a) => [
    [
      "pool_rewards",
      { operator: addr(a.operator), to_stakers: amount(a.toStakers), commission: amount(a.commission) },
    ],
  ],
  "staking.CommissionChangeScheduled": (a) => [
    [
      "commission_changes",
      {
        operator: addr(a.operator),
        kind: "scheduled",
        bps: int(a.bps, "bps"),
        effective_at: int(a.effectiveAt, "effectiveAt"),
      },
    ],
  ],
  "staking.CommissionChanged": (a) => [
    ["commission_changes", { operator: addr(a.operator), kind: "changed", bps: int(a.bps, "bps") }],
  ],
  "staking.Slashed": (a) => [
    [
      "slashes",
      {
        operator: addr(a.operator),
        slasher: addr(a.slasher),
        case_id: hash(a.caseId),
        beneficiary: addr(a.beneficiary),
        slashed: amount(a.slashed),
        reward: amount(a.reward),
        to_treasury: amount(a.toTreasury),
      },
    ],
  ],
  "distributor.DisputeWindowChanged": (a) => [
    [
      "parameter_changes",
      { contract: "distributor", setting: "DisputeWindowChanged", new_value: amount(a.window) },
    ],
  ],
  "distributor.SettlementDisputesChanged": (a) => [
    [
      "parameter_changes",
      { contract: "distributor", setting: "SettlementDisputesChanged", new_value: addr(a.disputes) },
    ],
  ],
  "settlementDisputes.SettlementDisputed": (a) => [
    [
      "settlement_disputes",
      {
        root: hash(a.root),
        operator: addr(a.operator),
        disputer: addr(a.disputer),
        fault: SETTLEMENT_FAULTS[int(a.fault, "fault")] ?? `Fault${String(a.fault)}`,
        account: addr(a.account),
        slashed: amount(a.slashed),
        reward: amount(a.reward),
      },
    ],
  ],
  "usageEscrow.Deposited": (a) => [
    [
      "usage_deposits",
      {
        payer: addr(a.payer),
        from_address: addr(a.from),
        amount: amount(a.amount),
        balance: amount(a.balance),
      },
    ],
  ],
  "usageEscrow.VoucherRedeemed": (a) => [
    [
      "voucher_redemptions",
      {
        payer: addr(a.payer),
        model_id: int(a.modelId, "modelId"),
        usage_root: hash(a.usageRoot),
        cumulative_units: amount(a.cumulativeUnits),
        units: amount(a.units),
        amount: amount(a.amount),
        unpaid_units: amount(a.unpaidUnits),
      },
    ],
  ],
  "usageEscrow.WithdrawalRequested": (a) => [
    [
      "usage_withdrawals",
      {
        payer: addr(a.payer),
        kind: "requested",
        amount: amount(a.amount),
        withdrawable_at: int(a.withdrawableAt, "withdrawableAt"),
      },
    ],
  ],
  "usageEscrow.WithdrawalCancelled": (a) => [
    ["usage_withdrawals", { payer: addr(a.payer), kind: "cancelled" }],
  ],
  "usageEscrow.Withdrawn": (a) => [
    [
      "usage_withdrawals",
      { payer: addr(a.payer), kind: "withdrawn", amount: amount(a.amount), recipient: addr(a.to) },
    ],
  ],
  "usageEscrow.WithdrawalDelayChanged": (a) => [
    [
      "parameter_changes",
      { contract: "usageEscrow", setting: "WithdrawalDelayChanged", new_value: amount(a.delay) },
    ],
  ],
  "token.Transfer": (a) => [
    ["token_transfers", { from_address: addr(a.from), to_address: addr(a.to), value: amount(a.value) }],
  ],
};
