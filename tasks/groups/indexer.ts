import type { TaskDefinition } from "hardhat/types/tasks";
import { defineTask, flag } from "../../src/cli/options.js";

/** The options of an index: where it lives, how far behind the head, which suite, reset. */
export const INDEX_OPTIONS = {
  database: "postgres://user@host:port/db, or an SQLite file (default .indexer/<network>-<chainId>.sqlite)",
  files: "Directory of published tables and dumps (--publish-dir) the API serves as GET /files/<keccak256>",
  confirmations:
    "Blocks behind the head left unindexed, against reorgs (default 0 on local chains, 12 elsewhere)",
  fromBlock: "First block to index: the suite's deployment block (default 0)",
  addresses: "JSON address book of the suite (default: Ignition's deploy/deployments/<deployment>)",
  deployment: "Ignition deployment id to read addresses from (default: chain-<chainId>)",
  reset: flag("Drop the index in --database and rebuild it from the chain"),
} as const;

/** `indexer`: every suite event into SQL (SQLite or PostgreSQL), with a read API on 127.0.0.1. */
export const indexerTasks: TaskDefinition[] = [
  defineTask({
    name: "indexer",
    description:
      "Index every suite event of the network into SQL and serve it over HTTP on 127.0.0.1 (npm run indexer)",
    shared: "none",
    options: {
      ...INDEX_OPTIONS,
      once: flag("Exit after catching up (no API, no following)"),
      port: "Port of the read API on 127.0.0.1 (default 8642; 0 = any free port)",
      corsOrigins:
        "Origins whose pages may read the API from a browser, comma-separated, or * (e.g. a static explorer's https://explorer.example); default none",
    },
    action: () => import("../actions/indexer.js"),
  }),
];
