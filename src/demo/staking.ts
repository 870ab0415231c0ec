/**
 * The staking part of the demo's story: stakers delegate behind the attribution operator, a
 * wrong commitment is challenged and voided and the operator's pool slashed, the staker rewards
 * are distributed and claimed; then staking's part of the report.
 */
import type { Signer } from "ethers";
import { formatEther } from "ethers";
import * as sdk from "../sdk/index.js";
import { withRunner, type Suite } from "../sdk/suite.js";

/** One pool of the report: its operator, assets, bond and the demo's stakers behind it. */
export interface DemoPool {
  operator: string;
  id: string;
  assets: string;
  bond: string;
  bondedAssets: string;
  unbondingAssets: string;
  commissionBps: string;
  stakers: { account: string; assets: string }[];
}

/** A voided commitment's slash: what the operator lost, the challenger's reward, the treasury's part. */
export interface DemoSlash {
  operator: string;
  modelId: string;
  epoch: string;
  challenger: string;
  slashed: string;
  reward: string;
  toTreasury: string;
}

/** Stake behind the operators, the staker rewards claimed, and the slashes. */
export interface DemoStakingReport {
  pools: DemoPool[];
  rewardsClaimed: { operator: string; account: string; amount: string }[];
  slashes: DemoSlash[];
  books: {
    staked: string;
    rewardsReceived: string;
    rewardsToPools: string;
    rewardsQueued: string;
    rewardsPaid: string;
    slashed: string;
    stakingBalance: string;
    /** `rewardsReceived == rewardsToPools + rewardsQueued`, and every staker reward released by the distributor arrived. */
    balanced: boolean;
    /** Staking holds at least the stake and every reward not yet paid. */
    solvent: boolean;
  };
}

/** Each staker delegates its amount behind the operator (the operator's own bond came with the deployment). */
export async function delegateBehind(
  suite: Suite,
  operator: string,
  stakes: readonly (readonly [Signer, bigint])[],
): Promise<void> {
  for (const [who, amount] of stakes) await sdk.stake(suite, who, operator, amount);
}

/**
 * A watcher challenges the committed (model, epoch) pair, governance voids it and the operator's
 * pool is slashed; the operator then tops its bond back up to the minimum so it may commit again.
 * Returns the slash as the report shows it (none when the contracts slashed nothing).
 */
export async function challengeAndSlash(
  suite: Suite,
  args: { operator: Signer; watcher: Signer; modelId: bigint; epoch: bigint; reasonUri: string },
): Promise<DemoSlash[]> {
  const { operator, watcher, modelId, epoch } = args;
  await sdk.challengeCommitment(suite, watcher, modelId, epoch, args.reasonUri);
  const resolved = await sdk.resolveChallenge(suite, modelId, epoch, false);
  const operatorAddress = await operator.getAddress();
  const shortfall = await sdk.bondShortfall(suite, operatorAddress);
  if (shortfall > 0n) await sdk.stake(suite, operator, operatorAddress, shortfall);
  if (!resolved.slash) return [];
  return [
    {
      operator: resolved.slash.operator,
      modelId: modelId.toString(),
      epoch: epoch.toString(),
      challenger: resolved.bondRecipient,
      slashed: resolved.slash.slashed.toString(),
      reward: resolved.slash.reward.toString(),
      toTreasury: resolved.slash.toTreasury.toString(),
    },
  ];
}

/** The distributor's staker reserve moves to the pools; each of `stakers` with rewards behind `operator` claims them. */
export async function distributeAndClaim(
  suite: Suite,
  operator: string,
  stakers: readonly Signer[],
): Promise<DemoStakingReport["rewardsClaimed"]> {
  await sdk.distributeStakerRewards(suite);
  const claimed: DemoStakingReport["rewardsClaimed"] = [];
  for (const who of stakers) {
    const account = await who.getAddress();
    const { pendingRewards } = await sdk.stakePosition(suite, operator, account);
    if (pendingRewards === 0n) continue;
    const { amount } = await sdk.claimStakingRewards(withRunner(suite, who), operator, account);
    claimed.push({ operator, account, amount: amount.toString() });
  }
  return claimed;
}

/** The staking part of the report: pools, claims, slashes, and staking's own books. */
export async function stakingReport(
  suite: Suite,
  extra: Pick<DemoStakingReport, "rewardsClaimed" | "slashes"> & { stakers: string[] },
): Promise<DemoStakingReport> {
  const pools = await sdk.listedPools(suite);
  const t = await suite.staking.totals();
  const balance = await suite.token.balanceOf(suite.addresses.staking);
  const released = (await suite.distributor.books()).stakersReleased;
  const owed = t.staked + t.rewardsToPools + t.rewardsQueued - t.rewardsPaid;
  const stakersOf = async (operator: string): Promise<DemoPool["stakers"]> =>
    (
      await Promise.all(
        extra.stakers.map(async (account) => ({
          account,
          assets: (await sdk.stakePosition(suite, operator, account)).assets.toString(),
        })),
      )
    ).filter((s) => s.assets !== "0");
  return {
    pools: await Promise.all(
      pools.map(async (p) => ({
        operator: p.operator,
        id: p.id.toString(),
        assets: p.assets.toString(),
        bond: p.bond.toString(),
        bondedAssets: p.bondedAssets.toString(),
        unbondingAssets: p.unbondingAssets.toString(),
        commissionBps: p.commissionBps.toString(),
        stakers: await stakersOf(p.operator),
      })),
    ),
    rewardsClaimed: extra.rewardsClaimed,
    slashes: extra.slashes,
    books: {
      staked: t.staked.toString(),
      rewardsReceived: t.rewardsReceived.toString(),
      rewardsToPools: t.rewardsToPools.toString(),
      rewardsQueued: t.rewardsQueued.toString(),
      rewardsPaid: t.rewardsPaid.toString(),
      slashed: t.slashed.toString(),
      stakingBalance: balance.toString(),
      balanced: t.rewardsReceived === t.rewardsToPools + t.rewardsQueued && t.rewardsReceived === released,
      solvent: balance >= owed,
    },
  };
}

/** The staking lines of the text report. */
export function formatStakingReport(s: DemoStakingReport): string[] {
  const o = (wei: string) => `${formatEther(wei)} OPEN`;
  const lines: string[] = ["Staking:"];
  for (const p of s.pools) {
    lines.push(
      `  pool ${p.id} of ${p.operator}: ${o(p.assets)} (operator's bond ${o(p.bond)}, ${o(p.unbondingAssets)} unbonding), commission ${Number(p.commissionBps) / 100}%`,
    );
    for (const st of p.stakers) lines.push(`    ${st.account} ${o(st.assets)}`);
  }
  for (const sl of s.slashes)
    lines.push(
      `  slashed ${sl.operator} for model ${sl.modelId} epoch ${sl.epoch}: ${o(sl.slashed)} (${o(sl.reward)} to the challenger ${sl.challenger}, ${o(sl.toTreasury)} to the treasury)`,
    );
  for (const c of s.rewardsClaimed)
    lines.push(`  ${c.account} claimed ${o(c.amount)} of staker rewards behind ${c.operator}`);
  const sb = s.books;
  lines.push(
    `  staking books: ${o(sb.staked)} staked, rewards ${o(sb.rewardsReceived)} received = ${o(sb.rewardsToPools)} to pools + ${o(sb.rewardsQueued)} queued, ${o(sb.rewardsPaid)} paid; holds ${o(sb.stakingBalance)}: ${sb.balanced && sb.solvent ? "BALANCED and solvent" : "NOT BALANCED"}`,
  );
  return lines;
}
