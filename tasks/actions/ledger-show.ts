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
import { CliError, runTask } from "../../src/cli/task.js";
import { checkAddress, checkTxHash, readOnlySuite, toJson, type SuiteLocation } from "./ledger-common.js";

interface ShowArgs extends SuiteLocation {
  indexer: string;
  account: string;
  payment: string;
  json: boolean;
}

export default async function ledgerShow(args: ShowArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.account && args.payment) throw new CliError("give --account or --payment, not both");
    const byIndex = /^\d+$/.test(args.account.trim());
    if (args.account && !byIndex) checkAddress(args.account, "account");
    if (args.payment) checkTxHash(args.payment, "payment");
    // The SDK's event reads go to the indexer when one is configured (see src/sdk/events.ts).
    if (args.indexer) process.env[INDEXER_ENV] = configuredIndexer(args.indexer);
    const { suite, provider, connection } = await readOnlySuite(args, hre);
    if (args.account) {
      const account = byIndex ? await accountAt(connection, Number(args.account.trim())) : args.account;
      const view = await accountView(suite, provider, account);
      console.log(args.json ? toJson(view) : formatAccountView(view));
    } else if (args.payment) {
      const view = await paymentView(suite, provider, args.payment);
      console.log(args.json ? toJson(view) : formatPaymentView(view));
    } else {
      const view = await ledgerView(suite, provider);
      console.log(args.json ? toJson(view) : formatLedgerView(view));
    }
    return true;
  });
}

/** The address of account `index` of the network (`--account 2` as `--from 2` takes it). */
async function accountAt(
  connection: Awaited<ReturnType<typeof readOnlySuite>>["connection"],
  index: number,
): Promise<string> {
  const signers = await connection.ethers.getSigners();
  if (!signers[index])
    throw new CliError(
      `--account ${index} is not one of the ${signers.length} accounts of network ${connection.networkName}: give an address or an index below ${signers.length}`,
    );
  return signers[index].getAddress();
}
