import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { showLedger, type ShowArgs } from "../../src/cli/ledger-show.js";
import { networkOf } from "./ledger-common.js";

/** `ledger show` inside Hardhat: the shared body (src/cli/ledger-show.ts) on the task's network. */
export default async function ledgerShow(args: ShowArgs, hre: HardhatRuntimeEnvironment) {
  return showLedger(args, await networkOf(hre));
}
