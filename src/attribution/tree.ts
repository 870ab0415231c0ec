/** The attribution tree of a weight table: the Merkle tree whose root the operator commits. */
import { ATTRIBUTION_LEAF_ENCODING, FastMerkleTree } from "../merkle/index.js";
import type { WeightTable } from "./weights.js";

/** The tree of `[contributor, weight]` leaves (LeafLib.attributionLeaf). */
export type AttributionTree = FastMerkleTree<typeof ATTRIBUTION_LEAF_ENCODING>;

/**
 * The attribution tree of a weight table (`[contributor, weight]` leaves, in table order).
 * @throws Error when the table is empty (there is nothing to commit).
 */
export function attributionTree(table: WeightTable): AttributionTree {
  if (table.entries.length === 0)
    throw new Error(`model ${table.modelId} epoch ${table.epoch}: the table is empty, nothing to commit`);
  return FastMerkleTree.of(
    table.entries.map((e) => [e.contributor, e.weight] as [string, bigint]),
    ATTRIBUTION_LEAF_ENCODING,
  );
}
