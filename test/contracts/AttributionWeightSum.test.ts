import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { multiproofOrder, weightSumProof, isWeightSumProof } from "../../src/attribution/weight-sum.js";
import type { WeightTable } from "../../src/attribution/weights.js";
import { BOND, E18, EPOCH, WINDOW, deployRewards, ethers, networkHelpers } from "../helpers/rewards.js";
import { wiredFixture } from "../helpers/staking.js";

const Status = { None: 0n, Pending: 1n, Challenged: 2n, Final: 3n, Voided: 4n };

function tableOf(
  modelId: bigint,
  epoch: bigint,
  entries: [string, bigint][],
  totalWeight: bigint,
): WeightTable {
  return {
    modelId,
    epoch,
    method: "span-match" as const,
    minSpan: null,
    totalWeight,
    entries: entries.map(([contributor, weight]) => ({
      contributor: contributor.toLowerCase(),
      contributions: [],
      weight,
    })),
  };
}

function rootOf(entries: [string, bigint][]): string {
  return StandardMerkleTree.of(entries, ["address", "uint256"]).root;
}

/** The leaves in multiproof order, as `proveWeightSum` takes them. */
function reveal(entries: [string, bigint][]) {
  return multiproofOrder(tableOf(0n, 0n, entries, 1n));
}

/** The slash case of a weight-sum proof: the commitment (pair, commit time, root) and the void time. */
function caseIdOf(modelId: bigint, epoch: bigint, committedAt: bigint, root: string, at: bigint): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "uint256", "uint256", "bytes32", "uint256"],
      [modelId, epoch, committedAt, root, at],
    ),
  );
}

/** Staking wired; the operator commits (1, 0) with leaves summing to 90 under a total of 100. */
async function shortFixture() {
  const f = await wiredFixture();
  const [a, b, c] = [f.alice.address, f.bob.address, f.carol.address];
  const entries: [string, bigint][] = [
    [a, 50n],
    [b, 30n],
    [c, 10n],
  ];
  await f.registry.connect(f.operator).commitAttribution(1, 0, rootOf(entries), 100, 1, "ipfs://t");
  return { ...f, entries };
}

async function shortChallengedFixture() {
  const f = await shortFixture();
  await f.registry.connect(f.challenger).challenge(1, 0, "ipfs://why");
  return f;
}

/** No staking; the operator commits (1, 0) with leaves summing to 140 under a total of 100. */
async function overFixture() {
  const f = await deployRewards();
  await networkHelpers.time.increase(EPOCH);
  const entries: [string, bigint][] = [
    [f.alice.address, 70n],
    [f.bob.address, 70n],
  ];
  await f.registry.connect(f.operator).commitAttribution(1, 0, rootOf(entries), 100, 1, "ipfs://t");
  return { ...f, entries };
}

