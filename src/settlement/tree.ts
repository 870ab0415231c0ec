/**
 * The settlement tree of a settlement: the Merkle tree whose root the settlement operator commits.
 * An indexed Merkle tree in OpenZeppelin StandardMerkleTree form: leaves sorted by account, each
 * `[tag, account, cumulativeAmount, nextAccount, prefixBefore]` (LeafLib.settlementLeaf), the first
 * the sentinel `[tag, 0x0, 0, firstAccount, 0]`, the last linking to `SETTLEMENT_LAST_LINK` with
 * `prefixBefore + cumulativeAmount == total`. The links make an omitted account provable (it lies
 * between a leaf and its link); the prefix sums tie every leaf to the posted total.
 */
import {
  FastMerkleTree,
  SETTLEMENT_LEAF_ENCODING,
  SETTLEMENT_LEAF_TAG,
  type LeafValues,
} from "../merkle/index.js";
import type { Settlement } from "./index.js";

/** The tree of settlement leaves (LeafLib.settlementLeaf). */
export type SettlementTree = FastMerkleTree<typeof SETTLEMENT_LEAF_ENCODING>;

/** The link of the last leaf (`SettlementChainLib.LAST_LINK`). */
export const SETTLEMENT_LAST_LINK = "0xffffffffffffffffffffffffffffffffffffffff";
/** The sentinel's account. */
export const SETTLEMENT_SENTINEL = "0x0000000000000000000000000000000000000000";

/** One settlement leaf, decoded. */
export interface SettlementLeaf {
  account: string;
  cumulativeAmount: bigint;
  nextAccount: string;
  prefixBefore: bigint;
}

/**
 * The linked leaves of a settlement's accounts, sentinel first (accounts ascending, lower-case).
 * @param accounts Distinct accounts with their cumulative amounts, in any order.
 * @throws Error when no account is owed anything (there is nothing to settle).
 */
export function settlementLeaves(
  accounts: readonly { account: string; cumulativeAmount: bigint }[],
): SettlementLeaf[] {
  if (accounts.length === 0) throw new Error("nothing to settle: no finalized pair pays anyone");
  // Lower-case 0x + 40 hex digits: string order is numeric order.
  const sorted = accounts
    .map((a) => ({ account: a.account.toLowerCase(), cumulativeAmount: a.cumulativeAmount }))
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  const leaves: SettlementLeaf[] = [
    { account: SETTLEMENT_SENTINEL, cumulativeAmount: 0n, nextAccount: sorted[0]!.account, prefixBefore: 0n },
  ];
  let prefix = 0n;
  sorted.forEach((a, i) => {
    leaves.push({
      account: a.account,
      cumulativeAmount: a.cumulativeAmount,
      nextAccount: sorted[i + 1]?.account ?? SETTLEMENT_LAST_LINK,
      prefixBefore: prefix,
    });
    prefix += a.cumulativeAmount;
  });
  return leaves;
}

/** The leaf values of `leaves` for the tree. */
export function settlementLeafRows(
  leaves: readonly SettlementLeaf[],
): LeafValues<typeof SETTLEMENT_LEAF_ENCODING>[] {
  return leaves.map((l) => [
    SETTLEMENT_LEAF_TAG,
    l.account,
    l.cumulativeAmount,
    l.nextAccount,
    l.prefixBefore,
  ]);
}

/**
 * The settlement tree of a settlement (the sentinel, then one leaf per account, ascending).
 * @throws Error when no account is owed anything (there is nothing to settle).
 */
export function settlementTree(settlement: Settlement): SettlementTree {
  return FastMerkleTree.of(
    settlementLeafRows(settlementLeaves(settlement.accounts)),
    SETTLEMENT_LEAF_ENCODING,
  );
}

/** The decoded leaf at `index` of a settlement tree. */
export function settlementLeafAt(tree: SettlementTree, index: number): SettlementLeaf {
  const [, account, cumulativeAmount, nextAccount, prefixBefore] = tree.at(index)!;
  return {
    account: String(account).toLowerCase(),
    cumulativeAmount: BigInt(cumulativeAmount),
    nextAccount: String(nextAccount).toLowerCase(),
    prefixBefore: BigInt(prefixBefore),
  };
}

/** Position of `account`'s leaf in a settlement tree, -1 when absent. */
export function accountIndex(tree: SettlementTree, account: string): number {
  const who = account.toLowerCase();
  for (let i = 0; i < tree.length; i++) if (String(tree.at(i)![1]).toLowerCase() === who) return i;
  return -1;
}

/** Position of the leaf whose gap holds `account` (leaf account < account < its link), -1 if none. */
export function gapIndex(tree: SettlementTree, account: string): number {
  const who = BigInt(account);
  for (let i = 0; i < tree.length; i++) {
    const row = tree.at(i)!;
    if (BigInt(String(row[1])) < who && who < BigInt(String(row[3]))) return i;
  }
  return -1;
}
