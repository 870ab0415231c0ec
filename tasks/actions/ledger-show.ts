import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  accountView,
  datanetLedgerView,
  filterContributions,
  formatAccountView,
  formatLedgerView,
  formatPaymentView,
  ledgerView,
  paymentView,
} from "../../src/provenance/index.js";
import { CONTRIBUTION_STATUS } from "../../src/sdk/constants.js";
import { withIndexer } from "../../src/sdk/read/indexer.js";
import { CliError, runTask } from "../../src/cli/task.js";
import { checkAddress, checkTxHash, readOnlySuite, toJson, type SuiteLocation } from "./ledger-common.js";

interface ShowArgs extends SuiteLocation {
  indexer: string;
  account: string;
  payment: string;
  status: string;
  datanet: string;
  json: boolean;
}

/** The statuses `--status` takes, in lower case, mapped to the ledger's names. */
const STATUSES = new Map(
  CONTRIBUTION_STATUS.filter((name) => name !== "None").map((name) => [name.toLowerCase(), name]),
);

export default async function ledgerShow(args: ShowArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    if (args.account && args.payment) throw new CliError("give --account or --payment, not both");
    const byIndex = /^\d+$/.test(args.account.trim());
    if (args.account && !byIndex) checkAddress(args.account, "account");
    if (args.payment) checkTxHash(args.payment, "payment");
    if ((args.status || args.datanet) && (args.account || args.payment))
      throw new CliError("--status and --datanet filter the whole ledger: leave out --account and --payment");
    const status = args.status ? STATUSES.get(args.status.trim().toLowerCase()) : undefined;
    if (args.status && status === undefined)
      throw new CliError(`--status "${args.status}" is not one of ${[...STATUSES.keys()].join(", ")}`);
    if (args.datanet && !/^[1-9]\d*$/.test(args.datanet.trim()))
      throw new CliError(`--datanet "${args.datanet}" is not a datanet id (a whole number from 1)`);
    // The SDK's event reads go to the indexer when one is configured (see src/sdk/events.ts).
    return withIndexer(args.indexer, async () => {
      const { suite, provider, connection, close } = await readOnlySuite(args, hre);
      try {
        if (args.account) {
          const account = byIndex ? await accountAt(connection, Number(args.account.trim())) : args.account;
          const view = await accountView(suite, provider, account);
          console.log(args.json ? toJson(view) : formatAccountView(view));
        } else if (args.payment) {
          const view = await paymentView(suite, provider, args.payment);
          console.log(args.json ? toJson(view) : formatPaymentView(view));
        } else {
          // One datanet: read only its rows from the indexer, when one is configured.
          const datanetId = args.datanet.trim();
          const view = datanetId
            ? await datanetLedgerView(suite, provider, { status, datanetId })
            : filterContributions(await ledgerView(suite, provider), { status });
          if (args.datanet && view.datanets.length === 0)
            throw new CliError(
              `datanet ${args.datanet.trim()} does not exist: see ledger show for the datanets`,
            );
          console.log(args.json ? toJson(view) : formatLedgerView(view));
        }
      } finally {
        close();
      }
      return true;
    });
  });
}

/** The address of account `index` of the network (`--account 2` as `--from 2` takes it). */
async function accountAt(
  connect: Awaited<ReturnType<typeof readOnlySuite>>["connection"],
  index: number,
): Promise<string> {
  const connection = await connect();
  const signers = await connection.ethers.getSigners();
  if (!signers[index])
    throw new CliError(
      `--account ${index} is not one of the ${signers.length} accounts of network ${connection.networkName}: give an address or an index below ${signers.length}`,
    );
  return signers[index].getAddress();
}
