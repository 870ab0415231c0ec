import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256, concat, toUtf8Bytes } from "ethers";
import { SETTLEMENT_LEAF_ENCODING, SETTLEMENT_LEAF_TAG } from "../../src/merkle/index.js";
import { settlementLeafRows, settlementLeaves } from "../../src/settlement/tree.js";

/** One network connection for the rewards tests. The unoptimised default profile builds the
 * distributor above 24 KiB (the production build is ~19 KiB), so the simulated chain lifts the
 * size limit here only. */
// `create` (not `getOrCreate`): only it takes a config override.
export const connection = await network.create({
  override: { allowUnlimitedContractSize: true },
});
export const { ethers, networkHelpers } = connection;

export const E18 = 10n ** 18n;
export const SUPPLY = 1_000_000_000n * E18;
export const EPOCH = 86_400n;
export const WINDOW = 3_600n * 24n;
export const BOND = 100n * E18;
export const ROLL_DELAY = 7n * 86_400n;
export const PRICE = 2n * E18;
export const DEFAULT_SPLIT = { treasuryBps: 500, ownerBps: 2500, royaltyBps: 500, stakerBps: 500 };

/** Deploys token, mock model registry, attribution registry (without staking) and distributor
 * with default roles (a fixture: takes no arguments). */
export function deployRewards() {
  return deployRewardsWith();
}

/** As `deployRewards`; `stakingOf`, if given, deploys the staking contract the registry is built
 * with (it returns its address). */
export async function deployRewardsWith(
  stakingOf?: (token: string, admin: string, treasury: string) => Promise<string>,
) {
  const [
    admin,
    operator,
    settler,
    payer,
    owner,
    baseOwner,
    alice,
    bob,
    carol,
    challenger,
    treasury,
    stranger,
  ] = await ethers.getSigners();
  const token = await ethers.deployContract("OpenToken", ["OpenLedger", "OPEN", admin.address, SUPPLY]);
  const models = await ethers.deployContract("MockModelRegistry");
  const stakingAddress =
    stakingOf === undefined
      ? ethers.ZeroAddress
      : await stakingOf(await token.getAddress(), admin.address, treasury.address);
  const registry = await ethers.deployContract("AttributionRegistry", [
    await token.getAddress(),
    stakingAddress,
    admin.address,
    treasury.address,
    EPOCH,
    WINDOW,
    BOND,
  ]);
  const distributor = await ethers.deployContract("RewardDistributor", [
    await token.getAddress(),
    await models.getAddress(),
    await registry.getAddress(),
    admin.address,
    DEFAULT_SPLIT,
    ROLL_DELAY,
  ]);
  await registry.grantRole(await registry.ATTRIBUTION_OPERATOR_ROLE(), operator.address);
  await distributor.grantRole(await distributor.SETTLEMENT_OPERATOR_ROLE(), settler.address);
  // The shortest dispute window: tests let it pass (activateAfterWindow) without crossing epochs.
  await distributor.setDisputeWindow(3_600n);
  await models.setModel(1, owner.address, 0, PRICE);
  for (const s of [payer, challenger]) {
    await token.transfer(s.address, 1_000_000n * E18);
  }
  await token.connect(payer).approve(await distributor.getAddress(), 1_000_000n * E18);
  await token.connect(challenger).approve(await registry.getAddress(), 1_000_000n * E18);
  return {
    token,
    models,
    registry,
    distributor,
    admin,
    operator,
    settler,
    payer,
    owner,
    baseOwner,
    alice,
    bob,
    carol,
    challenger,
    treasury,
    stranger,
  };
}

/** Attribution tree of (contributor, weight) leaves, StandardMerkleTree encoding. */
export function attributionTree(entries: [string, bigint][]) {
  return StandardMerkleTree.of(entries, ["address", "uint256"]);
}

/**
 * Settlement tree of linked leaves (LeafLib.settlementLeaf: sentinel first, sorted by account, each
 * linking to the next with its prefix sum) over (account, cumulativeAmount) entries, built with
 * OpenZeppelin's StandardMerkleTree. `claimArgs(account, amount)` gives `claim`'s arguments for the
 * account's leaf (with another amount or account than the leaf's, to test refusals).
 */
export function settlementTree(entries: [string, bigint][]) {
  const leaves = settlementLeaves(
    entries.map(([account, cumulativeAmount]) => ({ account, cumulativeAmount })),
  );
  const rows = settlementLeafRows(leaves).map((r) => r.map(String));
  const tree = StandardMerkleTree.of(rows, [...SETTLEMENT_LEAF_ENCODING]);
  const indexOf = (account: string) => {
    const i = leaves.findIndex((l) => l.account === account.toLowerCase());
    if (i < 0) throw new Error(`${account} has no leaf in this test settlement`);
    return i;
  };
  return {
    root: tree.root,
    leaves,
    /** The leaf of `account`. */
    leaf: (account: string) => leaves[indexOf(account)]!,
    /** The proof of `account`'s leaf. */
    proofOf: (account: string) => tree.getProof(indexOf(account)),
    /** `claim(account, amount, nextAccount, prefixBefore, proof)` with the links and proof of `leafOf`'s leaf. */
    claimArgs: (account: string, amount: bigint, leafOf: string = account) => {
      const i = indexOf(leafOf);
      const l = leaves[i]!;
      return [account, amount, l.nextAccount, l.prefixBefore, tree.getProof(i)] as const;
    },
    /** `claimMany`'s item for `account`'s leaf. */
    claimItem: (account: string) => {
      const i = indexOf(account);
      const l = leaves[i]!;
      return { ...l, account, proof: tree.getProof(i) };
    },
    /** A `ProvenLeaf` of `account`'s leaf (disputes). */
    proven: (account: string) => {
      const i = indexOf(account);
      return { ...leaves[i]!, proof: tree.getProof(i) };
    },
  };
}

/** Lets the pending settlement's dispute window pass and activates it. */
export async function activateAfterWindow(distributor: {
  disputeWindow(): Promise<bigint>;
  activateSettlement(): Promise<unknown>;
}) {
  await networkHelpers.time.increase(await distributor.disputeWindow());
  await distributor.activateSettlement();
}

/** The settlement leaf hash (LeafLib.settlementLeaf). */
export function leafHash(account: string, amount: bigint, nextAccount: string, prefixBefore: bigint): string {
  return keccak256(
    keccak256(
      AbiCoder.defaultAbiCoder().encode(
        [...SETTLEMENT_LEAF_ENCODING],
        [SETTLEMENT_LEAF_TAG, account, amount, nextAccount, prefixBefore],
      ),
    ),
  );
}

function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** A Merkle path of `depth` pseudo-random (deterministic, so gas pins are exact) siblings above one leaf, and the root it leads to. A proof of
 * depth 20 costs the same to verify as one taken from a real tree of 2^20 = 1,048,576 leaves:
 * verification only hashes along the path. */
export function syntheticPath(
  account: string,
  amount: bigint,
  depth: number,
  nextAccount = "0xffffffffffffffffffffffffffffffffffffffff",
  prefixBefore = 0n,
) {
  const proof: string[] = [];
  let node = leafHash(account, amount, nextAccount, prefixBefore);
  for (let i = 0; i < depth; i++) {
    const sibling = keccak256(toUtf8Bytes(`sibling ${account} ${i}`));
    proof.push(sibling);
    node = hashPair(node, sibling);
  }
  return { root: node, proof };
}
