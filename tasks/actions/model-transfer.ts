import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { transfer } from "./ownership.js";

export default async function modelTransfer(
  args: Parameters<typeof transfer>[1],
  hre: HardhatRuntimeEnvironment,
) {
  return transfer("model", args, hre);
}
