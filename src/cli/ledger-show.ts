/**
 * `ledger show`: checks its options, reads the view they ask for and prints it. Shared by the
 * Hardhat task (tasks/actions/ledger-show.ts) and the fast entry that does not load Hardhat
 * (bin/openledger.js, src/cli/fast.ts): one body, so both print the same and fail the same.
 */
import {
  accountView,
  datanetLedgerView,
  filterContributions,
  formatAccountView,
  limitContributions,
  formatLedgerView,
  formatPaymentView,
  ledgerView,
  paymentView,
} from "../provenance/index.js";
import { CONTRIBUTION_STATUS } from "../sdk/constants.js";
import { configuredIndexer, startDatanetRead, withIndexer } from "../sdk/read/indexer.js";
import {
  checkAddress,
  checkTxHash,
  readOnlySuiteAt,
  type ReadOnlyNetwork,
  type SuiteLocation,
} from "./read-only.js";
import { CliError, runTask, toJson } from "./task.js";

/** The options of `ledger show`. */
export interface ShowArgs extends SuiteLocation {
  indexer: string;
  account: string;
  payment: string;
  status: string;
  datanet: string;
  /** The most contributions listed per datanet ("" for {@link DEFAULT_LIMIT}). */
  limit: string;
  /** List every contribution. */
  all: boolean;
  json: boolean;
}

/** The most contributions `ledger show` lists per datanet unless told otherwise. */
export const DEFAULT_LIMIT = 1_000;

/** The statuses `--status` takes, in lower case, mapped to the ledger's names. */
const STATUSES = new Map(
  CONTRIBUTION_STATUS.filter((name) => name !== "None").map((name) => [name.toLowerCase(), name]),
);

/** Runs `ledger show` on `network`: prints the view, or one line `Error: ...` with exit code 1. */
export function showLedger(args: ShowArgs, network: ReadOnlyNetwork) {
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
    if ((args.limit || args.all) && (args.account || args.payment))
      throw new CliError(
        "--limit and --all bound the ledger's contribution lists: leave out --account and --payment",
      );
    if (args.limit && args.all) throw new CliError("give --all or --limit, not both");
    const limit = args.all ? undefined : listLimit(args.limit);
    // The SDK's event reads go to the indexer when one is configured (see src/sdk/events.ts).
    return withIndexer(args.indexer, async () => {
      // One datanet from an indexer: its read starts now, while the node is asked who it is, and
      // is checked against the chain and the deployment before it is used.
      const indexer = configuredIndexer();
      const datanetId = args.datanet.trim();
      const started =
        indexer && datanetId
          ? startDatanetRead(indexer, BigInt(datanetId), limit === undefined ? {} : { limit, status })
          : undefined;
      const { suite, provider, connection, close } = await readOnlySuiteAt(args, network);
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
          const view = datanetId
            ? await datanetLedgerView(suite, provider, { status, datanetId }, { started, limit })
            : limitContributions(filterContributions(await ledgerView(suite, provider), { status }), limit);
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

/** `--limit`'s value: a whole number from 1 ({@link DEFAULT_LIMIT} when not given). */
function listLimit(given: string): number {
  if (!given) return DEFAULT_LIMIT;
  const limit = Number(given.trim());
  if (!/^[1-9]\d*$/.test(given.trim()) || !Number.isSafeInteger(limit))
    throw new CliError(
      `--limit "${given}" is not a number of contributions: give a whole number from 1, or --all to list every one`,
    );
  return limit;
}

/** The address of account `index` of the network (`--account 2` as `--from 2` takes it). */
async function accountAt(
  connect: Awaited<ReturnType<typeof readOnlySuiteAt>>["connection"],
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
