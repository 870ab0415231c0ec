import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { bond, type StakingArgs } from "./staking.js";

export default async function operatorBond(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return bond(args, hre);
}
