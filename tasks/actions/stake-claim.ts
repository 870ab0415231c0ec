import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { claim, type StakingArgs } from "./staking.js";

export default async function stakeClaim(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return claim(args, hre);
}
