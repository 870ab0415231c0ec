import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { withdraw, type StakingArgs } from "./staking.js";

export default async function stakeWithdraw(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return withdraw(args, hre);
}
