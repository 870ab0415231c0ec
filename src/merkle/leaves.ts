import {
  type Hex,
  type LeafType,
  type LeafValues,
  ATTRIBUTION_LEAF_ENCODING,
  SETTLEMENT_LEAF_ENCODING,
  SETTLEMENT_LEAF_TAG,
  VERSION_LEAF_ENCODING,
  hexOf,
  leafCodec,
} from "./encoding.js";
import { HASH_BYTES, keccak256Into } from "./keccak.js";

/**
 * The OpenZeppelin StandardMerkleTree leaf of `values`:
 * `keccak256(bytes.concat(keccak256(abi.encode(values...))))`.
 * @param leafEncoding The Solidity types, e.g. `["address", "uint256"]`.
 * @param values One value per type.
 * @returns The leaf hash.
 */
export function standardLeafHash<const E extends readonly LeafType[]>(
  leafEncoding: E,
  values: LeafValues<E>,
): Hex {
  const codec = leafCodec(leafEncoding);
  const encoded = Buffer.allocUnsafe(codec.size);
  codec.encodeInto(values, encoded, 0);
  const out = Buffer.allocUnsafe(HASH_BYTES);
  keccak256Into(encoded, out, 0);
  keccak256Into(out, out, 0);
  return hexOf(out, 0, HASH_BYTES);
}

/**
 * `LeafLib.versionLeaf`: one accepted contribution in a datanet version.
 * @param contributionId The contribution's id (bytes32).
 * @param contributor Who submitted it.
 * @param contentHash The content hash it was submitted with (bytes32).
 * @returns The leaf hash.
 */
export function versionLeaf(contributionId: string, contributor: string, contentHash: string): Hex {
  return standardLeafHash(VERSION_LEAF_ENCODING, [contributionId, contributor, contentHash]);
}

/**
 * `LeafLib.attributionLeaf`: a contributor's weight in one (model, epoch) commitment.
 * @param account The contributor.
 * @param weight Their weight.
 * @returns The leaf hash.
 */
export function attributionLeaf(account: string, weight: bigint | number | string): Hex {
  return standardLeafHash(ATTRIBUTION_LEAF_ENCODING, [account, weight]);
}

/**
 * `LeafLib.settlementLeaf`: everything an account was ever owed, linked to the next account.
 * @param account The account.
 * @param cumulativeAmount All it was owed so far, in OPEN's smallest unit.
 * @param nextAccount The next leaf's account (`SETTLEMENT_LAST_LINK` after the last).
 * @param prefixBefore Sum of the amounts of the leaves before it.
 * @returns The leaf hash.
 */
export function settlementLeaf(
  account: string,
  cumulativeAmount: bigint | number | string,
  nextAccount: string,
  prefixBefore: bigint | number | string,
): Hex {
  return standardLeafHash(SETTLEMENT_LEAF_ENCODING, [
    SETTLEMENT_LEAF_TAG,
    account,
    cumulativeAmount,
    nextAccount,
    prefixBefore,
  ]);
}
