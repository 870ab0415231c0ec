import { expect } from "chai";
import { signPermit } from "../../src/sdk/payments.js";
import {
  BOND,
  E18,
  EPOCH,
  ROLL_DELAY,
  WINDOW,
  attributionTree,
  deployRewards,
  ethers,
  networkHelpers,
  settlementTree,
  activateAfterWindow,
} from "../helpers/rewards.js";

/**
 * The findings of the money-path review (issue 13), one `describe` each: every test reproduces the
 * attack as it was found and shows the fixed contracts refuse it.
 */

/** Models 1 and 2 paid in epoch 0, both committed with alice 3 / bob 1 and final (pools 12 OPEN each). */
async function twoFinalPairsFixture() {
  const f = await deployRewards();
  await f.models.setModel(2, f.owner.address, 0, 2n * E18);
  await f.distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256);
  await f.distributor.connect(f.payer).pay(2, 10, ethers.MaxUint256);
  const tree = attributionTree([
    [f.alice.address, 3n],
    [f.bob.address, 1n],
  ]);
  await networkHelpers.time.increase(EPOCH);
  await f.registry.connect(f.operator).commitAttribution(1, 0, tree.root, 4, 1, "ipfs://t1");
  await f.registry.connect(f.operator).commitAttribution(2, 0, tree.root, 4, 1, "ipfs://t2");
  await networkHelpers.time.increase(WINDOW);
  return { ...f, tree };
}

const POOL = 12n * E18;
const Status = { None: 0n, Pending: 1n, Challenged: 2n, Final: 3n, Voided: 4n };