describe("AttributionRegistry.proveWeightSum", function () {
  describe("multiproof order", function () {
    it("multiproofOrder should give OpenZeppelin's multiproof of every leaf: its leaves, an empty proof, all-true flags", async function () {
      const [, ...signers] = await ethers.getSigners();
      for (const n of [1, 2, 3, 5, 8, 13]) {
        const entries = signers.slice(0, n).map((s, i) => [s.address, BigInt(i * 7 + 1)] as [string, bigint]);
        const tree = StandardMerkleTree.of(entries, ["address", "uint256"]);
        const multi = tree.getMultiProof(entries.map((_, i) => i));
        expect(multi.proof).to.deep.equal([]);
        expect(multi.proofFlags.every((x) => x)).to.equal(true);
        expect(reveal(entries)).to.deep.equal(
          multi.leaves.map(([a, w]) => ({
            contributor: String(a).toLowerCase(),
            weight: BigInt(w as bigint),
          })),
        );
      }
    });
  });

  describe("success", function () {
    it("should void a Pending commitment whose weights sum below the total, slash the operator's pool and reward the prover", async function () {
      const { registry, staking, token, operator, stranger, treasury, entries } =
        await networkHelpers.loadFixture(shortFixture);
      const before = await registry.commitment(1, 0);
      const p0 = await token.balanceOf(stranger.address);
      const t0 = await token.balanceOf(treasury.address);
      const r0 = await token.balanceOf(await registry.getAddress());
      const tx = registry.connect(stranger).proveWeightSum(1, 0, reveal(entries));
      const at = BigInt(await networkHelpers.time.latest()) + 1n;
      await expect(tx)
        .to.emit(registry, "WeightSumProven")
        .withArgs(1, 0, stranger.address, 90n, 100n, 3n)
        .and.to.emit(staking, "Slashed")
        .withArgs(
          operator.address,
          await registry.getAddress(),
          caseIdOf(1n, 0n, before.committedAt, before.root, at),
          stranger.address,
          1_000n * E18,
          100n * E18,
          900n * E18,
        )
        .and.not.to.emit(registry, "ChallengeResolved");
      const after = await registry.commitment(1, 0);
      expect(after.status).to.equal(Status.Voided);
      expect(after.finalAt).to.equal(at);
      // Nothing else of the commitment changed.
      expect([
        after.root,
        after.totalWeight,
        after.committedAt,
        after.methodId,
        after.operatorPoolId,
      ]).to.deep.equal([
        before.root,
        before.totalWeight,
        before.committedAt,
        before.methodId,
        before.operatorPoolId,
      ]);
      const [status, since] = await registry.commitWindowStart(1, 0);
      expect([status, since]).to.deep.equal([Status.Voided, at]);
      expect(await token.balanceOf(stranger.address)).to.equal(p0 + 100n * E18);
      expect(await token.balanceOf(treasury.address)).to.equal(t0 + 900n * E18);
      expect(await token.balanceOf(await registry.getAddress())).to.equal(r0);
      expect((await staking.pool(operator.address)).assets).to.equal(9_000n * E18);
    });

    it("should void a Challenged commitment and give the challenger its bond back, the slash's reward to the prover", async function () {
      const { registry, staking, token, challenger, stranger, entries } =
        await networkHelpers.loadFixture(shortChallengedFixture);
      const c0 = await token.balanceOf(challenger.address);
      const p0 = await token.balanceOf(stranger.address);
      await expect(registry.connect(stranger).proveWeightSum(1, 0, reveal(entries)))
        .to.emit(registry, "WeightSumProven")
        .withArgs(1, 0, stranger.address, 90n, 100n, 3n)
        .and.to.emit(registry, "ChallengeResolved")
        .withArgs(1, 0, false, challenger.address, BOND)
        .and.to.emit(staking, "Slashed");
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Voided);
      expect((await registry.challengeOf(1, 0)).challenger).to.equal(ethers.ZeroAddress);
      expect(await token.balanceOf(challenger.address)).to.equal(c0 + BOND);
      expect(await token.balanceOf(stranger.address)).to.equal(p0 + 100n * E18);
      expect(await token.balanceOf(await registry.getAddress())).to.equal(0n);
      // Governance has nothing left to resolve.
      await expect(registry.resolveChallenge(1, 0, false))
        .to.be.revertedWithCustomError(registry, "NotChallenged")
        .withArgs(1, 0, Status.Voided);
    });

    it("should slash again a re-commit of the same root made in the block of the void, proven in a later block", async function () {
      const { registry, staking, operator, stranger, entries } =
        await networkHelpers.loadFixture(shortFixture);
      const root = rootOf(entries);
      await staking.connect(operator).stake(operator.address, 10_000n * E18);
      await networkHelpers.mine();
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        const fees = await ethers.provider.getFeeData();
        const high = { maxFeePerGas: fees.maxFeePerGas! * 2n, maxPriorityFeePerGas: fees.maxFeePerGas! };
        const proof = await registry.connect(stranger).proveWeightSum(1, 0, reveal(entries), high);
        const recommit = await registry
          .connect(operator)
          .commitAttribution(1, 0, root, 100, 1, "ipfs://again");
        await networkHelpers.mine();
        const [p, c] = [await proof.wait(), await recommit.wait()];
        expect(p!.blockNumber).to.equal(c!.blockNumber);
        expect(p!.index).to.be.lessThan(c!.index);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      // Same pair, root and commit time as the voided one: the proof's case differs by its void time.
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Pending);
      await expect(registry.connect(stranger).proveWeightSum(1, 0, reveal(entries)))
        .to.emit(registry, "WeightSumProven")
        .and.to.emit(staking, "Slashed");
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Voided);
    });

    it("should void without a slash when the registry has no staking, and let the operator commit again", async function () {
      const { registry, operator, stranger, entries, alice } = await networkHelpers.loadFixture(overFixture);
      await expect(registry.connect(stranger).proveWeightSum(1, 0, reveal(entries)))
        .to.emit(registry, "WeightSumProven")
        .withArgs(1, 0, stranger.address, 140n, 100n, 2n);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Voided);
      const honest: [string, bigint][] = [[alice.address, 100n]];
      await expect(
        registry.connect(operator).commitAttribution(1, 0, rootOf(honest), 100, 1, "ipfs://t2"),
      ).to.emit(registry, "AttributionCommitted");
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Pending);
    });

    it("should prove a one-leaf tree (the root is the leaf) and count a weight of 2^256-1 as 2^128 without overflow", async function () {
      const { registry, operator, stranger, alice, bob } = await networkHelpers.loadFixture(overFixture);
      const one: [string, bigint][] = [[alice.address, 99n]];
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 1, rootOf(one), 100, 1, "ipfs://t");
      await expect(registry.connect(stranger).proveWeightSum(1, 1, reveal(one)))
        .to.emit(registry, "WeightSumProven")
        .withArgs(1, 1, stranger.address, 99n, 100n, 1n);
      // Weights that wrap to the total modulo 2^256 still prove: 2^256-1 + 101 = 100 (mod 2^256).
      const wrap: [string, bigint][] = [
        [alice.address, ethers.MaxUint256],
        [bob.address, 101n],
      ];
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 2, rootOf(wrap), 100, 1, "ipfs://t");
      await expect(registry.connect(stranger).proveWeightSum(1, 2, reveal(wrap)))
        .to.emit(registry, "WeightSumProven")
        .withArgs(1, 2, stranger.address, (1n << 128n) + 101n, 100n, 2n);
    });
  });

  describe("reverts (nothing changes)", function () {
    it("should revert NotProvable for a pair with no commitment", async function () {
      const { registry, stranger, entries } = await networkHelpers.loadFixture(shortFixture);
      await expect(registry.connect(stranger).proveWeightSum(1, 7, reveal(entries)))
        .to.be.revertedWithCustomError(registry, "NotProvable")
        .withArgs(1, 7, Status.None);
    });

    it("should revert NotProvable once the commitment is Final (window passed, or challenge deadline passed)", async function () {
      const { registry, stranger, entries } = await networkHelpers.loadFixture(shortFixture);
      await networkHelpers.time.increase(WINDOW);
      await expect(registry.connect(stranger).proveWeightSum(1, 0, reveal(entries)))
        .to.be.revertedWithCustomError(registry, "NotProvable")
        .withArgs(1, 0, Status.Final);
      const c = await networkHelpers.loadFixture(shortChallengedFixture);
      await networkHelpers.time.increase(await c.registry.challengeResolutionPeriod());
      await expect(c.registry.connect(c.stranger).proveWeightSum(1, 0, reveal(c.entries)))
        .to.be.revertedWithCustomError(c.registry, "NotProvable")
        .withArgs(1, 0, Status.Final);
    });

    it("should revert NotProvable for a Voided commitment (a second proof cannot slash twice)", async function () {
      const { registry, stranger, entries } = await networkHelpers.loadFixture(shortFixture);
      await registry.connect(stranger).proveWeightSum(1, 0, reveal(entries));
      await expect(registry.connect(stranger).proveWeightSum(1, 0, reveal(entries)))
        .to.be.revertedWithCustomError(registry, "NotProvable")
        .withArgs(1, 0, Status.Voided);
    });

    it("should revert NoLeaves for an empty reveal", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(shortFixture);
      await expect(registry.connect(stranger).proveWeightSum(1, 0, [])).to.be.revertedWithCustomError(
        registry,
        "NoLeaves",
      );
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Pending);
    });

    it("should revert NotWholeTree for a subset of the leaves, another order, or a changed weight", async function () {
      const { registry, stranger, entries } = await networkHelpers.loadFixture(shortFixture);
      const leaves = reveal(entries);
      const root = rootOf(entries);
      const attempts = [
        leaves.slice(0, 2),
        // (Swapping two sibling leaves keeps the root, commutative hashing: still the whole tree.)
        [leaves[2], leaves[0], leaves[1]],
        leaves.map((l, i) => ({ ...l, weight: i === 0 ? l.weight + 10n : l.weight })),
      ];
      for (const attempt of attempts) {
        await expect(registry.connect(stranger).proveWeightSum(1, 0, attempt))
          .to.be.revertedWithCustomError(registry, "NotWholeTree")
          .withArgs(1, 0, (x: string) => x !== root, root);
      }
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Pending);
    });

    it("should revert WeightSumMatches for an honest tree", async function () {
      const { registry, operator, stranger, alice, bob } = await networkHelpers.loadFixture(overFixture);
      const honest: [string, bigint][] = [
        [alice.address, 60n],
        [bob.address, 40n],
      ];
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 1, rootOf(honest), 100, 1, "ipfs://t");
      await expect(registry.connect(stranger).proveWeightSum(1, 1, reveal(honest)))
        .to.be.revertedWithCustomError(registry, "WeightSumMatches")
        .withArgs(1, 1, 100n);
      expect(await registry.commitmentStatus(1, 1)).to.equal(Status.Pending);
    });
  });

  describe("property: an honest table cannot be proven", function () {
    it("proveWeightSum should revert WeightSumMatches for 40 random honest tables, and weightSumProof find nothing", async function () {
      const { registry, operator, stranger } = await networkHelpers.loadFixture(overFixture);
      let seed = 0x2545f491n;
      const next = (mod: bigint): bigint => {
        seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
        return (seed >> 16n) % mod;
      };
      for (let k = 0; k < 40; k++) {
        const n = Number(next(24n)) + 1;
        const entries: [string, bigint][] = [];
        for (let i = 0; i < n; i++) {
          const account = ethers.getAddress(`0x${(next(1n << 64n) + 1n).toString(16).padStart(40, "0")}`);
          entries.push([account, next(k % 2 === 0 ? 10n : 1n << 100n)]);
        }
        const total = entries.reduce((acc, [, w]) => acc + w, 0n) || 0n;
        if (total === 0n) entries[0][1] = 1n;
        const sum = entries.reduce((acc, [, w]) => acc + w, 0n);
        const model = BigInt(100 + k);
        const root = rootOf(entries);
        expect(
          isWeightSumProof(weightSumProof(tableOf(model, 0n, entries, sum), { root, totalWeight: sum })),
        ).to.equal(false);
        await registry.connect(operator).commitAttribution(model, 0, root, sum, 1, "ipfs://t");
        await expect(registry.connect(stranger).proveWeightSum(model, 0, reveal(entries)))
          .to.be.revertedWithCustomError(registry, "WeightSumMatches")
          .withArgs(model, 0, sum);
      }
    });
  });
});
