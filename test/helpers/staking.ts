import { E18, SUPPLY, ethers } from "./rewards.js";

export const DAY = 86_400n;
export const UNBONDING = 38n * DAY;
export const MIN_BOND = 1_000n * E18;
export const SLASH_BPS = 1_000n;
export const REWARD_BPS = 5_000n;
export const COMMISSION_DELAY = 7n * DAY;

/** Token, staking (default parameters), a slasher contract holding SLASHER_ROLE, one listed
 * operator bonded at the minimum, and funded, approved stakers. */
export async function deployStaking() {
  const [admin, operator, operator2, alice, bob, carol, challenger, treasury, stranger] =
    await ethers.getSigners();
  const token = await ethers.deployContract("OpenToken", ["OpenLedger", "OPEN", admin.address, SUPPLY]);
  const staking = await ethers.deployContract("OperatorStaking", [
    await token.getAddress(),
    admin.address,
    treasury.address,
    UNBONDING,
    MIN_BOND,
    SLASH_BPS,
    REWARD_BPS,
  ]);
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
