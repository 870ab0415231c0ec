import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { deposit, type StakingArgs } from "./staking.js";

export default async function stakeDeposit(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return deposit(args, hre);
}
