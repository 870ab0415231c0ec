import { expect } from "chai";
import {
  BOND,
  EPOCH,
  WINDOW,
  attributionTree,
  deployRewards,
  ethers,
  networkHelpers,
} from "../helpers/rewards.js";

const Status = { None: 0n, Pending: 1n, Challenged: 2n, Final: 3n, Voided: 4n };
const ROOT = ethers.id("root");

async function endedEpochFixture() {
  const f = await deployRewards();
  await networkHelpers.time.increase(EPOCH);
  return f;
}

async function committedFixture() {
  const f = await endedEpochFixture();
  await f.registry.connect(f.operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://table");
  return f;
}

async function challengedFixture() {
  const f = await committedFixture();
  await f.registry.connect(f.challenger).challenge(1, 0, "ipfs://reason");
  return f;
}

describe("AttributionRegistry", function () {
  describe("clock", function () {
    it("should start at epoch 0 with the configured length", async function () {
      const { registry } = await networkHelpers.loadFixture(deployRewards);
      expect(await registry.currentEpoch()).to.equal(0n);
      expect(await registry.epochLength()).to.equal(EPOCH);
      const start = await registry.epochStart(0);
      expect(await registry.epochEnd(0)).to.equal(start + EPOCH);
      expect(await registry.epochStart(5)).to.equal(start + 5n * EPOCH);
      const [e, s, end] = await registry.clock();
      expect([e, s, end]).to.deep.equal([0n, start, start + EPOCH]);
    });
  });

  describe("commitAttribution", function () {
    it("should store the commitment and emit AttributionCommitted", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(endedEpochFixture);
      const tree = attributionTree([[operator.address, 5n]]);
      const tx = registry.connect(operator).commitAttribution(1, 0, tree.root, 5, 2, "ipfs://t");
      const at = BigInt(await networkHelpers.time.latest()) + 1n;
      await expect(tx)
        .to.emit(registry, "AttributionCommitted")
        .withArgs(1, 0, tree.root, 5, 2, "ipfs://t", at + WINDOW);
      const c = await registry.commitment(1, 0);
      expect(c.root).to.equal(tree.root);
      expect(c.totalWeight).to.equal(5n);
      expect(c.methodId).to.equal(2n);
      expect(c.committedAt).to.equal(at);
      expect(c.status).to.equal(Status.Pending);
    });

    it("should revert when the caller is not an attribution operator", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(endedEpochFixture);
      await expect(registry.connect(stranger).commitAttribution(1, 0, ROOT, 1, 1, "u"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await registry.ATTRIBUTION_OPERATOR_ROLE());
    });

    it("should revert when the epoch has not ended", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(endedEpochFixture);
      await expect(registry.connect(operator).commitAttribution(1, 1, ROOT, 1, 1, "u"))
        .to.be.revertedWithCustomError(registry, "EpochNotEnded")
        .withArgs(1, 1);
    });

    it("should revert when the root is zero", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(endedEpochFixture);
      await expect(
        registry.connect(operator).commitAttribution(1, 0, ethers.ZeroHash, 1, 1, "u"),
      ).to.be.revertedWithCustomError(registry, "ZeroRoot");
    });

    it("should revert when the total weight is zero or above 2^128 - 1", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(endedEpochFixture);
      await expect(registry.connect(operator).commitAttribution(1, 0, ROOT, 0, 1, "u"))
        .to.be.revertedWithCustomError(registry, "InvalidTotalWeight")
        .withArgs(0);
      await expect(registry.connect(operator).commitAttribution(1, 0, ROOT, 2n ** 128n, 1, "u"))
        .to.be.revertedWithCustomError(registry, "InvalidTotalWeight")
        .withArgs(2n ** 128n);
    });

    it("should accept a model id the model registry does not know, without asking it", async function () {
      // The model-existence call cost 5,400 gas per commit; such a pair has no pool (a model
      // registered later is paid only from its registration epoch on, after every ended epoch).
      const { registry, operator } = await networkHelpers.loadFixture(endedEpochFixture);
      await expect(registry.connect(operator).commitAttribution(99, 0, ROOT, 1, 1, "u")).to.emit(
        registry,
        "AttributionCommitted",
      );
      expect(await registry.commitmentStatus(99, 0)).to.equal(Status.Pending);
    });

    it("should revert when the pair is already committed", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(committedFixture);
      await expect(registry.connect(operator).commitAttribution(1, 0, ROOT, 1, 1, "u"))
        .to.be.revertedWithCustomError(registry, "AlreadyCommitted")
        .withArgs(1, 0, Status.Pending);
    });
  });

  describe("challenge", function () {
    it("should freeze the commitment, pull the bond and emit AttributionChallenged", async function () {
      const { registry, token, challenger } = await networkHelpers.loadFixture(committedFixture);
      await expect(registry.connect(challenger).challenge(1, 0, "ipfs://why"))
        .to.emit(registry, "AttributionChallenged")
        .withArgs(1, 0, challenger.address, BOND, "ipfs://why");
      await expect(registry.connect(challenger).challenge(1, 0, "again")).to.be.revertedWithCustomError(
        registry,
        "NotChallengeable",
      );
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Challenged);
      expect(await token.balanceOf(await registry.getAddress())).to.equal(BOND);
      const c = await registry.challengeOf(1, 0);
      expect([c.challenger, c.bond]).to.deep.equal([challenger.address, BOND]);
      // Still frozen after the window: a challenged commitment never becomes final by itself.
      await networkHelpers.time.increase(WINDOW * 2n);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Challenged);
      await expect(registry.finalCommitment(1, 0))
        .to.be.revertedWithCustomError(registry, "NotFinal")
        .withArgs(1, 0, Status.Challenged);
    });

    it("should revert when there is no commitment", async function () {
      const { registry, challenger } = await networkHelpers.loadFixture(endedEpochFixture);
      await expect(registry.connect(challenger).challenge(1, 0, "r"))
        .to.be.revertedWithCustomError(registry, "NotChallengeable")
        .withArgs(1, 0, Status.None);
    });

    it("should revert when the window has closed", async function () {
      const { registry, challenger } = await networkHelpers.loadFixture(committedFixture);
      await networkHelpers.time.increase(WINDOW);
      await expect(registry.connect(challenger).challenge(1, 0, "r"))
        .to.be.revertedWithCustomError(registry, "NotChallengeable")
        .withArgs(1, 0, Status.Final);
    });

    it("should revert when the challenger has not approved the bond", async function () {
      const { registry, token, stranger } = await networkHelpers.loadFixture(committedFixture);
      await expect(registry.connect(stranger).challenge(1, 0, "r")).to.be.revertedWithCustomError(
        token,
        "ERC20InsufficientAllowance",
      );
    });
  });

  describe("resolveChallenge", function () {
    it("should make the commitment final and send the bond to the treasury when it stands", async function () {
      const { registry, token, admin, treasury } = await networkHelpers.loadFixture(challengedFixture);
      await expect(registry.connect(admin).resolveChallenge(1, 0, true))
        .to.emit(registry, "ChallengeResolved")
        .withArgs(1, 0, true, treasury.address, BOND);
      expect(await token.balanceOf(treasury.address)).to.equal(BOND);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Final);
      expect((await registry.finalCommitment(1, 0)).root).to.equal(ROOT);
    });

    it("should void the commitment, return the bond and allow a new commitment when rejected", async function () {
      const { registry, token, admin, operator, challenger } =
        await networkHelpers.loadFixture(challengedFixture);
      const before = await token.balanceOf(challenger.address);
      await expect(registry.connect(admin).resolveChallenge(1, 0, false))
        .to.emit(registry, "ChallengeResolved")
        .withArgs(1, 0, false, challenger.address, BOND);
      expect(await token.balanceOf(challenger.address)).to.equal(before + BOND);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Voided);
      const root2 = ethers.id("root2");
      await registry.connect(operator).commitAttribution(1, 0, root2, 7, 1, "u2");
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Pending);
      expect((await registry.commitment(1, 0)).root).to.equal(root2);
    });

    it("should revert when the commitment is not challenged", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(committedFixture);
      await expect(registry.connect(admin).resolveChallenge(1, 0, true))
        .to.be.revertedWithCustomError(registry, "NotChallenged")
        .withArgs(1, 0, Status.Pending);
    });

    it("should revert when the caller is not governance", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(challengedFixture);
      await expect(registry.connect(operator).resolveChallenge(1, 0, true)).to.be.revertedWithCustomError(
        registry,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("setEpochLength", function () {
    it("should take effect at the next epoch boundary and keep past epochs fixed", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(deployRewards);
      const start0 = await registry.epochStart(0);
      await expect(registry.connect(admin).setEpochLength(2n * EPOCH))
        .to.emit(registry, "EpochLengthChanged")
        .withArgs(2n * EPOCH, 1, start0 + EPOCH);
      expect(await registry.epochLength()).to.equal(EPOCH);
      expect(await registry.epochEnd(0)).to.equal(start0 + EPOCH);
      expect(await registry.epochEnd(1)).to.equal(start0 + 3n * EPOCH);
      // A second change in the same epoch replaces the pending one.
      await registry.connect(admin).setEpochLength(3n * EPOCH);
      expect(await registry.epochEnd(1)).to.equal(start0 + 4n * EPOCH);
      await networkHelpers.time.increaseTo(start0 + EPOCH);
      expect(await registry.currentEpoch()).to.equal(1n);
      expect(await registry.epochLength()).to.equal(3n * EPOCH);
      // Third segment from epoch 2: epochs 0 and 1 are found by binary search.
      await registry.connect(admin).setEpochLength(EPOCH);
      await networkHelpers.time.increaseTo(start0 + 4n * EPOCH);
      await registry.connect(admin).setEpochLength(2n * EPOCH);
      expect(await registry.epochStart(0)).to.equal(start0);
      expect(await registry.epochStart(1)).to.equal(start0 + EPOCH);
      expect(await registry.epochStart(2)).to.equal(start0 + 4n * EPOCH);
      expect(await registry.epochStart(3)).to.equal(start0 + 5n * EPOCH);
      expect(await registry.epochStart(4)).to.equal(start0 + 7n * EPOCH);
    });

    it("should revert when the length is out of range", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(deployRewards);
      await expect(registry.connect(admin).setEpochLength(60))
        .to.be.revertedWithCustomError(registry, "EpochLengthOutOfRange")
        .withArgs(60);
    });

    it("should revert when the caller is not governance", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(deployRewards);
      await expect(registry.connect(stranger).setEpochLength(EPOCH)).to.be.revertedWithCustomError(
        registry,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("setChallengeWindow / setChallengeBond / setTreasury", function () {
    it("should change the parameters and emit events", async function () {
      const { registry, admin, stranger } = await networkHelpers.loadFixture(deployRewards);
      await expect(registry.connect(admin).setChallengeWindow(7200))
        .to.emit(registry, "ChallengeWindowChanged")
        .withArgs(7200);
      await expect(registry.connect(admin).setChallengeBond(5))
        .to.emit(registry, "ChallengeBondChanged")
        .withArgs(5);
      await expect(registry.connect(admin).setTreasury(stranger.address))
        .to.emit(registry, "TreasuryChanged")
        .withArgs(stranger.address);
      expect([
        await registry.challengeWindow(),
        await registry.challengeBond(),
        await registry.treasury(),
      ]).to.deep.equal([7200n, 5n, stranger.address]);
    });

    it("should revert when a value is out of range", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(deployRewards);
      await expect(registry.connect(admin).setChallengeWindow(31n * 86400n)).to.be.revertedWithCustomError(
        registry,
        "ChallengeWindowOutOfRange",
      );
      await expect(registry.connect(admin).setChallengeBond(0)).to.be.revertedWithCustomError(
        registry,
        "ChallengeBondOutOfRange",
      );
      await expect(registry.connect(admin).setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
    });

    it("should revert when the caller is not governance", async function () {
      const { registry, stranger } = await networkHelpers.loadFixture(deployRewards);
      await expect(registry.connect(stranger).setChallengeBond(1)).to.be.revertedWithCustomError(
        registry,
        "AccessControlUnauthorizedAccount",
      );
    });
  });
});
