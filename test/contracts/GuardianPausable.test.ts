import { expect } from "chai";
import { ethers, networkHelpers } from "../fixtures/token.js";

const { loadFixture, time } = networkHelpers;

const DAY = 86_400n;

/** The mock parameter target with a plain account as governance (the timelock in production). */
async function deployGuardedFixture() {
  const [governance, guardian, stranger, newGuardian] = await ethers.getSigners();
  const target = await ethers.deployContract("MockParameterTarget", [
    governance.address,
    guardian.address,
    300n,
  ]);
  return { target, governance, guardian, stranger, newGuardian };
}

describe("GuardianPausable", function () {
  describe("constants and initial state", function () {
    it("should pause for 7 days at most, with a 7-day cooldown, and start unpaused", async function () {
      const { target } = await loadFixture(deployGuardedFixture);
      expect(await target.MAX_PAUSE_DURATION()).to.equal(7n * DAY);
      expect(await target.PAUSE_COOLDOWN()).to.equal(7n * DAY);
      expect(await target.paused()).to.equal(false);
      expect(await target.pausedUntil()).to.equal(0n);
      expect(await target.pauseAvailableAt()).to.equal(0n); // never paused: available now
    });
  });

  describe("pause", function () {
    it("should stop guarded functions for MAX_PAUSE_DURATION, never claims, and emit Paused", async function () {
      const { target, guardian } = await loadFixture(deployGuardedFixture);
      const until = BigInt(await time.latest()) + 1n + 7n * DAY;
      await expect(target.connect(guardian).pause())
        .to.emit(target, "Paused")
        .withArgs(guardian.address, until);
      expect(await target.paused()).to.equal(true);
      expect(await target.pausedUntil()).to.equal(until);
      expect(await target.pauseAvailableAt()).to.equal(until + 7n * DAY);
      await expect(target.pay()).to.be.revertedWithCustomError(target, "PausedByGuardian").withArgs(until);
      await target.claim();
      expect(await target.claims()).to.equal(1n);
      expect(await target.payments()).to.equal(0n);
    });

    it("should expire by itself at pausedUntil", async function () {
      const { target, guardian } = await loadFixture(deployGuardedFixture);
      await target.connect(guardian).pause();
      const until = await target.pausedUntil();
      await time.setNextBlockTimestamp(until - 1n);
      await expect(target.pay()).to.be.revertedWithCustomError(target, "PausedByGuardian").withArgs(until);
      await time.setNextBlockTimestamp(until);
      await target.pay();
      expect(await target.payments()).to.equal(1n);
      expect(await target.paused()).to.equal(false);
    });

    it("should revert when a non-guardian pauses, governance included", async function () {
      const { target, governance, stranger } = await loadFixture(deployGuardedFixture);
      for (const account of [governance, stranger]) {
        await expect(target.connect(account).pause())
          .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, await target.GUARDIAN_ROLE());
      }
    });

    it("should revert when pausing again while paused (no extension)", async function () {
      const { target, guardian } = await loadFixture(deployGuardedFixture);
      await target.connect(guardian).pause();
      const until = await target.pausedUntil();
      await expect(target.connect(guardian).pause())
        .to.be.revertedWithCustomError(target, "PauseUnavailable")
        .withArgs(until + 7n * DAY);
    });

    it("should revert when pausing within the cooldown after expiry, and allow it after", async function () {
      const { target, guardian } = await loadFixture(deployGuardedFixture);
      await target.connect(guardian).pause();
      const until = await target.pausedUntil();
      await time.increaseTo(until + 7n * DAY - 2n);
      await expect(target.connect(guardian).pause())
        .to.be.revertedWithCustomError(target, "PauseUnavailable")
        .withArgs(until + 7n * DAY);
      await time.setNextBlockTimestamp(until + 7n * DAY);
      await expect(target.connect(guardian).pause())
        .to.emit(target, "Paused")
        .withArgs(guardian.address, until + 14n * DAY);
    });
  });

  describe("unpause", function () {
    it("should let governance lift the pause now, emit Unpaused and start the cooldown", async function () {
      const { target, governance, guardian } = await loadFixture(deployGuardedFixture);
      await target.connect(guardian).pause();
      await time.increase(DAY);
      await expect(target.connect(governance).unpause())
        .to.emit(target, "Unpaused")
        .withArgs(governance.address);
      const now = BigInt(await time.latest());
      expect(await target.paused()).to.equal(false);
      expect(await target.pausedUntil()).to.equal(now);
      await target.pay();
      await expect(target.connect(guardian).pause())
        .to.be.revertedWithCustomError(target, "PauseUnavailable")
        .withArgs(now + 7n * DAY);
    });

    it("should do nothing when not paused (a proposal that unpauses never fails for that)", async function () {
      const { target, governance, guardian } = await loadFixture(deployGuardedFixture);
      await expect(target.connect(governance).unpause()).to.not.emit(target, "Unpaused");
      expect(await target.pausedUntil()).to.equal(0n);
      await target.connect(guardian).pause();
      const until = await target.pausedUntil();
      await time.increaseTo(until + 1n);
      await expect(target.connect(governance).unpause()).to.not.emit(target, "Unpaused");
      expect(await target.pausedUntil()).to.equal(until);
    });

    it("should revert when the guardian or a stranger unpauses", async function () {
      const { target, guardian, stranger } = await loadFixture(deployGuardedFixture);
      await target.connect(guardian).pause();
      for (const account of [guardian, stranger]) {
        await expect(target.connect(account).unpause())
          .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, await target.GOVERNANCE_ROLE());
      }
      expect(await target.paused()).to.equal(true);
    });
  });

  describe("replacing the guardian", function () {
    it("should let governance replace the guardian; the cooldown stays with the contract", async function () {
      const { target, governance, guardian, newGuardian, stranger } = await loadFixture(deployGuardedFixture);
      const role = await target.GUARDIAN_ROLE();
      await target.connect(guardian).pause();
      const until = await target.pausedUntil();
      await expect(target.connect(stranger).grantRole(role, stranger.address))
        .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await target.GOVERNANCE_ROLE());
      await target.connect(governance).revokeRole(role, guardian.address);
      await target.connect(governance).grantRole(role, newGuardian.address);
      await time.increaseTo(until + 1n);
      await expect(target.connect(guardian).pause())
        .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, role);
      await expect(target.connect(newGuardian).pause())
        .to.be.revertedWithCustomError(target, "PauseUnavailable")
        .withArgs(until + 7n * DAY);
    });
  });
});

