/**
 * `stake deposit|unstake|withdraw|claim|status` and `operator bond|commission|status`: staking
 * from the terminal. Every action checks by view calls what would make the transaction revert
 * (an unknown or delisted operator, too little OPEN or stake, the unbonding delay, nothing to
 * claim, a commission above its bound or a change still pending) and says what to do instead.
 */
import { formatEther, id as roleId } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseUint } from "../../src/cli/args.js";
import {
  CliError,
  connect,
  note,
  output,
  parseAccount,
  runTask,
  type TaskContext,
} from "../../src/cli/task.js";
import type { SuiteArgs } from "../../src/cli/options.js";
import {
  bondShortfall,
  claimCommission,
  claimStakingRewards,
  distributeStakerRewards,
  listedPools,
  requestUnstake,
  setCommission,
  stake,
  stakePosition,
  stakingParameters,
  stakingPool,
  withdrawStake,
  type StakingPool,
} from "../../src/sdk/staking.js";
import { amountOf } from "./token.js";

export interface StakingArgs extends SuiteArgs {
  operator?: string;
  account?: string;
  amount?: string;
  to?: string;
  bps?: string;
  claim?: string;
}

const open = (wei: bigint) => `${formatEther(wei)} OPEN`;
const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");

/** `--operator`, required: an address or account index. */
async function operatorOf(ctx: TaskContext, args: StakingArgs): Promise<string> {
  if (args.operator === undefined)
    throw new CliError(
      "--operator is required: the operator's address or account index (operator status lists pools)",
    );
  return parseAccount(ctx, args.operator, "--operator");
}

/** The operator's pool, failing when it has none. */
async function poolOf(ctx: TaskContext, operator: string): Promise<StakingPool> {
  const pool = await stakingPool(ctx.suite, operator);
  if (pool.id === 0n)
    throw new CliError(
      `${operator} is not an operator (it has no staking pool): pick one of the listed operators (stake status lists them)`,
    );
  return pool;
}

/** Chain time: the latest block's timestamp. */
async function chainTime(ctx: TaskContext): Promise<bigint> {
  const block = await ctx.provider.getBlock("latest");
  if (block === null) throw new CliError("the node returned no latest block: is it running?");
  return BigInt(block.timestamp);
}

/** Fails unless `ctx.from` holds `amount` OPEN. */
async function assertHolds(ctx: TaskContext, amount: bigint): Promise<void> {
  const held = await ctx.suite.token.balanceOf(ctx.from);
  if (held < amount)
    throw new CliError(
      `${ctx.from} holds ${open(held)}, less than --amount ${open(amount)}: stake less or get OPEN first (token transfer)`,
    );
}

/** Fails while the guardian has paused new stake. */
async function assertNotPaused(ctx: TaskContext): Promise<void> {
  const until = await ctx.suite.staking.pausedUntil();
  if (until > (await chainTime(ctx)))
    throw new CliError(
      `staking takes no new stake until ${iso(until)} (guardian pause): try again after that`,
    );
}

export async function deposit(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const amount = amountOf(args.amount, "--amount");
    const ctx = await connect(args, hre);
    const operator = await operatorOf(ctx, args);
    const pool = await poolOf(ctx, operator);
    if (!pool.listed)
      throw new CliError(
        `operator ${operator} is delisted: it takes no new stake; pick a listed operator (stake status)`,
      );
    await assertHolds(ctx, amount);
    await assertNotPaused(ctx);
    const r = await stake(ctx.suite, ctx.signer, operator, amount);
    const result = { staker: ctx.from, operator, assets: r.assets, shares: r.shares, tx: r.receipt.hash };
    return output(args, result, [
      `${ctx.from} staked ${open(r.assets)} behind ${operator} (${r.shares} shares); tx ${r.receipt.hash}`,
    ]);
  });
}

export async function unstake(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const all = args.amount === "all";
    const given = all ? undefined : amountOf(args.amount, "--amount");
    const ctx = await connect(args, hre);
    const operator = await operatorOf(ctx, args);
    await poolOf(ctx, operator);
    const position = await stakePosition(ctx.suite, operator, ctx.from);
    const amount = given ?? position.assets;
    if (amount === 0n)
      throw new CliError(`${ctx.from} has no bonded stake behind ${operator}: nothing to unstake`);
    if (amount > position.assets)
      throw new CliError(
        `${ctx.from} has ${open(position.assets)} staked behind ${operator}, less than --amount ${open(amount)}: unstake at most that (or --amount all)`,
      );
    const r = await requestUnstake(ctx.suite, operator, amount);
    const result = {
      staker: ctx.from,
      operator,
      assets: r.assets,
      shares: r.shares,
      withdrawableAt: r.withdrawableAt,
      tx: r.receipt.hash,
    };
    return output(args, result, [
      `${ctx.from} asked to unstake ${open(r.assets)} from behind ${operator}; it earns nothing from now, stays slashable, and can be withdrawn from ${iso(r.withdrawableAt)} (stake withdraw); tx ${r.receipt.hash}`,
    ]);
  });
}

