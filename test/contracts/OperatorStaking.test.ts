import { expect } from "chai";
import { E18, ethers, networkHelpers } from "../helpers/rewards.js";
import {
  COMMISSION_DELAY,
  DAY,
  MIN_BOND,
  REWARD_BPS,
  SLASH_BPS,
  UNBONDING,
  deployStaking,
} from "../helpers/staking.js";

const CASE = ethers.id("case 1");

/** Operator bonded, alice staked 9,000 OPEN: a 10,000 OPEN pool. */
async function stakedFixture() {
  const f = await deployStaking();
  await f.staking.connect(f.alice).stake(f.operator.address, 9_000n * E18);
  return f;
}

/** As `stakedFixture`, with 1,000 OPEN of rewards distributed (no commission). */
async function rewardedFixture() {
  const f = await stakedFixture();
  await f.staking.addRewards(1_000n * E18);
  await f.staking.distribute();
  return f;
}

/** As `stakedFixture`, alice has asked to unstake 3,000 OPEN. */
async function unbondingFixture() {
  const f = await stakedFixture();
  await f.staking.connect(f.alice).requestUnstake(f.operator.address, 3_000n * E18);
  return f;
}

describe("OperatorStaking", function () {
  describe("constructor", function () {
    it("should revert ZeroAddress for a zero token or admin", async function () {
      const { staking, token, admin, treasury } = await networkHelpers.loadFixture(deployStaking);
      const args = [UNBONDING, MIN_BOND, SLASH_BPS, REWARD_BPS] as const;
      const factory = await ethers.getContractFactory("OperatorStaking");
      await expect(
        factory.deploy(ethers.ZeroAddress, admin.address, treasury.address, ...args),
      ).to.be.revertedWithCustomError(staking, "ZeroAddress");
      await expect(
        factory.deploy(await token.getAddress(), ethers.ZeroAddress, treasury.address, ...args),
      ).to.be.revertedWithCustomError(staking, "ZeroAddress");
    });

    it("should set the parameters", async function () {
      const { staking, treasury } = await networkHelpers.loadFixture(deployStaking);
      expect(await staking.unbondingDelay()).to.equal(UNBONDING);
      expect(await staking.minOperatorBond()).to.equal(MIN_BOND);
      expect(await staking.slashBps()).to.equal(SLASH_BPS);
      expect(await staking.challengerRewardBps()).to.equal(REWARD_BPS);
      expect(await staking.treasury()).to.equal(treasury.address);
      expect(await staking.rewardSource()).to.equal(ethers.ZeroAddress);
    });
  });

  describe("stake", function () {
    it("should mint shares 1:1 in a fresh pool and emit Staked", async function () {
      const { staking, token, operator, alice } = await networkHelpers.loadFixture(deployStaking);
      const before = await token.balanceOf(alice.address);
      await expect(staking.connect(alice).stake(operator.address, 500n * E18))
        .to.emit(staking, "Staked")
        .withArgs(operator.address, alice.address, 500n * E18, 500n * E18);
      expect(await token.balanceOf(alice.address)).to.equal(before - 500n * E18);
      const pos = await staking.position(operator.address, alice.address);
      expect(pos.shares).to.equal(500n * E18);
      expect(pos.assets).to.equal(500n * E18);
      const p = await staking.pool(operator.address);
      expect(p.bondedAssets).to.equal(MIN_BOND + 500n * E18);
      expect(p.id).to.equal(1n);
      expect(p.listed).to.equal(true);
    });

    it("should mint more shares per OPEN after a slash (rounded down)", async function () {
      const { staking, slasher, operator, alice, bob, challenger } =
        await networkHelpers.loadFixture(stakedFixture);
      await slasher.slash(operator.address, challenger.address, CASE);
      // 10,000 OPEN -> 9,000 OPEN for 10,000 shares.
      await staking.connect(bob).stake(operator.address, 900n * E18);
      const pos = await staking.position(operator.address, bob.address);
      expect(pos.shares).to.equal((900n * E18 * (10_000n * E18 + 1n)) / (9_000n * E18 + 1n));
      expect(pos.assets).to.be.at.most(900n * E18);
      expect((await staking.position(operator.address, alice.address)).assets).to.be.at.most(8_100n * E18);
    });

    it("should revert ZeroAmount on zero", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.connect(alice).stake(operator.address, 0)).to.be.revertedWithCustomError(
        staking,
        "ZeroAmount",
      );
    });

    it("should revert UnknownOperator for an address without a pool", async function () {
      const { staking, stranger, alice } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.connect(alice).stake(stranger.address, E18))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(stranger.address);
    });

    it("should revert OperatorNotListed for a delisted pool", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(deployStaking);
      await staking.delistOperator(operator.address);
      await expect(staking.connect(alice).stake(operator.address, E18))
        .to.be.revertedWithCustomError(staking, "OperatorNotListed")
        .withArgs(operator.address);
    });

    it("should revert PausedByGuardian while paused, and work again after the pause", async function () {
      const { staking, admin, operator, alice } = await networkHelpers.loadFixture(deployStaking);
      await staking.grantRole(await staking.GUARDIAN_ROLE(), admin.address);
      await staking.pause();
      const until = await staking.pausedUntil();
      await expect(staking.connect(alice).stake(operator.address, E18))
        .to.be.revertedWithCustomError(staking, "PausedByGuardian")
        .withArgs(until);
      // Requests, claims and withdrawals are never paused.
      await staking.connect(operator).requestUnstake(operator.address, E18);
      await staking.unpause();
      await staking.connect(alice).stake(operator.address, E18);
      expect((await staking.position(operator.address, alice.address)).shares).to.equal(E18);
    });
  });

  describe("requestUnstake", function () {
    it("should move OPEN to unbonding, keep rewards and emit UnstakeRequested", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(rewardedFixture);
      const pendingBefore = (await staking.position(operator.address, alice.address)).pendingRewards;
      const tx = staking.connect(alice).requestUnstake(operator.address, 3_000n * E18);
      const at = BigInt(await networkHelpers.time.latest()) + 1n;
      await expect(tx)
        .to.emit(staking, "UnstakeRequested")
        .withArgs(operator.address, alice.address, 3_000n * E18, 3_000n * E18, at + UNBONDING);
      const pos = await staking.position(operator.address, alice.address);
      expect(pos.assets).to.equal(6_000n * E18);
      expect(pos.unbondingAssets).to.equal(3_000n * E18);
      expect(pos.withdrawableAt).to.equal(at + UNBONDING);
      // At most one unit of rounding against the staker.
      expect(pos.pendingRewards).to.be.within(pendingBefore - 1n, pendingBefore);
      const p = await staking.pool(operator.address);
      expect(p.unbondingAssets).to.equal(3_000n * E18);
      expect(p.bondedAssets).to.equal(7_000n * E18);
    });

    it("should add a second request to the first and restart the delay", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(unbondingFixture);
      await networkHelpers.time.increase(10n * DAY);
      await staking.connect(alice).requestUnstake(operator.address, 1_000n * E18);
      const at = BigInt(await networkHelpers.time.latest());
      const pos = await staking.position(operator.address, alice.address);
      expect(pos.unbondingAssets).to.equal(4_000n * E18);
      expect(pos.withdrawableAt).to.equal(at + UNBONDING);
    });

    it("should revert ZeroAmount on zero", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(staking.connect(alice).requestUnstake(operator.address, 0)).to.be.revertedWithCustomError(
        staking,
        "ZeroAmount",
      );
    });

    it("should revert UnknownOperator for an address without a pool", async function () {
      const { staking, stranger, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(staking.connect(alice).requestUnstake(stranger.address, E18))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(stranger.address);
    });

    it("should revert UnstakeExceedsStake above the bonded stake and change nothing", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(staking.connect(alice).requestUnstake(operator.address, 9_000n * E18 + 1n))
        .to.be.revertedWithCustomError(staking, "UnstakeExceedsStake")
        .withArgs(operator.address, alice.address, 9_000n * E18 + 1n, 9_000n * E18);
      expect((await staking.position(operator.address, alice.address)).assets).to.equal(9_000n * E18);
    });

    it("should let a staker unstake everything a slashed pool says it holds", async function () {
      const { staking, slasher, operator, alice, challenger } =
        await networkHelpers.loadFixture(stakedFixture);
      await slasher.slash(operator.address, challenger.address, CASE);
      const all = (await staking.position(operator.address, alice.address)).assets;
      await staking.connect(alice).requestUnstake(operator.address, all);
      expect((await staking.position(operator.address, alice.address)).shares).to.equal(0n);
    });
  });

  describe("withdraw", function () {
    it("should pay the unbonding stake after the delay and emit Withdrawn", async function () {
      const { staking, token, operator, alice, bob } = await networkHelpers.loadFixture(unbondingFixture);
      await networkHelpers.time.increase(UNBONDING);
      const before = await token.balanceOf(bob.address);
      await expect(staking.connect(alice).withdraw(operator.address, bob.address))
        .to.emit(staking, "Withdrawn")
        .withArgs(operator.address, alice.address, bob.address, 3_000n * E18);
      expect(await token.balanceOf(bob.address)).to.equal(before + 3_000n * E18);
      const pos = await staking.position(operator.address, alice.address);
      expect(pos.unbondingShares).to.equal(0n);
      expect(pos.withdrawableAt).to.equal(0n);
    });

    it("should pay unbonding stake less the slash that hit it while unbonding", async function () {
      const { staking, slasher, token, operator, alice, challenger } =
        await networkHelpers.loadFixture(unbondingFixture);
      await slasher.slash(operator.address, challenger.address, CASE);
      await networkHelpers.time.increase(UNBONDING);
      const before = await token.balanceOf(alice.address);
      await staking.connect(alice).withdraw(operator.address, alice.address);
      expect(await token.balanceOf(alice.address)).to.be.within(
        before + 2_700n * E18 - 1n,
        before + 2_700n * E18,
      );
    });

    it("should revert ZeroAddress for a zero receiver", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(unbondingFixture);
      await expect(
        staking.connect(alice).withdraw(operator.address, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(staking, "ZeroAddress");
    });

    it("should revert NothingToWithdraw without a request", async function () {
      const { staking, operator, bob } = await networkHelpers.loadFixture(unbondingFixture);
      await expect(staking.connect(bob).withdraw(operator.address, bob.address))
        .to.be.revertedWithCustomError(staking, "NothingToWithdraw")
        .withArgs(operator.address, bob.address);
    });

    it("should revert UnbondingNotOver one second before the delay and change nothing", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(unbondingFixture);
      const { withdrawableAt } = await staking.position(operator.address, alice.address);
      await networkHelpers.time.setNextBlockTimestamp(withdrawableAt - 1n);
      await expect(staking.connect(alice).withdraw(operator.address, alice.address))
        .to.be.revertedWithCustomError(staking, "UnbondingNotOver")
        .withArgs(operator.address, alice.address, withdrawableAt);
      expect((await staking.position(operator.address, alice.address)).unbondingAssets).to.equal(
        3_000n * E18,
      );
    });
  });

  describe("rewards", function () {
    it("should share a distribution between pools by bonded OPEN and within a pool by shares", async function () {
      const { staking, operator, operator2, alice, bob } = await networkHelpers.loadFixture(stakedFixture);
      await staking.listOperator(operator2.address);
      await staking.connect(operator2).stake(operator2.address, 5_000n * E18);
      await staking.connect(bob).stake(operator2.address, 5_000n * E18);
      await staking.addRewards(2_000n * E18);
      await expect(staking.distribute())
        .to.emit(staking, "RewardsDistributed")
        .withArgs(2_000n * E18, 0n, 20_000n * E18);
      // Each pool holds 10,000 of 20,000 bonded: 1,000 OPEN each.
      expect((await staking.position(operator.address, alice.address)).pendingRewards).to.be.within(
        900n * E18 - 1n,
        900n * E18,
      );
      expect((await staking.position(operator2.address, bob.address)).pendingRewards).to.be.within(
        500n * E18 - 1n,
        500n * E18,
      );
      const t = await staking.totals();
      expect(t.rewardsReceived).to.equal(t.rewardsToPools + t.rewardsQueued);
    });

    it("should distribute nothing when nothing is queued", async function () {
      const { staking } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.distribute()).to.emit(staking, "RewardsDistributed").withArgs(0n, 0n, MIN_BOND);
      expect((await staking.totals()).rewardsToPools).to.equal(0n);
    });

    it("should queue rewards while nothing is bonded and distribute them later", async function () {
      const { staking, operator } = await networkHelpers.loadFixture(deployStaking);
      await staking.connect(operator).requestUnstake(operator.address, MIN_BOND);
      await staking.addRewards(10n * E18);
      await expect(staking.distribute())
        .to.emit(staking, "RewardsDistributed")
        .withArgs(0n, 10n * E18, 0n);
      await staking.connect(operator).stake(operator.address, MIN_BOND);
      await staking.distribute();
      expect((await staking.position(operator.address, operator.address)).pendingRewards).to.be.within(
        10n * E18 - 1n,
        10n * E18,
      );
    });

    it("should skip a listed pool holding nothing, and keep a pool below MIN_REWARD_SHARES queued", async function () {
      const { staking, operator, operator2, alice } = await networkHelpers.loadFixture(deployStaking);
      await staking.listOperator(operator2.address);
      await staking.listOperator(alice.address);
      await staking.connect(alice).stake(alice.address, E18 / 2n);
      await staking.addRewards(10n * E18);
      const receipt = await (await staking.distribute()).wait();
      const rewarded = receipt!.logs
        .map((l) => staking.interface.parseLog(l))
        .filter((e) => e?.name === "PoolRewarded")
        .map((e) => e!.args[0]);
      expect(rewarded).to.deep.equal([operator.address]);
      // alice's pool holds 0.5 of 1,000.5 OPEN: its part stays queued.
      const t = await staking.totals();
      expect(t.rewardsQueued).to.be.at.least((10n * E18 * (E18 / 2n)) / (1_000n * E18 + E18 / 2n));
      expect(t.rewardsReceived).to.equal(t.rewardsToPools + t.rewardsQueued);
    });

    it("should pull the reward source's release and distribute it", async function () {
      const { staking, token, operator } = await networkHelpers.loadFixture(deployStaking);
      const source = await ethers.deployContract("MockRewardSource", [await token.getAddress()]);
      await token.transfer(await source.getAddress(), 7n * E18);
      await expect(staking.setRewardSource(await source.getAddress()))
        .to.emit(staking, "RewardSourceChanged")
        .withArgs(await source.getAddress());
      await expect(staking.distribute())
        .to.emit(staking, "RewardsAdded")
        .withArgs(await source.getAddress(), 7n * E18);
      expect((await staking.position(operator.address, operator.address)).pendingRewards).to.be.within(
        7n * E18 - 1n,
        7n * E18,
      );
      // An empty source adds nothing.
      await expect(staking.distribute()).to.not.emit(staking, "RewardsAdded");
    });

    it("claimRewards should pay pending rewards once and emit RewardsClaimed", async function () {
      const { staking, token, operator, alice, bob } = await networkHelpers.loadFixture(rewardedFixture);
      const pending = (await staking.position(operator.address, alice.address)).pendingRewards;
      const before = await token.balanceOf(bob.address);
      await expect(staking.connect(alice).claimRewards(operator.address, bob.address))
        .to.emit(staking, "RewardsClaimed")
        .withArgs(operator.address, alice.address, bob.address, pending);
      expect(await token.balanceOf(bob.address)).to.equal(before + pending);
      await expect(staking.connect(alice).claimRewards(operator.address, alice.address))
        .to.be.revertedWithCustomError(staking, "NothingToClaim")
        .withArgs(operator.address, alice.address);
      expect((await staking.totals()).rewardsPaid).to.equal(pending);
    });

    it("claimRewards should revert ZeroAddress for a zero receiver", async function () {
      const { staking, operator, alice } = await networkHelpers.loadFixture(rewardedFixture);
      await expect(
        staking.connect(alice).claimRewards(operator.address, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(staking, "ZeroAddress");
    });

    it("should give a staker who arrives after a distribution nothing of it", async function () {
      const { staking, operator, bob } = await networkHelpers.loadFixture(rewardedFixture);
      await staking.connect(bob).stake(operator.address, 10_000n * E18);
      expect((await staking.position(operator.address, bob.address)).pendingRewards).to.equal(0n);
    });

    it("addRewards should revert ZeroAmount on zero", async function () {
      const { staking } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.addRewards(0)).to.be.revertedWithCustomError(staking, "ZeroAmount");
    });
  });

  describe("commission", function () {
    it("should take effect only after its delay, at the next distribution", async function () {
      const { staking, token, operator, alice } = await networkHelpers.loadFixture(stakedFixture);
      const tx = staking.connect(operator).setCommission(2_000);
      const at = BigInt(await networkHelpers.time.latest()) + 1n;
      await expect(tx)
        .to.emit(staking, "CommissionChangeScheduled")
        .withArgs(operator.address, 2_000, at + COMMISSION_DELAY);
      let p = await staking.pool(operator.address);
      expect([p.commissionBps, p.nextCommissionBps, p.commissionEffectiveAt]).to.deep.equal([
        0n,
        2_000n,
        at + COMMISSION_DELAY,
      ]);
      await staking.addRewards(100n * E18);
      await staking.distribute();
      expect((await staking.pool(operator.address)).commissionAccrued).to.equal(0n);
      await networkHelpers.time.increase(COMMISSION_DELAY);
      p = await staking.pool(operator.address);
      expect([p.commissionBps, p.commissionEffectiveAt]).to.deep.equal([2_000n, 0n]);
      await staking.addRewards(100n * E18);
      await expect(staking.distribute())
        .to.emit(staking, "CommissionChanged")
        .withArgs(operator.address, 2_000);
      expect((await staking.pool(operator.address)).commissionAccrued).to.equal(20n * E18);
      const pending = (await staking.position(operator.address, alice.address)).pendingRewards;
      expect(pending).to.be.within(90n * E18 + 72n * E18 - 2n, 90n * E18 + 72n * E18);
      const before = await token.balanceOf(operator.address);
      await expect(staking.connect(operator).claimCommission(operator.address))
        .to.emit(staking, "CommissionClaimed")
        .withArgs(operator.address, operator.address, 20n * E18);
      expect(await token.balanceOf(operator.address)).to.equal(before + 20n * E18);
      await expect(staking.connect(operator).claimCommission(operator.address))
        .to.be.revertedWithCustomError(staking, "NothingToClaim")
        .withArgs(operator.address, operator.address);
    });

    it("claimCommission should revert ZeroAddress for a zero receiver", async function () {
      const { staking, operator } = await networkHelpers.loadFixture(stakedFixture);
      await expect(
        staking.connect(operator).claimCommission(ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(staking, "ZeroAddress");
    });

    it("should revert CommissionChangePending before the delay and accept a change after it", async function () {
      const { staking, operator } = await networkHelpers.loadFixture(stakedFixture);
      await staking.connect(operator).setCommission(1_000);
      const { commissionEffectiveAt } = await staking.pool(operator.address);
      await expect(staking.connect(operator).setCommission(500))
        .to.be.revertedWithCustomError(staking, "CommissionChangePending")
        .withArgs(commissionEffectiveAt);
      await networkHelpers.time.increase(COMMISSION_DELAY);
      await expect(staking.connect(operator).setCommission(500))
        .to.emit(staking, "CommissionChanged")
        .withArgs(operator.address, 1_000);
      const p = await staking.pool(operator.address);
      expect([p.commissionBps, p.nextCommissionBps]).to.deep.equal([1_000n, 500n]);
    });

    it("should revert CommissionAboveMax above 50% and UnknownOperator without a pool", async function () {
      const { staking, operator, stranger } = await networkHelpers.loadFixture(stakedFixture);
      await expect(staking.connect(operator).setCommission(5_001))
        .to.be.revertedWithCustomError(staking, "CommissionAboveMax")
        .withArgs(5_001, 5_000);
      await expect(staking.connect(stranger).setCommission(100))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(stranger.address);
    });
  });

  describe("slash", function () {
    it("should take the slash fraction from bonded and unbonding stake alike and pay challenger and treasury", async function () {
      const { staking, slasher, token, operator, alice, challenger, treasury } =
        await networkHelpers.loadFixture(unbondingFixture);
      const c0 = await token.balanceOf(challenger.address);
      const t0 = await token.balanceOf(treasury.address);
      // 7,000 bonded, 3,000 unbonding: 10% = 700 + 300. The reward, 50% of 1,000, is capped at the
      // operator's own loss (10% of its 1,000 OPEN bond = 100).
      await expect(slasher.slash(operator.address, challenger.address, CASE))
        .to.emit(staking, "Slashed")
        .withArgs(
          operator.address,
          await slasher.getAddress(),
          CASE,
          challenger.address,
          1_000n * E18,
          100n * E18,
          900n * E18,
        );
      expect(await token.balanceOf(challenger.address)).to.equal(c0 + 100n * E18);
      expect(await token.balanceOf(treasury.address)).to.equal(t0 + 900n * E18);
      const p = await staking.pool(operator.address);
      expect(p.assets).to.equal(9_000n * E18);
      expect(p.bondedAssets).to.be.within(6_300n * E18 - 1n, 6_300n * E18);
      expect(p.unbondingAssets).to.be.within(2_700n * E18, 2_700n * E18 + 1n);
      expect((await staking.position(operator.address, alice.address)).unbondingAssets).to.be.within(
        2_700n * E18 - 1n,
        2_700n * E18,
      );
      expect((await staking.position(operator.address, alice.address)).assets).to.be.within(
        5_400n * E18 - 1n,
        5_400n * E18,
      );
      expect((await staking.totals()).slashed).to.equal(1_000n * E18);
      expect(await staking.bondOf(operator.address)).to.be.within(900n * E18 - 1n, 900n * E18);
    });

    it("should pay the challenger the whole bounded part when the operator's own loss covers it", async function () {
      const { staking, slasher, operator, challenger } = await networkHelpers.loadFixture(deployStaking);
      // Only the operator's bond: 10% of 1,000 = 100, half of it to the challenger.
      await expect(slasher.slash(operator.address, challenger.address, CASE))
        .to.emit(staking, "Slashed")
        .withArgs(
          operator.address,
          await slasher.getAddress(),
          CASE,
          challenger.address,
          100n * E18,
          50n * E18,
          50n * E18,
        );
    });

    it("should slash an empty pool by zero without reverting", async function () {
      const { staking, slasher, operator2, challenger } = await networkHelpers.loadFixture(deployStaking);
      await staking.listOperator(operator2.address);
      await expect(slasher.slash(operator2.address, challenger.address, CASE))
        .to.emit(staking, "Slashed")
        .withArgs(operator2.address, await slasher.getAddress(), CASE, challenger.address, 0n, 0n, 0n);
    });

    it("should revert AlreadySlashed for a second slash of the same case and change nothing", async function () {
      const { staking, slasher, operator, challenger } = await networkHelpers.loadFixture(stakedFixture);
      await slasher.slash(operator.address, challenger.address, CASE);
      const p = await staking.pool(operator.address);
      await expect(slasher.slash(operator.address, challenger.address, CASE))
        .to.be.revertedWithCustomError(staking, "AlreadySlashed")
        .withArgs(await slasher.getAddress(), CASE);
      expect((await staking.pool(operator.address)).assets).to.equal(p.assets);
    });

    it("should revert UnknownOperator and ZeroAddress", async function () {
      const { staking, slasher, operator, stranger, challenger } =
        await networkHelpers.loadFixture(stakedFixture);
      await expect(slasher.slash(stranger.address, challenger.address, CASE))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(stranger.address);
      await expect(slasher.slash(operator.address, ethers.ZeroAddress, CASE)).to.be.revertedWithCustomError(
        staking,
        "ZeroAddress",
      );
    });

    it("should refuse any account, governance included", async function () {
      const { staking, admin, operator, challenger } = await networkHelpers.loadFixture(stakedFixture);
      await expect(staking.connect(admin).slash(operator.address, challenger.address, CASE))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, await staking.SLASHER_ROLE());
    });

    it("should refuse SLASHER_ROLE to an account (SlasherNotContract)", async function () {
      const { staking, stranger } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.grantRole(await staking.SLASHER_ROLE(), stranger.address))
        .to.be.revertedWithCustomError(staking, "SlasherNotContract")
        .withArgs(stranger.address);
    });
  });

  describe("operators", function () {
    it("requireBonded should return the pool id of a listed operator bonded at the minimum", async function () {
      const { staking, operator } = await networkHelpers.loadFixture(deployStaking);
      expect(await staking.requireBonded(operator.address)).to.equal(1n);
      expect(await staking.operatorOf(1)).to.equal(operator.address);
      expect(await staking.listedOperators()).to.deep.equal([operator.address]);
    });

    it("requireBonded should revert BondBelowMinimum, OperatorNotListed and UnknownOperator", async function () {
      const { staking, operator, stranger } = await networkHelpers.loadFixture(deployStaking);
      await staking.connect(operator).requestUnstake(operator.address, 1n);
      await expect(staking.requireBonded(operator.address))
        .to.be.revertedWithCustomError(staking, "BondBelowMinimum")
        .withArgs(operator.address, MIN_BOND - 1n, MIN_BOND);
      await staking.delistOperator(operator.address);
      await expect(staking.requireBonded(operator.address))
        .to.be.revertedWithCustomError(staking, "OperatorNotListed")
        .withArgs(operator.address);
      await expect(staking.requireBonded(stranger.address))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(stranger.address);
    });

    it("listOperator should keep the pool id when relisting, and delist from any place", async function () {
      const { staking, operator, operator2, alice } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.listOperator(operator2.address))
        .to.emit(staking, "OperatorListed")
        .withArgs(operator2.address, 2);
      await staking.listOperator(alice.address);
      await expect(staking.delistOperator(operator.address))
        .to.emit(staking, "OperatorDelisted")
        .withArgs(operator.address);
      expect(await staking.listedOperators()).to.deep.equal([alice.address, operator2.address]);
      await staking.delistOperator(operator2.address);
      expect(await staking.listedOperators()).to.deep.equal([alice.address]);
      await expect(staking.listOperator(operator.address))
        .to.emit(staking, "OperatorListed")
        .withArgs(operator.address, 1);
    });

    it("listOperator should revert ZeroAddress, OperatorAlreadyListed and TooManyOperators", async function () {
      const { staking, operator } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.listOperator(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        staking,
        "ZeroAddress",
      );
      await expect(staking.listOperator(operator.address))
        .to.be.revertedWithCustomError(staking, "OperatorAlreadyListed")
        .withArgs(operator.address);
      for (let i = 1; i < 64; i++)
        await staking.listOperator(ethers.getAddress(ethers.toBeHex(0x1000 + i, 20)));
      await expect(staking.listOperator(ethers.getAddress(ethers.toBeHex(0x2000, 20))))
        .to.be.revertedWithCustomError(staking, "TooManyOperators")
        .withArgs(64);
    });

    it("delistOperator should revert OperatorNotListed", async function () {
      const { staking, stranger } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.delistOperator(stranger.address))
        .to.be.revertedWithCustomError(staking, "OperatorNotListed")
        .withArgs(stranger.address);
    });

    it("setBondListener should revert BondListenerNotContract for an account and BondListenerAlreadySet the second time", async function () {
      const { staking, slasher, stranger } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.setBondListener(stranger.address))
        .to.be.revertedWithCustomError(staking, "BondListenerNotContract")
        .withArgs(stranger.address);
      const listener = await slasher.getAddress();
      await expect(staking.setBondListener(listener)).to.emit(staking, "BondListenerSet").withArgs(listener);
      expect(await staking.bondListener()).to.equal(listener);
      await expect(staking.setBondListener(await staking.getAddress()))
        .to.be.revertedWithCustomError(staking, "BondListenerAlreadySet")
        .withArgs(listener);
    });

    it("syncBond should revert UnknownOperator without a pool and do nothing without a listener", async function () {
      const { staking, operator, stranger } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.syncBond(stranger.address))
        .to.be.revertedWithCustomError(staking, "UnknownOperator")
        .withArgs(stranger.address);
      await (await staking.syncBond(operator.address)).wait();
      expect(await staking.bondListener()).to.equal(ethers.ZeroAddress);
    });

    it("should refuse governance functions to anyone but GOVERNANCE_ROLE", async function () {
      const { staking, stranger } = await networkHelpers.loadFixture(deployStaking);
      const role = await staking.GOVERNANCE_ROLE();
      for (const call of [
        staking.connect(stranger).listOperator(stranger.address),
        staking.connect(stranger).delistOperator(stranger.address),
        staking.connect(stranger).setUnbondingDelay(UNBONDING),
        staking.connect(stranger).setMinOperatorBond(MIN_BOND),
        staking.connect(stranger).setSlashBps(SLASH_BPS),
        staking.connect(stranger).setChallengerRewardBps(REWARD_BPS),
        staking.connect(stranger).setTreasury(stranger.address),
        staking.connect(stranger).setRewardSource(stranger.address),
        staking.connect(stranger).setBondListener(stranger.address),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, role);
      }
    });
  });

  describe("parameters", function () {
    it("should set each parameter within its bounds and emit its event", async function () {
      const { staking, stranger } = await networkHelpers.loadFixture(deployStaking);
      await expect(staking.setUnbondingDelay(180n * DAY))
        .to.emit(staking, "UnbondingDelayChanged")
        .withArgs(180n * DAY);
      await expect(staking.setMinOperatorBond(10_000_000n * E18))
        .to.emit(staking, "MinOperatorBondChanged")
        .withArgs(10_000_000n * E18);
      await expect(staking.setSlashBps(5_000)).to.emit(staking, "SlashBpsChanged").withArgs(5_000);
      await expect(staking.setChallengerRewardBps(0))
        .to.emit(staking, "ChallengerRewardBpsChanged")
        .withArgs(0);
      await expect(staking.setTreasury(stranger.address))
        .to.emit(staking, "TreasuryChanged")
        .withArgs(stranger.address);
      expect(await staking.unbondingDelay()).to.equal(180n * DAY);
      expect(await staking.treasury()).to.equal(stranger.address);
    });

    it("should revert each out-of-range parameter with its error", async function () {
      const { staking } = await networkHelpers.loadFixture(deployStaking);
      for (const d of [90n * DAY - 1n, 180n * DAY + 1n]) {
        await expect(staking.setUnbondingDelay(d))
          .to.be.revertedWithCustomError(staking, "UnbondingDelayOutOfRange")
          .withArgs(d);
      }
      for (const b of [0n, 10_000_000n * E18 + 1n]) {
        await expect(staking.setMinOperatorBond(b))
          .to.be.revertedWithCustomError(staking, "MinOperatorBondOutOfRange")
          .withArgs(b);
      }
      for (const b of [0n, 5_001n]) {
        await expect(staking.setSlashBps(b))
          .to.be.revertedWithCustomError(staking, "SlashBpsOutOfRange")
          .withArgs(b);
      }
      await expect(staking.setChallengerRewardBps(5_001))
        .to.be.revertedWithCustomError(staking, "ChallengerRewardBpsOutOfRange")
        .withArgs(5_001);
      await expect(staking.setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        staking,
        "ZeroAddress",
      );
      expect(await staking.unbondingDelay()).to.equal(UNBONDING);
    });
  });

  describe("solvency", function () {
    it("should hold at least all stake plus every unclaimed reward and commission after a mixed history", async function () {
      const { staking, token, slasher, operator, alice, bob, challenger } =
        await networkHelpers.loadFixture(stakedFixture);
      await staking.connect(operator).setCommission(333);
      await networkHelpers.time.increase(COMMISSION_DELAY);
      await staking.connect(bob).stake(operator.address, 1_234_567n);
      await staking.addRewards(1_000_003n);
      await staking.distribute();
      await staking.connect(alice).requestUnstake(operator.address, 777_777n);
      await slasher.slash(operator.address, challenger.address, CASE);
      await staking.addRewards(999_999_937n);
      await staking.distribute();
      const stakers = [operator, alice, bob];
      let owed = (await staking.totals()).staked + (await staking.totals()).rewardsQueued;
      owed += (await staking.pool(operator.address)).commissionAccrued;
      for (const s of stakers) owed += (await staking.position(operator.address, s.address)).pendingRewards;
      expect(await token.balanceOf(await staking.getAddress())).to.be.at.least(owed);
    });
  });
});