describe("Money-path hardening (issue 13)", function () {
  describe("finding 1: a finalisation just before commitSettlement makes the root cover a pair it does not pay", function () {
    it("should refuse a root whose snapshot misses a pair finalised since, keeping that pair on the direct path", async function () {
      const { distributor, settler, alice, bob, tree } =
        await networkHelpers.loadFixture(twoFinalPairsFixture);
      // The operator's snapshot: pair (1, 0) finalised with sequence 1; its root pays that pair only.
      await distributor.finalize(1, 0);
      const snapshotSeq = await distributor.finalizeSeq();
      const s = settlementTree([
        [alice.address, 9n * E18],
        [bob.address, 3n * E18],
      ]);
      // A co-contributor's direct claim of pair (2, 0) lands first and finalises it (sequence 2).
      await distributor.claimDirect(alice.address, 2, 0, 3, tree.getProof([alice.address, 3n]));
      // A root must cover every finalised pair (its total is then bounded by exactly what it covers):
      // the stale snapshot is refused, the operator recomputes.
      await expect(distributor.connect(settler).commitSettlement(s.root, POOL, snapshotSeq, "u"))
        .to.be.revertedWithCustomError(distributor, "CoverageNotCurrent")
        .withArgs(1, 2);
      expect((await distributor.pendingSettlement()).activatesAt).to.equal(0n);
      // Bob, the pair's other contributor, still claims directly.
      await expect(distributor.claimDirect(bob.address, 2, 0, 1, tree.getProof([bob.address, 1n])))
        .to.emit(distributor, "DirectClaimed")
        .withArgs(bob.address, 2, 0, 1, 3n * E18);
    });

    it("should revert when the stated coverage is ahead of the finalised pairs, and change nothing", async function () {
      const { distributor, settler } = await networkHelpers.loadFixture(twoFinalPairsFixture);
      await distributor.finalize(1, 0);
      await expect(distributor.connect(settler).commitSettlement(ethers.id("s"), POOL, 2, "u"))
        .to.be.revertedWithCustomError(distributor, "CoverageNotCurrent")
        .withArgs(2, 1);
      expect((await distributor.latestSettlement()).id).to.equal(0n);
    });

    it("should revert when the stated coverage is below the previous settlement's", async function () {
      const { distributor, settler } = await networkHelpers.loadFixture(twoFinalPairsFixture);
      await distributor.finalize(1, 0);
      await distributor.finalize(2, 0);
      await distributor.connect(settler).commitSettlement(ethers.id("s"), POOL, 2, "u");
      await activateAfterWindow(distributor);
      await expect(distributor.connect(settler).commitSettlement(ethers.id("t"), POOL, 1, "u"))
        .to.be.revertedWithCustomError(distributor, "CoverageNotCurrent")
        .withArgs(1, 2);
    });
  });

  describe("finding 2: a voided pair is rolled forward before its re-commit", function () {
    /** Model 1's epoch 0 committed, challenged and voided by governance 8 days after the epoch ended. */
    async function voidedFixture() {
      const f = await deployRewards();
      await f.distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256);
      const tree = attributionTree([
        [f.alice.address, 3n],
        [f.bob.address, 1n],
      ]);
      await networkHelpers.time.increase(EPOCH);
      await f.registry.connect(f.operator).commitAttribution(1, 0, ethers.id("wrong"), 4, 1, "ipfs://bad");
      await f.registry.connect(f.challenger).challenge(1, 0, "ipfs://why");
      await networkHelpers.time.increase(8n * 86_400n); // longer than the 7-day roll-forward delay
      await f.registry.resolveChallenge(1, 0, false);
      const voidedAt = BigInt(await networkHelpers.time.latest());
      return { ...f, tree, voidedAt };
    }

    it("should refuse rollForward until the re-commit window has passed since the void", async function () {
      const { distributor, registry, voidedAt } = await networkHelpers.loadFixture(voidedFixture);
      expect((await registry.commitment(1, 0)).finalAt).to.equal(voidedAt);
      await expect(distributor.rollForward(1, 0))
        .to.be.revertedWithCustomError(distributor, "NotRollable")
        .withArgs(1, 0, voidedAt + ROLL_DELAY, 4);
    });

    it("should let the operator re-commit and the pair's contributors be paid the whole pool", async function () {
      const { distributor, registry, operator, alice, tree } =
        await networkHelpers.loadFixture(voidedFixture);
      await registry.connect(operator).commitAttribution(1, 0, tree.root, 4, 1, "ipfs://good");
      await networkHelpers.time.increase(WINDOW);
      await expect(distributor.claimDirect(alice.address, 1, 0, 3, tree.getProof([alice.address, 3n])))
        .to.emit(distributor, "DirectClaimed")
        .withArgs(alice.address, 1, 0, 3, 9n * E18);
    });

    it("should roll the pool once the re-commit window passed without a commit", async function () {
      const { distributor, voidedAt } = await networkHelpers.loadFixture(voidedFixture);
      await networkHelpers.time.increaseTo(voidedAt + ROLL_DELAY);
      await expect(distributor.rollForward(1, 0)).to.emit(distributor, "RolledForward");
    });
  });

  describe("finding 3: a guardian pause of commitAttribution runs down the roll-forward clock", function () {
    /** Model 1 paid in epoch 0; commits paused for 7 days from the end of epoch 0. */
    async function pausedFixture() {
      const f = await deployRewards();
      await f.distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256);
      await f.registry.grantRole(await f.registry.GUARDIAN_ROLE(), f.admin.address);
      await networkHelpers.time.increaseTo((await f.registry.epochEnd(0)) + 1n);
      await f.registry.pause();
      const pausedUntil = await f.registry.pausedUntil();
      return { ...f, pausedUntil };
    }

    it("should refuse rollForward until the delay has passed after the pause ended", async function () {
      const { distributor, registry, pausedUntil } = await networkHelpers.loadFixture(pausedFixture);
      // Past the epoch end + delay (rollable on the old code), the operator was paused all along.
      await networkHelpers.time.increaseTo(pausedUntil + 1n);
      expect((await registry.epochEnd(0)) + ROLL_DELAY).to.be.lessThan(pausedUntil + 1n);
      await expect(distributor.rollForward(1, 0))
        .to.be.revertedWithCustomError(distributor, "NotRollable")
        .withArgs(1, 0, pausedUntil + ROLL_DELAY, 0);
    });

    it("should count from an early unpause, and roll once the delay passed", async function () {
      const { distributor, registry } = await networkHelpers.loadFixture(pausedFixture);
      await networkHelpers.time.increase(86_400n);
      await registry.unpause();
      const unpausedAt = BigInt(await networkHelpers.time.latest());
      const [, since] = await registry.commitWindowStart(1, 0);
      expect(since).to.equal(unpausedAt);
      await networkHelpers.time.increaseTo(unpausedAt + ROLL_DELAY);
      await expect(distributor.rollForward(1, 0)).to.emit(distributor, "RolledForward");
    });
  });

  describe("finding 11: a table that counts a Final but not yet finalised pair pays that account twice", function () {
    it("should refuse the direct claim of an account paid by the live settlement", async function () {
      const { distributor, settler, alice, bob, tree } =
        await networkHelpers.loadFixture(twoFinalPairsFixture);
      await distributor.finalize(1, 0);
      // The table counts pair (2, 0), Final but not finalised: alice 18, bob 6 instead of 9 / 3.
      const s = settlementTree([
        [alice.address, 18n * E18],
        [bob.address, 6n * E18],
      ]);
      await distributor.connect(settler).commitSettlement(s.root, POOL, 1, "u");
      await activateAfterWindow(distributor);
      // Within the claimable bound (12 OPEN finalised): bob takes 6, his share of both pairs.
      await distributor.claim(...s.claimArgs(bob.address, 6n * E18));
      expect(await distributor.lastSettlementClaimed(bob.address)).to.equal(1n);
      // On the old code bob then took pair (2, 0) a second time, directly.
      await expect(distributor.claimDirect(bob.address, 2, 0, 1, tree.getProof([bob.address, 1n])))
        .to.be.revertedWithCustomError(distributor, "SettledUnderLiveRoot")
        .withArgs(bob.address, 1);
      // Alice, who did not claim under it, still has the trust-minimised path.
      await expect(
        distributor.claimDirect(alice.address, 2, 0, 3, tree.getProof([alice.address, 3n])),
      ).to.emit(distributor, "DirectClaimed");
    });

    it("should pay the pair by the next settlement, netting what the account was paid", async function () {
      const { distributor, settler, token, alice, bob } =
        await networkHelpers.loadFixture(twoFinalPairsFixture);
      await distributor.finalize(1, 0);
      const s = settlementTree([
        [alice.address, 9n * E18],
        [bob.address, 3n * E18],
      ]);
      await distributor.connect(settler).commitSettlement(s.root, POOL, 1, "u");
      await activateAfterWindow(distributor);
      await distributor.claim(...s.claimArgs(alice.address, 9n * E18));
      await distributor.finalize(2, 0);
      const s2 = settlementTree([
        [alice.address, 18n * E18],
        [bob.address, 6n * E18],
      ]);
      await distributor.connect(settler).commitSettlement(s2.root, 2n * POOL, 2, "u");
      await activateAfterWindow(distributor);
      await expect(distributor.claim(...s2.claimArgs(alice.address, 18n * E18))).to.changeTokenBalance(
        ethers,
        token,
        alice,
        9n * E18,
      );
    });
  });

  describe("finding 4: pay front-run by setPrice", function () {
    it("should refuse a payment whose price was raised above the payer's bound, and take nothing", async function () {
      const { distributor, models, token, payer, owner } = await networkHelpers.loadFixture(deployRewards);
      // The payer holds a standing allowance and means to pay 10 units at 2 OPEN (20 OPEN).
      const meant = 10n * 2n * E18;
      // The owner front-runs with a price of 100,000 OPEN a unit (1,000,000 OPEN for 10 units).
      await models.setModel(1, owner.address, 0, 100_000n * E18);
      const before = await token.balanceOf(payer.address);
      await expect(distributor.connect(payer).pay(1, 10, meant))
        .to.be.revertedWithCustomError(distributor, "PaymentAboveMaximum")
        .withArgs(1_000_000n * E18, meant);
      expect(await token.balanceOf(payer.address)).to.equal(before);
    });

    it("should refuse payWithPermit above the bound, and pay at or below it", async function () {
      const { distributor, models, token, admin, owner } = await networkHelpers.loadFixture(deployRewards);
      const app = ethers.Wallet.createRandom().connect(ethers.provider);
      await admin.sendTransaction({ to: app.address, value: E18 });
      await token.transfer(app.address, 100n * E18);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const bound = 6n * E18;
      const sig = await signPermit(token, app, await distributor.getAddress(), bound, deadline);
      await models.setModel(1, owner.address, 0, 3n * E18);
      await expect(distributor.connect(app).payWithPermit(1, 3, bound, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(distributor, "PaymentAboveMaximum")
        .withArgs(9n * E18, bound);
      // A price cut: the permit (value = bound) covers the smaller payment; the rest stays approved.
      await models.setModel(1, owner.address, 0, E18);
      await expect(distributor.connect(app).payWithPermit(1, 3, bound, deadline, sig.v, sig.r, sig.s))
        .to.emit(distributor, "Paid")
        .withArgs(1, 0, app.address, 3n * E18, (3n * E18) / 10n, (3n * E18 * 3n) / 10n, 0);
      expect(await token.allowance(app.address, await distributor.getAddress())).to.equal(3n * E18);
    });
  });

  describe("finding 10: a challenge has no timeout, so one bond freezes a (model, epoch) until governance acts", function () {
    /** Model 1's epoch 0 paid, committed with alice 3 / bob 1, and challenged. */
    async function challengedFixture() {
      const f = await deployRewards();
      await f.distributor.connect(f.payer).pay(1, 10, ethers.MaxUint256);
      const tree = attributionTree([
        [f.alice.address, 3n],
        [f.bob.address, 1n],
      ]);
      await networkHelpers.time.increase(EPOCH);
      await f.registry.connect(f.operator).commitAttribution(1, 0, tree.root, 4, 1, "ipfs://t");
      await f.registry.connect(f.challenger).challenge(1, 0, "ipfs://why");
      const deadline = BigInt(await networkHelpers.time.latest()) + RESOLUTION;
      return { ...f, tree, deadline };
    }
    const RESOLUTION = 14n * 86_400n;

    it("should make a challenged commitment Final at its resolution deadline and pay its contributors", async function () {
      const { distributor, registry, alice, tree, deadline } =
        await networkHelpers.loadFixture(challengedFixture);
      expect(await registry.challengeResolutionPeriod()).to.equal(RESOLUTION);
      expect((await registry.commitment(1, 0)).finalAt).to.equal(deadline);
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(distributor.finalize(1, 0))
        .to.be.revertedWithCustomError(registry, "NotFinal")
        .withArgs(1, 0, Status.Challenged);
      await networkHelpers.time.increaseTo(deadline);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Final);
      await expect(distributor.claimDirect(alice.address, 1, 0, 3, tree.getProof([alice.address, 3n])))
        .to.emit(distributor, "DirectClaimed")
        .withArgs(alice.address, 1, 0, 3, 9n * E18);
    });

    it("should refuse resolveChallenge after the deadline, and change nothing", async function () {
      const { registry, deadline } = await networkHelpers.loadFixture(challengedFixture);
      await networkHelpers.time.increaseTo(deadline);
      await expect(registry.resolveChallenge(1, 0, false))
        .to.be.revertedWithCustomError(registry, "ResolutionDeadlinePassed")
        .withArgs(1, 0, deadline);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Final);
    });

    it("should let governance resolve until the second before the deadline", async function () {
      const { registry, deadline } = await networkHelpers.loadFixture(challengedFixture);
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(registry.resolveChallenge(1, 0, false)).to.emit(registry, "ChallengeResolved");
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Voided);
    });

    it("should return the bond to the challenger on closeLapsedChallenge after the deadline, and refuse it before", async function () {
      const { registry, token, challenger, stranger, deadline } =
        await networkHelpers.loadFixture(challengedFixture);
      await expect(registry.connect(stranger).closeLapsedChallenge(1, 0))
        .to.be.revertedWithCustomError(registry, "ChallengeNotLapsed")
        .withArgs(1, 0, deadline);
      await networkHelpers.time.increaseTo(deadline);
      const close = registry.connect(stranger).closeLapsedChallenge(1, 0);
      await expect(close)
        .to.emit(registry, "ChallengeResolved")
        .withArgs(1, 0, true, challenger.address, BOND);
      await expect(close).to.changeTokenBalance(ethers, token, challenger, BOND);
      expect((await registry.challengeOf(1, 0)).challenger).to.equal(ethers.ZeroAddress);
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Final);
      await expect(registry.closeLapsedChallenge(1, 0))
        .to.be.revertedWithCustomError(registry, "NotChallenged")
        .withArgs(1, 0, Status.Final);
    });

    it("should not let a challenger freeze the pair again: a lapsed commitment is not challengeable", async function () {
      const { registry, challenger, deadline } = await networkHelpers.loadFixture(challengedFixture);
      await networkHelpers.time.increaseTo(deadline);
      await expect(registry.connect(challenger).challenge(1, 0, "ipfs://again"))
        .to.be.revertedWithCustomError(registry, "NotChallengeable")
        .withArgs(1, 0, Status.Final);
    });

    it("should bound setChallengeResolutionPeriod and keep an open challenge's deadline", async function () {
      const { registry, stranger, deadline } = await networkHelpers.loadFixture(challengedFixture);
      const day = 86_400n;
      await expect(registry.setChallengeResolutionPeriod(10n * day - 1n))
        .to.be.revertedWithCustomError(registry, "ResolutionPeriodOutOfRange")
        .withArgs(10n * day - 1n);
      await expect(registry.setChallengeResolutionPeriod(60n * day + 1n))
        .to.be.revertedWithCustomError(registry, "ResolutionPeriodOutOfRange")
        .withArgs(60n * day + 1n);
      await expect(
        registry.connect(stranger).setChallengeResolutionPeriod(30n * day),
      ).to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount");
      await expect(registry.setChallengeResolutionPeriod(30n * day))
        .to.emit(registry, "ChallengeResolutionPeriodChanged")
        .withArgs(30n * day);
      expect((await registry.commitment(1, 0)).finalAt).to.equal(deadline);
    });
  });
});
