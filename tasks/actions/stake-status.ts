import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { status, type StakingArgs } from "./staking.js";

export default async function stakeStatus(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return status(args, hre);
}