export async function withdraw(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const operator = await operatorOf(ctx, args);
    const to = args.to === undefined ? ctx.from : await parseAccount(ctx, args.to, "--to");
    const position = await stakePosition(ctx.suite, operator, ctx.from);
    if (position.unbondingShares === 0n)
      throw new CliError(
        `${ctx.from} has nothing unbonding behind ${operator}: ask first (stake unstake), then withdraw after the unbonding delay`,
      );
    const now = await chainTime(ctx);
    if (now < position.withdrawableAt)
      throw new CliError(
        `${open(position.unbondingAssets)} unbonding behind ${operator} can be withdrawn from ${iso(position.withdrawableAt)} (chain time ${iso(now)}): wait until then`,
      );
    const r = await withdrawStake(ctx.suite, operator, to);
    const result = { staker: ctx.from, operator, to, amount: r.amount, tx: r.receipt.hash };
    return output(args, result, [
      `withdrew ${open(r.amount)} from behind ${operator} to ${to}; tx ${r.receipt.hash}`,
    ]);
  });
}

export async function claim(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const operator = await operatorOf(ctx, args);
    const to = args.to === undefined ? ctx.from : await parseAccount(ctx, args.to, "--to");
    await poolOf(ctx, operator);
    let pending = (await stakePosition(ctx.suite, operator, ctx.from)).pendingRewards;
    let distributed: bigint | undefined;
    const [totals, books] = await Promise.all([ctx.suite.staking.totals(), ctx.suite.distributor.books()]);
    const waiting = totals.rewardsQueued + (books.stakerReserve - books.stakersReleased);
    if (pending === 0n && waiting > 0n) {
      // Rewards reach pools at a distribution (anyone may run it): run it, then look again.
      const d = await distributeStakerRewards(ctx.suite);
      distributed = d.distributed;
      note(
        args,
        `distributed ${open(d.distributed)} of staker rewards to the pools (${open(d.pulled)} from the distributor)`,
      );
      pending = (await stakePosition(ctx.suite, operator, ctx.from)).pendingRewards;
    }
    if (pending === 0n)
      throw new CliError(
        `${ctx.from} has no rewards to claim behind ${operator}: rewards accrue to bonded stake at each distribution`,
      );
    const r = await claimStakingRewards(ctx.suite, operator, to);
    const result = { staker: ctx.from, operator, to, amount: r.amount, distributed, tx: r.receipt.hash };
    return output(args, result, [
      `claimed ${open(r.amount)} of staker rewards behind ${operator} to ${to}; tx ${r.receipt.hash}`,
    ]);
  });
}

export async function status(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const account =
      args.account === undefined ? ctx.from : await parseAccount(ctx, args.account, "--account");
    const pools =
      args.operator === undefined
        ? await listedPools(ctx.suite)
        : [await poolOf(ctx, await operatorOf(ctx, args))];
    const positions = await Promise.all(pools.map((p) => stakePosition(ctx.suite, p.operator, account)));
    const params = await stakingParameters(ctx.suite);
    const result = { account, unbondingDelay: params.unbondingDelay, positions };
    const lines = [`${account}: unbonding delay ${Number(params.unbondingDelay) / 86_400} days`];
    for (const [i, p] of positions.entries()) {
      const pool = pools[i];
      lines.push(
        `  behind ${p.operator} (pool ${pool.id}${pool.listed ? "" : ", delisted"}, ${open(pool.assets)} in the pool, commission ${Number(pool.commissionBps) / 100}%): ${open(p.assets)} staked, ${open(p.pendingRewards)} rewards to claim${p.unbondingShares === 0n ? "" : `, ${open(p.unbondingAssets)} unbonding until ${iso(p.withdrawableAt)}`}`,
      );
    }
    if (positions.length === 0) lines.push("  no listed operator yet");
    return output(args, result, lines);
  });
}

