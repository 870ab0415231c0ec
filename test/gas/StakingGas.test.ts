import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { E18, ethers, networkHelpers } from "../helpers/rewards.js";
import { UNBONDING, deployStaking, wiredFixture } from "../helpers/staking.js";

const COMMIT_BONDED = 78_897;
const COMMIT_BUDGET = 80_000;

/** Exact gas pins (production profile, receipt gasUsed) and the budgets. Set GAS_REPORT=1
 * to print the figures. Every operation touches a fixed set of slots (the pool's parts, the
 * staker's delegation or request, the parameters): the pool's staker count appears nowhere, which
 * the "flat" cases check by measuring with 1 and with 10 stakers in the pool. */
const PINS = {
  stake: 84_043, // a new staker: its delegation is a fresh slot (22,100); the token's transferFrom ~24,500
  requestUnstake: 66_217, // a first request: a fresh request slot (22,100)
  withdraw: 54_180,
  claimRewards: 58_771,
  slash: 108_077, // through MockSlasher (one extra call); the case key is a fresh slot (22,100); the bond listener read (2,100)
};
const BUDGET = {
  stake: 90_000,
  requestUnstake: 70_000,
  withdraw: 60_000,
  claimRewards: 70_000,
  slash: 150_000,
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

function pin(name: keyof typeof PINS, used: number) {
  if (process.env.GAS_REPORT) console.log(`      gas ${name}: ${used}`);
  expect(used, `${name}: ${used} gas over the budget ${BUDGET[name]}`).to.be.at.most(BUDGET[name]);
  if (PINS[name] !== 0)
    expect(used, `${name}: was pinned at ${PINS[name]}, now ${used}`).to.equal(PINS[name]);
}

/** One operation per staker, in a pool with `stakers` stakers that has received rewards: every
 * staker holds OPEN already (the usual case), approves exactly what it stakes (the token then
 * writes the allowance: the dearer case). */
async function measure(stakers: number) {
  const f = await deployStaking();
  const { staking, token, operator, slasher, challenger } = f;
  const signers = (await ethers.getSigners()).slice(9, 9 + stakers + 1);
  const stakingAddress = await staking.getAddress();
  for (const s of signers) {
    await token.transfer(s.address, 10_000n * E18);
    await token.connect(s).approve(stakingAddress, 1_000n * E18);
  }
  const [fresh, ...pool] = signers;
  for (const s of pool) await staking.connect(s).stake(operator.address, 1_000n * E18);
  await staking.addRewards(500n * E18);
  await staking.distribute();
  const stake = await gasOf(staking.connect(fresh).stake(operator.address, 1_000n * E18));
  const claimRewards = await gasOf(staking.connect(pool[0]).claimRewards(operator.address, pool[0].address));
  const requestUnstake = await gasOf(staking.connect(pool[0]).requestUnstake(operator.address, 400n * E18));
  // Steady state: the treasury and the challenger hold OPEN (in the real path the registry has
  // just returned the challenger's bond) and an earlier case was slashed.
  await token.transfer(challenger.address, E18);
  await slasher.slash(operator.address, challenger.address, ethers.id("earlier case"));
  const slash = await gasOf(slasher.slash(operator.address, challenger.address, ethers.id("case")));
  await networkHelpers.time.increase(UNBONDING);
  const withdraw = await gasOf(staking.connect(pool[0]).withdraw(operator.address, pool[0].address));
  return { stake, requestUnstake, withdraw, claimRewards, slash };
}

describe("Staking gas @gas", function () {
  it("pins stake, requestUnstake, withdraw, claimRewards and slash, identical for 1 and 10 stakers", async function () {
    const one = await measure(1);
    const many = await measure(10);
    for (const k of Object.keys(PINS) as (keyof typeof PINS)[]) {
      expect(many[k], `${k} depends on the number of stakers`).to.equal(one[k]);
      pin(k, one[k]);
    }
  });
});

describe("Attribution commit with the bond check @gas", function () {
  it("pins commitAttribution by a bonded operator with staking set", async function () {
    const { registry, operator } = await networkHelpers.loadFixture(wiredFixture);
    const uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    const used = await gasOf(
      registry.connect(operator).commitAttribution(1, 0, ethers.id("root"), 10n ** 24n, 1, uri),
    );
    if (process.env.GAS_REPORT) console.log(`      gas commitAttributionBonded: ${used}`);
    // The registry's copy of the bond status sits in the slot its role check reads: no call into
    // staking, the same reads as without staking (test/gas/RewardsGas.test.ts), the pool id packed
    // into the commitment's word.
    expect(used, `commitAttribution: ${used} gas over the budget ${COMMIT_BUDGET}`).to.be.at.most(
      COMMIT_BUDGET,
    );
    expect(used, `commitAttributionBonded: was pinned at ${COMMIT_BONDED}, now ${used}`).to.equal(
      COMMIT_BONDED,
    );
  });
});