describe("MockParameterTarget", function () {
  describe("setFee", function () {
    it("should set a fee up to the cap and emit FeeChanged", async function () {
      const { target, governance } = await loadFixture(deployGuardedFixture);
      const cap = await target.MAX_FEE_BPS();
      await expect(target.connect(governance).setFee(cap)).to.emit(target, "FeeChanged").withArgs(300n, cap);
      expect(await target.fee()).to.equal(cap);
    });

    it("should revert when the fee is above the cap", async function () {
      const { target, governance } = await loadFixture(deployGuardedFixture);
      const cap = await target.MAX_FEE_BPS();
      await expect(target.connect(governance).setFee(cap + 1n))
        .to.be.revertedWithCustomError(target, "FeeAboveCap")
        .withArgs(cap + 1n, cap);
    });
  });

  describe("constructor", function () {
    it("should grant no guardian role when given the zero address", async function () {
      const [governance] = await ethers.getSigners();
      const target = await ethers.deployContract("MockParameterTarget", [
        governance.address,
        ethers.ZeroAddress,
        0n,
      ]);
      const role = await target.GUARDIAN_ROLE();
      expect(await target.hasRole(role, ethers.ZeroAddress)).to.equal(false);
      await expect(target.connect(governance).pause())
        .to.be.revertedWithCustomError(target, "AccessControlUnauthorizedAccount")
        .withArgs(governance.address, role);
    });
  });
});
