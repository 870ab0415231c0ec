import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { transfer } from "./ownership.js";

export default async function datanetTransfer(
  args: Parameters<typeof transfer>[1],
  hre: HardhatRuntimeEnvironment,
) {
  return transfer("datanet", args, hre);
}