export async function bond(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const given = args.amount === undefined ? undefined : amountOf(args.amount, "--amount");
    const ctx = await connect(args, hre);
    const pool = await poolOf(ctx, ctx.from);
    if (!pool.listed)
      throw new CliError(
        `${ctx.from} is delisted: a delisted pool takes no stake; governance lists operators`,
      );
    const minimum = await ctx.suite.staking.minOperatorBond();
    const amount = given ?? (await bondShortfall(ctx.suite, ctx.from));
    if (amount === 0n)
      throw new CliError(
        `${ctx.from}'s bond of ${open(pool.bond)} already meets the minimum of ${open(minimum)}: give --amount to bond more`,
      );
    await assertHolds(ctx, amount);
    await assertNotPaused(ctx);
    const r = await stake(ctx.suite, ctx.signer, ctx.from, amount);
    const after = await ctx.suite.staking.bondOf(ctx.from);
    const result = { operator: ctx.from, bonded: r.assets, bond: after, minimum, tx: r.receipt.hash };
    return output(args, result, [
      `${ctx.from} bonded ${open(r.assets)}; its bond is ${open(after)} (minimum ${open(minimum)}${after >= minimum ? ": it may commit" : ": still below, it may not commit"}); tx ${r.receipt.hash}`,
    ]);
  });
}

export async function commission(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if ((args.bps === undefined) === (args.claim === undefined))
      throw new CliError(
        "give either --bps <basis points> to schedule a commission or --claim <to> to claim it",
      );
    const bps = args.bps === undefined ? undefined : parseUint(args.bps, "--bps", { allowZero: true });
    const ctx = await connect(args, hre);
    const pool = await poolOf(ctx, ctx.from);
    if (bps === undefined) {
      const to = await parseAccount(ctx, args.claim!, "--claim");
      if (pool.commissionAccrued === 0n) throw new CliError(`${ctx.from} has no accrued commission to claim`);
      const r = await claimCommission(ctx.suite, to);
      const result = { operator: ctx.from, to, amount: r.amount, tx: r.receipt.hash };
      return output(args, result, [`claimed ${open(r.amount)} of commission to ${to}; tx ${r.receipt.hash}`]);
    }
    const max = await ctx.suite.staking.MAX_COMMISSION_BPS();
    if (bps > max) throw new CliError(`--bps ${bps} is above the highest commission, ${max} basis points`);
    const now = await chainTime(ctx);
    if (pool.commissionEffectiveAt !== 0n && now < pool.commissionEffectiveAt)
      throw new CliError(
        `a change to ${pool.nextCommissionBps} basis points is scheduled for ${iso(pool.commissionEffectiveAt)}: schedule another after that`,
      );
    const r = await setCommission(ctx.suite, bps);
    const result = { operator: ctx.from, bps: r.bps, effectiveAt: r.effectiveAt, tx: r.receipt.hash };
    return output(args, result, [
      `commission of ${ctx.from}'s pool: ${r.bps} basis points from ${iso(r.effectiveAt)} (the first distribution after it); tx ${r.receipt.hash}`,
    ]);
  });
}

export async function operatorStatus(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const ctx = await connect(args, hre);
    const operator =
      args.operator === undefined ? ctx.from : await parseAccount(ctx, args.operator, "--operator");
    const [pool, params, isAttributionOperator, isSettlementOperator] = await Promise.all([
      stakingPool(ctx.suite, operator),
      stakingParameters(ctx.suite),
      ctx.suite.attribution.hasRole(roleId("ATTRIBUTION_OPERATOR_ROLE"), operator),
      ctx.suite.distributor.hasRole(roleId("SETTLEMENT_OPERATOR_ROLE"), operator),
    ]);
    const bonded = pool.listed && pool.bond >= params.minOperatorBond;
    const mayCommitAttribution = isAttributionOperator && bonded;
    const result = {
      ...pool,
      minOperatorBond: params.minOperatorBond,
      bonded,
      isAttributionOperator,
      isSettlementOperator,
      mayCommitAttribution,
    };
    const lines =
      pool.id === 0n
        ? [`${operator} has no staking pool: governance lists operators`]
        : [
            `${operator}: pool ${pool.id}, ${pool.listed ? "listed" : "delisted"}`,
            `  bond ${open(pool.bond)} (minimum ${open(params.minOperatorBond)}): ${bonded ? "bonded" : "NOT bonded: operator bond"}`,
            `  pool ${open(pool.assets)} (${open(pool.bondedAssets)} bonded, ${open(pool.unbondingAssets)} unbonding)`,
            `  commission ${pool.commissionBps} bps${pool.commissionEffectiveAt === 0n ? "" : `, ${pool.nextCommissionBps} bps from ${iso(pool.commissionEffectiveAt)}`}; ${open(pool.commissionAccrued)} accrued`,
            `  attribution operator: ${isAttributionOperator ? "yes" : "no"}; may commit attribution: ${mayCommitAttribution ? "yes" : "no"}; settlement operator: ${isSettlementOperator ? "yes" : "no"}`,
          ];
    return output(args, result, lines);
  });
}
