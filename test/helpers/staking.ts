import { E18, EPOCH, SUPPLY, deployRewardsWith, ethers, networkHelpers } from "./rewards.js";

export const DAY = 86_400n;
export const UNBONDING = 90n * DAY;
export const MIN_BOND = 1_000n * E18;
export const SLASH_BPS = 1_000n;
export const REWARD_BPS = 5_000n;
export const COMMISSION_DELAY = 7n * DAY;

/** OperatorStaking with the default test parameters. */
export async function deployStakingOf(token: string, admin: string, treasury: string) {
  return ethers.deployContract("OperatorStaking", [
    token,
    admin,
    treasury,
    UNBONDING,
    MIN_BOND,
    SLASH_BPS,
    REWARD_BPS,
  ]);
}

/** Token, staking (default parameters), a slasher contract holding SLASHER_ROLE, one listed
 * operator bonded at the minimum, and funded, approved stakers. */
export async function deployStaking() {
  const [admin, operator, operator2, alice, bob, carol, challenger, treasury, stranger] =
    await ethers.getSigners();
  const token = await ethers.deployContract("OpenToken", ["OpenLedger", "OPEN", admin.address, SUPPLY]);
  const staking = await deployStakingOf(await token.getAddress(), admin.address, treasury.address);
  const slasher = await ethers.deployContract("MockSlasher", [await staking.getAddress()]);
  await staking.grantRole(await staking.SLASHER_ROLE(), await slasher.getAddress());
  const stakingAddress = await staking.getAddress();
  for (const s of [operator, operator2, alice, bob, carol, stranger]) {
    await token.transfer(s.address, 1_000_000n * E18);
    await token.connect(s).approve(stakingAddress, ethers.MaxUint256);
  }
  await token.approve(stakingAddress, ethers.MaxUint256);
  await staking.listOperator(operator.address);
  await staking.connect(operator).stake(operator.address, MIN_BOND);
  return {
    token,
    staking,
    slasher,
    admin,
    operator,
    operator2,
    alice,
    bob,
    carol,
    challenger,
    treasury,
    stranger,
  };
}

/** The rewards suite with staking wired: the registry is built with the staking contract and is
 * its bond listener, the distributor knows it, the registry holds SLASHER_ROLE, the distributor is the reward source, the attribution
 * operator is listed and bonded at the minimum, alice stakes behind it. */
export async function wiredFixture() {
  let staking!: Awaited<ReturnType<typeof deployStakingOf>>;
  const f = await deployRewardsWith(async (token, admin, treasury) => {
    staking = await deployStakingOf(token, admin, treasury);
    return staking.getAddress();
  });
  const { token, registry, distributor, operator, alice } = f;
  const stakingAddress = await staking.getAddress();
  await staking.setBondListener(await registry.getAddress());
  await distributor.setStaking(stakingAddress);
  await staking.setRewardSource(await distributor.getAddress());
  await staking.grantRole(await staking.SLASHER_ROLE(), await registry.getAddress());
  await staking.listOperator(operator.address);
  for (const s of [operator, alice]) {
    await token.transfer(s.address, 100_000n * E18);
    await token.connect(s).approve(stakingAddress, ethers.MaxUint256);
  }
  await staking.connect(operator).stake(operator.address, MIN_BOND);
  await staking.connect(alice).stake(operator.address, 9_000n * E18);
  await networkHelpers.time.increase(EPOCH);
  return { ...f, staking };
}
