import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { transfer, type TokenArgs } from "./token.js";

export default async function tokenTransfer(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return transfer(args, hre);
}
