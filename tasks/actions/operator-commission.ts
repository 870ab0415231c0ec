import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { commission, type StakingArgs } from "./staking.js";

export default async function operatorCommission(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return commission(args, hre);
}
