import { expect } from "chai";
import {
  BOND,
  E18,
  EPOCH,
  deployRewards,
  deployRewardsWith,
  ethers,
  networkHelpers,
} from "../helpers/rewards.js";
import { MIN_BOND, deployStakingOf, wiredFixture } from "../helpers/staking.js";

const ROOT = ethers.id("wrong root");
const Status = { Final: 3n, Voided: 4n };

async function challengedFixture() {
  const f = await wiredFixture();
  await f.registry.connect(f.operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t");
  await f.registry.connect(f.challenger).challenge(1, 0, "ipfs://why");
  return f;
}

describe("Staking wired into attribution and rewards", function () {
  describe("AttributionRegistry.commitAttribution", function () {
    it("should record the operator's pool when its bond is at the minimum", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(wiredFixture);
      await registry.connect(operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t");
      expect((await registry.commitment(1, 0)).operatorPoolId).to.equal(1n);
    });

    it("should revert BondBelowMinimum once the operator's bond fell below the minimum", async function () {
      const { registry, staking, operator } = await networkHelpers.loadFixture(wiredFixture);
      await staking.connect(operator).requestUnstake(operator.address, 1n);
      await expect(registry.connect(operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t"))
        .to.be.revertedWithCustomError(staking, "BondBelowMinimum")
        .withArgs(operator.address, MIN_BOND - 1n, MIN_BOND);
      expect((await registry.commitment(1, 0)).root).to.equal(ethers.ZeroHash);
    });

    it("should revert UnknownOperator for an operator without a pool", async function () {
      const { registry, staking, bob } = await networkHelpers.loadFixture(wiredFixture);
      await registry.grantRole(await registry.ATTRIBUTION_OPERATOR_ROLE(), bob.address);
      await expect(registry.connect(bob).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t"))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(bob.address);
    });
  });

  describe("AttributionRegistry.resolveChallenge", function () {
    it("should slash the operator's pool when voiding: bond back plus reward to the challenger, rest to the treasury", async function () {
      const { registry, staking, token, challenger, treasury, operator } =
        await networkHelpers.loadFixture(challengedFixture);
      const c0 = await token.balanceOf(challenger.address);
      const t0 = await token.balanceOf(treasury.address);
      const caseId = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "uint256", "uint256", "bytes32"],
          [1n, 0n, (await registry.commitment(1, 0)).committedAt, ROOT],
        ),
      );
      // Pool 10,000 OPEN; 10% = 1,000; the reward (50%) is capped at the operator's own loss (100).
      await expect(registry.resolveChallenge(1, 0, false))
        .to.emit(staking, "Slashed")
        .withArgs(
          operator.address,
          await registry.getAddress(),
          caseId,
          challenger.address,
          1_000n * E18,
          100n * E18,
          900n * E18,
        );
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Voided);
      expect(await token.balanceOf(challenger.address)).to.equal(c0 + BOND + 100n * E18);
      expect(await token.balanceOf(treasury.address)).to.equal(t0 + 900n * E18);
      expect((await staking.pool(operator.address)).assets).to.equal(9_000n * E18);
      // The operator's bond fell below the minimum: it cannot commit again until it tops up.
      await expect(
        registry.connect(operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t"),
      ).to.be.revertedWithCustomError(staking, "BondBelowMinimum");
      await staking.connect(operator).stake(operator.address, 200n * E18);
      await registry.connect(operator).commitAttribution(1, 0, ethers.id("right root"), 100, 1, "ipfs://t");
    });

    it("should not slash when the commitment stands (the bond goes to the treasury)", async function () {
      const { registry, staking, token, treasury, operator } =
        await networkHelpers.loadFixture(challengedFixture);
      const t0 = await token.balanceOf(treasury.address);
      await expect(registry.resolveChallenge(1, 0, true)).to.not.emit(staking, "Slashed");
      expect(await registry.commitmentStatus(1, 0)).to.equal(Status.Final);
      expect(await token.balanceOf(treasury.address)).to.equal(t0 + BOND);
      expect((await staking.pool(operator.address)).bondedAssets).to.equal(10_000n * E18);
    });
  });

  describe("OperatorStaking.MIN_UNBONDING_DELAY against the challenge deadlines", function () {
    it("MIN_UNBONDING_DELAY covers the longest challenge window plus the longest resolution period", async function () {
      const { registry, staking } = await networkHelpers.loadFixture(wiredFixture);
      const longest = (await registry.MAX_CHALLENGE_WINDOW()) + (await registry.MAX_RESOLUTION_PERIOD());
      expect(await staking.MIN_UNBONDING_DELAY()).to.be.at.least(longest);
      expect(await staking.unbondingDelay()).to.be.at.least(longest);
    });

    it("withdraw of stake unbonding since the commit reverts until a challenge at the window's end is resolved, and the void slashes it", async function () {
      const { registry, staking, operator, challenger } = await networkHelpers.loadFixture(wiredFixture);
      // The longest settings governance may choose: a 30-day window, a 60-day resolution period.
      await registry.setChallengeWindow(await registry.MAX_CHALLENGE_WINDOW());
      await registry.setChallengeResolutionPeriod(await registry.MAX_RESOLUTION_PERIOD());
      await staking.setUnbondingDelay(await staking.MIN_UNBONDING_DELAY());
      await registry.connect(operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t");
      const committedAt = (await registry.commitment(1, 0)).committedAt;
      // The operator tries to leave with its whole bond right after committing.
      await staking.connect(operator).requestUnstake(operator.address, MIN_BOND);
      // A challenge in the window's last seconds; governance resolves at the last second it may.
      await networkHelpers.time.increaseTo(committedAt + (await registry.MAX_CHALLENGE_WINDOW()) - 10n);
      await registry.connect(challenger).challenge(1, 0, "ipfs://why");
      const deadline = (await networkHelpers.time.latest()) + Number(await registry.MAX_RESOLUTION_PERIOD());
      await networkHelpers.time.setNextBlockTimestamp(deadline - 2);
      await expect(
        staking.connect(operator).withdraw(operator.address, operator.address),
      ).to.be.revertedWithCustomError(staking, "UnbondingNotOver");
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1);
      await expect(registry.resolveChallenge(1, 0, false)).to.emit(staking, "Slashed");
      // The slash reached the unbonding bond: 10% of the pool (10,000 OPEN), the bond's part 100.
      expect((await staking.pool(operator.address)).assets).to.equal(9_000n * E18);
    });
  });

  describe("AttributionRegistry operator state (role and bond status in one slot)", function () {
    it("should follow ATTRIBUTION_OPERATOR_ROLE on grant, revoke and renounce", async function () {
      const { registry, bob } = await networkHelpers.loadFixture(wiredFixture);
      const role = await registry.ATTRIBUTION_OPERATOR_ROLE();
      expect((await registry.operatorState(bob.address)).isOperator).to.equal(false);
      await registry.grantRole(role, bob.address);
      expect((await registry.operatorState(bob.address)).isOperator).to.equal(true);
      await registry.revokeRole(role, bob.address);
      expect((await registry.operatorState(bob.address)).isOperator).to.equal(false);
      await registry.grantRole(role, bob.address);
      await registry.connect(bob).renounceRole(role, bob.address);
      expect((await registry.operatorState(bob.address)).isOperator).to.equal(false);
      // Other roles leave it alone.
      await registry.grantRole(await registry.GUARDIAN_ROLE(), bob.address);
      expect((await registry.operatorState(bob.address)).isOperator).to.equal(false);
    });

    it("commitAttribution should revert AccessControlUnauthorizedAccount once the role is revoked", async function () {
      const { registry, operator } = await networkHelpers.loadFixture(wiredFixture);
      const role = await registry.ATTRIBUTION_OPERATOR_ROLE();
      await registry.revokeRole(role, operator.address);
      await expect(registry.connect(operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, role);
    });

    it("should hold the operator's pool and bond status as staking pushed them", async function () {
      const { registry, staking, operator } = await networkHelpers.loadFixture(wiredFixture);
      expect(await registry.operatorState(operator.address)).to.deep.equal([true, true, 1n]);
      await expect(staking.connect(operator).requestUnstake(operator.address, 1n))
        .to.emit(registry, "OperatorBondUpdated")
        .withArgs(operator.address, 1n, false);
      expect(await registry.operatorState(operator.address)).to.deep.equal([true, false, 1n]);
    });

    it("should commit through staking's own check while the copy lags (operator bonded before the listener was set), until syncBond", async function () {
      let staking!: Awaited<ReturnType<typeof deployStakingOf>>;
      const f = await deployRewardsWith(async (token, admin, treasury) => {
        staking = await deployStakingOf(token, admin, treasury);
        return staking.getAddress();
      });
      const { registry, token, operator } = f;
      await staking.listOperator(operator.address);
      await token.transfer(operator.address, MIN_BOND);
      await token.connect(operator).approve(await staking.getAddress(), MIN_BOND);
      await staking.connect(operator).stake(operator.address, MIN_BOND);
      await staking.setBondListener(await registry.getAddress());
      expect(await registry.operatorState(operator.address)).to.deep.equal([true, false, 0n]);
      await networkHelpers.time.increase(EPOCH);
      await registry.connect(operator).commitAttribution(1, 0, ROOT, 100, 1, "ipfs://t");
      expect((await registry.commitment(1, 0)).operatorPoolId).to.equal(1n);
      await expect(staking.syncBond(operator.address))
        .to.emit(registry, "OperatorBondUpdated")
        .withArgs(operator.address, 1n, true);
      expect(await registry.operatorState(operator.address)).to.deep.equal([true, true, 1n]);
    });

    it("should copy every change of the bond status: a new minimum, delisting, listing, a top-up", async function () {
      const { registry, staking, operator } = await networkHelpers.loadFixture(wiredFixture);
      const bonded = async () => (await registry.operatorState(operator.address)).bonded;
      await staking.setMinOperatorBond(MIN_BOND + 1n);
      expect(await bonded()).to.equal(false);
      await staking.setMinOperatorBond(MIN_BOND);
      expect(await bonded()).to.equal(true);
      await staking.delistOperator(operator.address);
      expect(await bonded()).to.equal(false);
      await staking.listOperator(operator.address);
      expect(await bonded()).to.equal(true);
      await staking.setMinOperatorBond(MIN_BOND + 1n);
      await staking.connect(operator).stake(operator.address, 1n);
      expect(await bonded()).to.equal(true);
    });

    it("updateOperatorBond should revert NotStaking for anyone but the staking contract", async function () {
      const { registry, staking, stranger } = await networkHelpers.loadFixture(wiredFixture);
      await expect(registry.connect(stranger).updateOperatorBond(stranger.address, 1, true))
        .to.be.revertedWithCustomError(registry, "NotStaking")
        .withArgs(stranger.address, await staking.getAddress());
      expect((await registry.operatorState(stranger.address)).bonded).to.equal(false);
    });

    it("should expose the staking contract it was built with", async function () {
      const { registry, staking } = await networkHelpers.loadFixture(wiredFixture);
      expect(await registry.staking()).to.equal(await staking.getAddress());
      const plain = await deployRewards();
      expect(await plain.registry.staking()).to.equal(ethers.ZeroAddress);
    });
  });

  describe("RewardDistributor staker reserve", function () {
    it("should move the staker reserve to staking on distribute, with exact books", async function () {
      const { distributor, staking, payer, operator, alice } = await networkHelpers.loadFixture(wiredFixture);
      await distributor.connect(payer).pay(1, 50, ethers.MaxUint256);
      const reserve = (await distributor.books()).stakerReserve;
      expect(reserve).to.be.greaterThan(0n);
      await expect(staking.distribute())
        .to.emit(distributor, "StakerRewardsReleased")
        .withArgs(await staking.getAddress(), reserve);
      const b = await distributor.books();
      expect(b.stakersReleased).to.equal(reserve);
      expect(b.paidIn).to.equal(
        b.treasuryAccrued + b.ownersAccrued + b.stakerReserve + b.totalClaimed + b.claimable + b.poolsPending,
      );
      const t = await staking.totals();
      expect(t.rewardsReceived).to.equal(reserve);
      const op = (await staking.position(operator.address, operator.address)).pendingRewards;
      const al = (await staking.position(operator.address, alice.address)).pendingRewards;
      expect(op + al).to.be.within(reserve - 2n, reserve);
      // Nothing new: the distributor releases nothing and does not revert.
      await expect(staking.distribute()).to.not.emit(distributor, "StakerRewardsReleased");
    });

    it("releaseStakerRewards should revert NotStaking for anyone but the staking contract", async function () {
      const { distributor, staking, stranger } = await networkHelpers.loadFixture(wiredFixture);
      await expect(distributor.connect(stranger).releaseStakerRewards())
        .to.be.revertedWithCustomError(distributor, "NotStaking")
        .withArgs(stranger.address, await staking.getAddress());
    });

    it("setStaking should revert ZeroAddress and refuse non-governance", async function () {
      const { distributor, staking, stranger } = await networkHelpers.loadFixture(wiredFixture);
      await expect(distributor.setStaking(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        distributor,
        "ZeroAddress",
      );
      await expect(distributor.connect(stranger).setStaking(stranger.address)).to.be.revertedWithCustomError(
        distributor,
        "AccessControlUnauthorizedAccount",
      );
      expect(await distributor.staking()).to.equal(await staking.getAddress());
    });
  });
});
