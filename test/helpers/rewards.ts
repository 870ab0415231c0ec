import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256, concat, toUtf8Bytes } from "ethers";

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

/** Settlement tree of (account, cumulativeAmount) leaves, StandardMerkleTree encoding. */
export function settlementTree(entries: [string, bigint][]) {
  return StandardMerkleTree.of(entries, ["address", "uint256"]);
}

/** The StandardMerkleTree leaf hash of (address, uint256). */
export function leafHash(account: string, amount: bigint): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [account, amount])));
}

function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** A Merkle path of `depth` pseudo-random (deterministic, so gas pins are exact) siblings above one leaf, and the root it leads to. A proof of
 * depth 20 costs the same to verify as one taken from a real tree of 2^20 = 1,048,576 leaves:
 * verification only hashes along the path. */
export function syntheticPath(account: string, amount: bigint, depth: number) {
  const proof: string[] = [];
  let node = leafHash(account, amount);
  for (let i = 0; i < depth; i++) {
    const sibling = keccak256(toUtf8Bytes(`sibling ${account} ${i}`));
    proof.push(sibling);
    node = hashPair(node, sibling);
  }
  return { root: node, proof };
}
