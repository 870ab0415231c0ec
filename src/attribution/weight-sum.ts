/**
 * The on-chain proof that a commitment's leaf weights do not add up to its committed total
 * (`AttributionRegistry.proveWeightSum`): every leaf of the committed tree, revealed in
 * OpenZeppelin multiproof order, from the same tree code the engine commits with. No chain access.
 */
import { attributionTree, type AttributionTree } from "./tree.js";
import type { WeightTable } from "./weights.js";

/** One leaf as `proveWeightSum` takes it (`IAttributionRegistry.AttributionLeaf`). */
export interface RevealedLeaf {
  contributor: string;
  weight: bigint;
}

/** What a commitment says of its tree. */
export interface CommittedTree {
  root: string;
  totalWeight: bigint;
}

/** A weight-sum fault and the leaves that prove it. */
export interface WeightSumProof {
  modelId: bigint;
  epoch: bigint;
  /** Every leaf of the tree in multiproof order (ascending leaf hash). */
  leaves: RevealedLeaf[];
  /** The sum of the leaf weights. */
  weightSum: bigint;
  /** The committed total. */
  totalWeight: bigint;
}

/** Why a table proves no weight-sum fault. */
export type NoWeightSumProof =
  { reason: "root-mismatch"; tableRoot: string } | { reason: "sum-matches"; weightSum: bigint };

/** Each weight counts at most 2^128 on-chain (`AttributionRevealLib`): the same here. */
const WEIGHT_CAP = 1n << 128n;

/**
 * Every leaf of `table`'s attribution tree in OpenZeppelin multiproof order for all leaves (tree
 * index 2n-2 down to n-1, i.e. ascending leaf hash): the order in which an empty proof and all-true
 * flags rebuild the root.
 * @throws Error when the table is empty.
 */
export function multiproofOrder(table: WeightTable): RevealedLeaf[] {
  return orderOf(table, attributionTree(table));
}

function orderOf(table: WeightTable, tree: AttributionTree): RevealedLeaf[] {
  return Array.from(tree.sortedValueIndices(), (i) => {
    const e = table.entries[i];
    return { contributor: e.contributor, weight: e.weight };
  });
}

/**
 * The proof that `table`, the published table of a commitment, has weights that do not add up to
 * the committed total; or why it proves nothing (its tree is not the committed one, or the sum
 * matches).
 * @throws Error when the table is empty.
 */
export function weightSumProof(
  table: WeightTable,
  committed: CommittedTree,
): WeightSumProof | NoWeightSumProof {
  const tree = attributionTree(table);
  if (tree.root.toLowerCase() !== committed.root.toLowerCase())
    return { reason: "root-mismatch", tableRoot: tree.root };
  let weightSum = 0n;
  for (const e of table.entries) weightSum += e.weight < WEIGHT_CAP ? e.weight : WEIGHT_CAP;
  if (weightSum === committed.totalWeight) return { reason: "sum-matches", weightSum };
  return {
    modelId: table.modelId,
    epoch: table.epoch,
    leaves: orderOf(table, tree),
    weightSum,
    totalWeight: committed.totalWeight,
  };
}

/** Whether `x` is a proof (not a reason). */
export function isWeightSumProof(x: WeightSumProof | NoWeightSumProof): x is WeightSumProof {
  return "leaves" in x;
}
