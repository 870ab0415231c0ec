/** The settlement tree of a settlement: the Merkle tree whose root the settlement operator commits. */
import { FastMerkleTree, SETTLEMENT_LEAF_ENCODING } from "../merkle/index.js";
import type { Settlement } from "./index.js";

/** The tree of `[account, cumulativeAmount]` leaves (LeafLib.settlementLeaf). */
export type SettlementTree = FastMerkleTree<typeof SETTLEMENT_LEAF_ENCODING>;

/**
 * The settlement tree of a settlement (one leaf per account, in the settlement's account order).
 * @throws Error when no account is owed anything (there is nothing to settle).
 */
export function settlementTree(settlement: Settlement): SettlementTree {
  if (settlement.accounts.length === 0) throw new Error("nothing to settle: no finalized pair pays anyone");
  return FastMerkleTree.of(
    settlement.accounts.map((a) => [a.account, a.cumulativeAmount] as [string, bigint]),
    SETTLEMENT_LEAF_ENCODING,
  );
}

/** Position of `account`'s leaf in an `[address, uint256]` tree, -1 when absent. */
export function accountIndex(tree: FastMerkleTree<readonly ["address", "uint256"]>, account: string): number {
  const who = account.toLowerCase();
  for (let i = 0; i < tree.length; i++) if (String(tree.at(i)![0]).toLowerCase() === who) return i;
  return -1;
}
