import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { approve, type TokenArgs } from "./token.js";

export default async function tokenApprove(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return approve(args, hre);
}
