import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { delegate, type TokenArgs } from "./token.js";

export default async function tokenDelegate(args: TokenArgs, hre: HardhatRuntimeEnvironment) {
  return delegate(args, hre);
}
