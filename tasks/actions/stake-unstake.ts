import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { unstake, type StakingArgs } from "./staking.js";

export default async function stakeUnstake(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return unstake(args, hre);
}
