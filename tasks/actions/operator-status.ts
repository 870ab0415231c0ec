import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { operatorStatus, type StakingArgs } from "./staking.js";

export default async function operatorStatusTask(args: StakingArgs, hre: HardhatRuntimeEnvironment) {
  return operatorStatus(args, hre);
}
