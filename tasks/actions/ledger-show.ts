import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  accountView,
  formatAccountView,
  formatLedgerView,
  formatPaymentView,
  ledgerView,
  paymentView,
} from "../../src/provenance/index.js";
import { configuredIndexer, INDEXER_ENV } from "../../src/sdk/read/indexer.js";
import { checkAddress, checkTxHash, readOnlySuite, toJson, type SuiteLocation } from "./ledger-common.js";

interface ShowArgs extends SuiteLocation {
  indexer: string;
  account: string;
  payment: string;
  json: boolean;
}

export default async function ledgerShow(args: ShowArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.account && args.payment) throw new Error("give --account or --payment, not both");
  if (args.account) checkAddress(args.account, "account");
  if (args.payment) checkTxHash(args.payment, "payment");
  // The SDK's event reads go to the indexer when one is configured (see src/sdk/events.ts).
  if (args.indexer) process.env[INDEXER_ENV] = configuredIndexer(args.indexer);
  const { suite, provider } = await readOnlySuite(args, hre);
  if (args.account) {
    const view = await accountView(suite, provider, args.account);
    console.log(args.json ? toJson(view) : formatAccountView(view));
  } else if (args.payment) {
    const view = await paymentView(suite, provider, args.payment);
    console.log(args.json ? toJson(view) : formatPaymentView(view));
  } else {
    const view = await ledgerView(suite, provider);
    console.log(args.json ? toJson(view) : formatLedgerView(view));
  }
}
