import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { accept } from "./ownership.js";

export default async function modelAccept(
  args: Parameters<typeof accept>[1],
  hre: HardhatRuntimeEnvironment,
) {
  return accept("model", args, hre);
}
