import { expect } from "chai";
import {
  EPOCH,
  PRICE,
  WINDOW,
  attributionTree,
  deployRewards,
  ethers,
  networkHelpers,
  settlementTree,
  activateAfterWindow,
} from "../helpers/rewards.js";

const { loadFixture, time } = networkHelpers;
const DAY = 86_400n;

/** The rewards suite with a guardian on both money contracts, a paid epoch 0 and its commitment. */
async function pausableFixture() {
  const f = await deployRewards();
  const { registry, distributor, admin, carol: guardian } = f;
  await registry.connect(admin).grantRole(await registry.GUARDIAN_ROLE(), guardian.address);
  await distributor.connect(admin).grantRole(await distributor.GUARDIAN_ROLE(), guardian.address);
  await distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256); // epoch 0, caches the clock
  return { ...f, guardian };
}

describe("Emergency pause of the money contracts", function () {
  describe("roles", function () {
    it("should make GOVERNANCE_ROLE the admin of GUARDIAN_ROLE on both contracts", async function () {
      const { registry, distributor } = await loadFixture(pausableFixture);
      for (const c of [registry, distributor]) {
        expect(await c.getRoleAdmin(await c.GUARDIAN_ROLE())).to.equal(await c.GOVERNANCE_ROLE());
      }
    });

    it("should revert when a non-guardian pauses either contract", async function () {
      const { registry, distributor, admin, stranger } = await loadFixture(pausableFixture);
      for (const c of [registry, distributor]) {
        for (const who of [admin, stranger]) {
          await expect(c.connect(who).pause())
            .to.be.revertedWithCustomError(c, "AccessControlUnauthorizedAccount")
            .withArgs(who.address, await c.GUARDIAN_ROLE());
        }
        expect(await c.paused()).to.equal(false);
      }
    });
  });

  describe("RewardDistributor", function () {
    it("should refuse pay and payWithPermit mid-epoch, although the epoch is cached", async function () {
      const { distributor, guardian, payer } = await loadFixture(pausableFixture);
      await distributor.connect(guardian).pause();
      const until = await distributor.pausedUntil();
      const before = await distributor.books();
      await expect(distributor.connect(payer).pay(1, 1, ethers.MaxUint256))
        .to.be.revertedWithCustomError(distributor, "PausedByGuardian")
        .withArgs(until);
      await expect(
        distributor.connect(payer).payWithPermit(1, 1, PRICE, 0, 27, ethers.ZeroHash, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(distributor, "PausedByGuardian")
        .withArgs(until);
      expect(await distributor.books()).to.deep.equal(before);
    });

    it("should keep refusing payments after finalize or rollForward read the clock during the pause", async function () {
      const { registry, distributor, guardian, operator, payer } = await loadFixture(pausableFixture);
      await time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, ethers.id("root"), 1, 1, "u");
      await time.increase(WINDOW);
      await distributor.connect(guardian).pause();
      await distributor.finalize(1, 0); // reads the current epoch: must not refill the cache
      await expect(distributor.connect(payer).pay(1, 1, ethers.MaxUint256)).to.be.revertedWithCustomError(
        distributor,
        "PausedByGuardian",
      );
    });

    it("should refuse commitSettlement but never claims, finalisation or withdrawals", async function () {
      const { registry, distributor, token, guardian, operator, settler, owner, alice, bob } =
        await loadFixture(pausableFixture);
      const pool = (PRICE * 10n * 6_000n) / 10_000n;
      const tree = attributionTree([
        [alice.address, 3n],
        [bob.address, 1n],
      ]);
      await time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, tree.root, 4, 1, "u");
      await time.increase(WINDOW);
      await distributor.finalize(1, 0);
      const settlement = settlementTree([
        [alice.address, (pool * 3n) / 4n],
        [bob.address, pool / 4n],
      ]);
      await distributor
        .connect(settler)
        .commitSettlement(settlement.root, pool, await distributor.finalizeSeq(), "u");
      await activateAfterWindow(distributor);

      await distributor.connect(guardian).pause();
      await expect(
        distributor
          .connect(settler)
          .commitSettlement(ethers.id("later"), pool, await distributor.finalizeSeq(), "u"),
      ).to.be.revertedWithCustomError(distributor, "PausedByGuardian");
      // Claims and withdrawals of what is owed go on.
      const aliceAmount = (pool * 3n) / 4n;
      const aliceBefore = await token.balanceOf(alice.address);
      await distributor.claim(...settlement.claimArgs(alice.address, aliceAmount));
      expect(await token.balanceOf(alice.address)).to.equal(aliceBefore + aliceAmount);
      await expect(distributor.connect(owner).withdrawOwnerEarnings(1, owner.address)).to.emit(
        distributor,
        "OwnerEarningsWithdrawn",
      );
    });

    it("should take payments again when the pause expires, and when governance lifts it", async function () {
      const { distributor, guardian, admin, payer } = await loadFixture(pausableFixture);
      await distributor.connect(guardian).pause();
      await time.increaseTo(await distributor.pausedUntil());
      await expect(distributor.connect(payer).pay(1, 1, ethers.MaxUint256)).to.emit(distributor, "Paid");

      await time.increase(7n * DAY);
      await distributor.connect(guardian).pause();
      await expect(distributor.connect(admin).unpause()).to.emit(distributor, "Unpaused");
      await expect(distributor.connect(payer).pay(1, 1, ethers.MaxUint256)).to.emit(distributor, "Paid");
    });
  });

  describe("AttributionRegistry", function () {
    it("should refuse commitAttribution while paused, but not challenges or their resolution", async function () {
      const { registry, guardian, operator, challenger, admin } = await loadFixture(pausableFixture);
      await time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, ethers.id("root"), 1, 1, "u");
      const clockBefore = await registry.clock();
      await registry.connect(guardian).pause();
      const until = await registry.pausedUntil();
      await expect(registry.connect(operator).commitAttribution(1, 1, ethers.id("r1"), 1, 1, "u"))
        .to.be.revertedWithCustomError(registry, "PausedByGuardian")
        .withArgs(until);
      expect(await registry.commitmentStatus(1, 1)).to.equal(0n);
      await expect(registry.connect(challenger).challenge(1, 0, "ipfs://why")).to.emit(
        registry,
        "AttributionChallenged",
      );
      await expect(registry.connect(admin).resolveChallenge(1, 0, false)).to.emit(
        registry,
        "ChallengeResolved",
      );
      // The pause end shares the clock's slot: the clock is untouched.
      expect(await registry.clock()).to.deep.equal(clockBefore);
      expect(await registry.challengeWindow()).to.equal(WINDOW);
    });

    it("should accept commitments again once the pause expires", async function () {
      const { registry, guardian, operator } = await loadFixture(pausableFixture);
      await registry.connect(guardian).pause();
      await time.increaseTo(await registry.pausedUntil());
      await expect(registry.connect(operator).commitAttribution(1, 0, ethers.id("r"), 1, 1, "u")).to.emit(
        registry,
        "AttributionCommitted",
      );
    });
  });
});
