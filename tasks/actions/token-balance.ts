import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { balance, type TokenArgs } from "./token.js";

export default async function tokenBalance(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return balance(args, hre);
}
