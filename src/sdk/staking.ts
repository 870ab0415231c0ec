/**
 * Staking actions and reads: stakers delegate OPEN behind an operator, ask to unstake, withdraw
 * after the unbonding delay and claim their share of the staker rewards; operators bond (stake in
 * their own pool), schedule their commission and claim it; anyone moves the distributor's staker
 * reserve into the pools (`distributeStakerRewards`). Every action waits for its transaction and
 * returns what its event says.
 */
import type { Signer, TransactionReceipt } from "ethers";
import { call, eventArgs, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** A pool as the staking contract reports it (`IOperatorStaking.PoolView`). */
export interface StakingPool {
  operator: string;
  /** Pool id (0: the operator has no pool). */
  id: bigint;
  listed: boolean;
  /** All OPEN in the pool, bonded and unbonding. */
  assets: bigint;
  shares: bigint;
  bondedAssets: bigint;
  unbondingAssets: bigint;
  /** The operator's own bonded stake. */
  bond: bigint;
  commissionBps: bigint;
  nextCommissionBps: bigint;
  /** When the scheduled commission takes effect (0: none scheduled). */
  commissionEffectiveAt: bigint;
  commissionAccrued: bigint;
}

/** A staker's position in one pool. */
export interface StakePosition {
  operator: string;
  account: string;
  shares: bigint;
  /** What the bonded shares are worth now. */
  assets: bigint;
  pendingRewards: bigint;
  unbondingShares: bigint;
  unbondingAssets: bigint;
  /** When the unbonding stake can be withdrawn (0: nothing unbonding). */
  withdrawableAt: bigint;
}

/** The staking contract's parameters. */
export interface StakingParameters {
  unbondingDelay: bigint;
  minOperatorBond: bigint;
  slashBps: bigint;
  challengerRewardBps: bigint;
  treasury: string;
}

/** Stake delegated behind an operator. */
export interface StakeResult {
  assets: bigint;
  shares: bigint;
  receipt: TransactionReceipt;
}

/** An unstake request. */
export interface UnstakeResult {
  assets: bigint;
  shares: bigint;
  withdrawableAt: bigint;
  receipt: TransactionReceipt;
}

/** An amount of OPEN paid out (a withdrawal, rewards, commission). */
export interface StakingPayout {
  amount: bigint;
  receipt: TransactionReceipt;
}

/** A distribution of staker rewards to the pools. */
export interface StakerRewardsDistribution {
  /** What moved from the distributor's staker reserve in this transaction. */
  pulled: bigint;
  /** What was credited to pools (stakers and commission). */
  distributed: bigint;
  /** What stays queued for the next distribution. */
  queued: bigint;
  receipt: TransactionReceipt;
}

/** A scheduled commission change. */
export interface CommissionSchedule {
  bps: bigint;
  effectiveAt: bigint;
  receipt: TransactionReceipt;
}

/** The parameters of the staking contract. */
export async function stakingParameters(suite: Suite): Promise<StakingParameters> {
  const [unbondingDelay, minOperatorBond, slashBps, challengerRewardBps, treasury] = await Promise.all([
    suite.staking.unbondingDelay(),
    suite.staking.minOperatorBond(),
    suite.staking.slashBps(),
    suite.staking.challengerRewardBps(),
    suite.staking.treasury(),
  ]);
  return { unbondingDelay, minOperatorBond, slashBps, challengerRewardBps, treasury };
}

/** `operator`'s pool (id 0 when it has none). */
export async function stakingPool(suite: Suite, operator: string): Promise<StakingPool> {
  const [p, bond] = await Promise.all([suite.staking.pool(operator), suite.staking.bondOf(operator)]);
  return {
    operator,
    id: p.id,
    listed: p.listed,
    assets: p.assets,
    shares: p.shares,
    bondedAssets: p.bondedAssets,
    unbondingAssets: p.unbondingAssets,
    bond,
    commissionBps: p.commissionBps,
    nextCommissionBps: p.nextCommissionBps,
    commissionEffectiveAt: p.commissionEffectiveAt,
    commissionAccrued: p.commissionAccrued,
  };
}

/** Every listed operator's pool. */
export async function listedPools(suite: Suite): Promise<StakingPool[]> {
  const operators = await suite.staking.listedOperators();
  return Promise.all(operators.map((o) => stakingPool(suite, o)));
}

/** `account`'s position in `operator`'s pool. */
export async function stakePosition(suite: Suite, operator: string, account: string): Promise<StakePosition> {
  const p = await suite.staking.position(operator, account);
  return {
    operator,
    account,
    shares: p.shares,
    assets: p.assets,
    pendingRewards: p.pendingRewards,
    unbondingShares: p.unbondingShares,
    unbondingAssets: p.unbondingAssets,
    withdrawableAt: p.withdrawableAt,
  };
}

/**
 * What `operator` must still stake in its own pool to reach the minimum bond (0 when it is there).
 * It adds 2 wei to the difference: a stake's shares and the bond's value are both rounded down
 * (against the staker), which together can cost up to 2 wei.
 */
export async function bondShortfall(suite: Suite, operator: string): Promise<bigint> {
  const [minimum, bond] = await Promise.all([
    suite.staking.minOperatorBond(),
    suite.staking.bondOf(operator),
  ]);
  return bond >= minimum ? 0n : minimum - bond + 2n;
}

/**
 * Stakes `amount` OPEN of `staker`'s behind `operator` (its own pool: a bond), approving the
 * staking contract first when the allowance is short.
 */
export async function stake(
  suite: Suite,
  staker: Signer,
  operator: string,
  amount: bigint,
): Promise<StakeResult> {
  const address = await staker.getAddress();
  if ((await suite.token.allowance(address, suite.addresses.staking)) < amount) {
    await send(suite, call(suite.token.connect(staker), "approve", suite.addresses.staking, amount));
  }
  const receipt = await send(suite, call(suite.staking.connect(staker), "stake", operator, amount));
  const ev = eventArgs(suite, receipt, "Staked")[0];
  return { assets: ev.assets as bigint, shares: ev.shares as bigint, receipt };
}

/** Asks to unstake `amount` OPEN of the sender's bonded stake behind `operator`. */
export async function requestUnstake(suite: Suite, operator: string, amount: bigint): Promise<UnstakeResult> {
  const receipt = await send(suite, call(suite.staking, "requestUnstake", operator, amount));
  const ev = eventArgs(suite, receipt, "UnstakeRequested")[0];
  return {
    assets: ev.assets as bigint,
    shares: ev.shares as bigint,
    withdrawableAt: ev.withdrawableAt as bigint,
    receipt,
  };
}

/** Withdraws the sender's unbonding stake behind `operator` to `to` (after the delay). */
export async function withdrawStake(suite: Suite, operator: string, to: string): Promise<StakingPayout> {
  const receipt = await send(suite, call(suite.staking, "withdraw", operator, to));
  return { amount: eventArgs(suite, receipt, "Withdrawn")[0].assets as bigint, receipt };
}

/** Claims the sender's staker rewards in `operator`'s pool to `to`. */
export async function claimStakingRewards(
  suite: Suite,
  operator: string,
  to: string,
): Promise<StakingPayout> {
  const receipt = await send(suite, call(suite.staking, "claimRewards", operator, to));
  return { amount: eventArgs(suite, receipt, "RewardsClaimed")[0].amount as bigint, receipt };
}

/** Claims the sender's (an operator's) accrued commission to `to`. */
export async function claimCommission(suite: Suite, to: string): Promise<StakingPayout> {
  const receipt = await send(suite, call(suite.staking, "claimCommission", to));
  return { amount: eventArgs(suite, receipt, "CommissionClaimed")[0].amount as bigint, receipt };
}

/** Schedules the sender's (an operator's) commission; it takes effect after the commission delay. */
export async function setCommission(suite: Suite, bps: bigint): Promise<CommissionSchedule> {
  const receipt = await send(suite, call(suite.staking, "setCommission", bps));
  const ev = eventArgs(suite, receipt, "CommissionChangeScheduled")[0];
  return { bps: ev.bps as bigint, effectiveAt: ev.effectiveAt as bigint, receipt };
}

/** Moves the distributor's staker reserve into staking and shares the queue between the pools. */
export async function distributeStakerRewards(suite: Suite): Promise<StakerRewardsDistribution> {
  const receipt = await send(suite, call(suite.staking, "distribute"));
  const released = eventArgs(suite, receipt, "StakerRewardsReleased")[0];
  const ev = eventArgs(suite, receipt, "RewardsDistributed")[0];
  return {
    pulled: (released?.amount as bigint | undefined) ?? 0n,
    distributed: ev.amount as bigint,
    queued: ev.queued as bigint,
    receipt,
  };
}
