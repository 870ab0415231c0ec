import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { accept } from "./ownership.js";

export default async function datanetAccept(
  args: Parameters<typeof accept>[1],
  hre: HardhatRuntimeEnvironment,
) {
  return accept("datanet", args, hre);
}
