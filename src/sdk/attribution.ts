/**
 * Attribution actions: commit a weight table's root for its (model, epoch), challenge a pending
 * commitment, resolve a challenge (governance), and prove on-chain that a commitment's weights do
 * not add up to its total (anyone).
 */
import type { Signer, TransactionReceipt } from "ethers";
import { attributionTree, type AttributionTree } from "../attribution/tree.js";
import { withDecodedErrors } from "../errors.js";
import type { WeightSumProof } from "../attribution/weight-sum.js";
import { tableMethodId, type WeightTable } from "../attribution/weights.js";
import { call, eventArgs, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** A committed table: the root, the tree it came from, and the receipt. */
export interface CommittedAttribution {
  root: string;
  tree: AttributionTree;
  receipt: TransactionReceipt;
}

/** Commits a weight table's root for its (model, epoch); `uri` is where the full table is published. */
export async function commitAttribution(
  suite: Suite,
  table: WeightTable,
  uri: string,
): Promise<CommittedAttribution> {
  const tree = attributionTree(table);
  const receipt = await send(
    suite,
    call(
      suite.attribution,
      "commitAttribution",
      table.modelId,
      table.epoch,
      tree.root,
      table.totalWeight,
      // The table's method under the specification version it follows (docs/attribution.md).
      tableMethodId(table),
      uri,
    ),
  );
  return { root: tree.root, tree, receipt };
}

/** A challenge raised against a pending commitment. */
export interface RaisedChallenge {
  bond: bigint;
  receipt: TransactionReceipt;
}

/** A resolved challenge, and the slash it caused when the commitment was voided under staking. */
export interface ResolvedChallenge {
  commitmentStands: boolean;
  /** Who got the challenge bond (the treasury when the commitment stands, else the challenger). */
  bondRecipient: string;
  bond: bigint;
  /** The operator's slash (absent when the commitment stands or carried no staking pool). */
  slash?: { operator: string; slashed: bigint; reward: bigint; toTreasury: bigint };
  receipt: TransactionReceipt;
}

/**
 * Challenges a pending commitment of (model, epoch), approving the registry for the challenge
 * bond first when the allowance is short; `reasonUri` is where the evidence is published.
 */
export async function challengeCommitment(
  suite: Suite,
  challenger: Signer,
  modelId: bigint,
  epoch: bigint,
  reasonUri: string,
): Promise<RaisedChallenge> {
  const bond = await suite.attribution.challengeBond();
  const address = await challenger.getAddress();
  if ((await suite.token.allowance(address, suite.addresses.attribution)) < bond) {
    await send(suite, call(suite.token.connect(challenger), "approve", suite.addresses.attribution, bond));
  }
  const receipt = await send(
    suite,
    call(suite.attribution.connect(challenger), "challenge", modelId, epoch, reasonUri),
  );
  return { bond: eventArgs(suite, receipt, "AttributionChallenged")[0].bond as bigint, receipt };
}

/**
 * Resolves the challenge of (model, epoch) (GOVERNANCE_ROLE: the timelock in production, the
 * deployer on a local network): `commitmentStands` false voids the commitment and slashes its
 * operator's pool.
 */
export async function resolveChallenge(
  suite: Suite,
  modelId: bigint,
  epoch: bigint,
  commitmentStands: boolean,
): Promise<ResolvedChallenge> {
  const receipt = await send(
    suite,
    call(suite.attribution, "resolveChallenge", modelId, epoch, commitmentStands),
  );
  const ev = eventArgs(suite, receipt, "ChallengeResolved")[0];
  const slashed = eventArgs(suite, receipt, "Slashed")[0];
  return {
    commitmentStands,
    bondRecipient: ev.bondRecipient as string,
    bond: ev.bond as bigint,
    ...(slashed
      ? {
          slash: {
            operator: slashed.operator as string,
            slashed: slashed.slashed as bigint,
            reward: slashed.reward as bigint,
            toTreasury: slashed.toTreasury as bigint,
          },
        }
      : {}),
    receipt,
  };
}

/**
 * Closes a challenge whose resolution deadline passed without a decision (anyone may): the
 * commitment stands (it has read as Final since the deadline) and the bond goes back to the
 * challenger.
 */
export async function closeLapsedChallenge(
  suite: Suite,
  modelId: bigint,
  epoch: bigint,
): Promise<{ challenger: string; bond: bigint; receipt: TransactionReceipt }> {
  const receipt = await send(suite, call(suite.attribution, "closeLapsedChallenge", modelId, epoch));
  const ev = eventArgs(suite, receipt, "ChallengeResolved")[0];
  return { challenger: ev.bondRecipient as string, bond: ev.bond as bigint, receipt };
}

/** A weight-sum proof that landed: the commitment is Voided. */
export interface ProvenWeightSum {
  modelId: bigint;
  epoch: bigint;
  prover: string;
  weightSum: bigint;
  totalWeight: bigint;
  leafCount: bigint;
  /** The open challenge it closed (its bond went back to the challenger). */
  challenge?: { challenger: string; bond: bigint };
  /** The operator's slash (absent when the commitment carried no staking pool). */
  slash?: { operator: string; slashed: bigint; reward: bigint; toTreasury: bigint };
  receipt: TransactionReceipt;
}

/**
 * Sends `AttributionRegistry.proveWeightSum` with the proof's leaves (after a static call, so a
 * proof that would revert costs nothing: the caller sees the contract's named error).
 */
export async function proveWeightSum(suite: Suite, proof: WeightSumProof): Promise<ProvenWeightSum> {
  const leaves = proof.leaves.map((l) => ({ contributor: l.contributor, weight: l.weight }));
  const prepared = call(suite.attribution, "proveWeightSum", proof.modelId, proof.epoch, leaves);
  await withDecodedErrors(prepared.staticCall(), suite.attribution.interface, suite.staking.interface);
  const receipt = await send(suite, prepared);
  const ev = eventArgs(suite, receipt, "WeightSumProven")[0];
  const resolved = eventArgs(suite, receipt, "ChallengeResolved")[0];
  const slashed = eventArgs(suite, receipt, "Slashed")[0];
  return {
    modelId: ev.modelId as bigint,
    epoch: ev.epoch as bigint,
    prover: (ev.prover as string).toLowerCase(),
    weightSum: ev.weightSum as bigint,
    totalWeight: ev.totalWeight as bigint,
    leafCount: ev.leafCount as bigint,
    ...(resolved
      ? {
          challenge: {
            challenger: (resolved.bondRecipient as string).toLowerCase(),
            bond: resolved.bond as bigint,
          },
        }
      : {}),
    ...(slashed
      ? {
          slash: {
            operator: (slashed.operator as string).toLowerCase(),
            slashed: slashed.slashed as bigint,
            reward: slashed.reward as bigint,
            toTreasury: slashed.toTreasury as bigint,
          },
        }
      : {}),
    receipt,
  };
}
