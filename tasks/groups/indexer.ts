import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments, TaskDefinition } from "hardhat/types/tasks";
import { optional } from "../../src/cli/options.js";

/** Adds the options of an index to a task: where it lives, how far behind the head, which suite, reset. */
export function withIndexOptions<A extends TaskArguments>(builder: NewTaskDefinitionBuilder<A>) {
  return builder
    .addOption(
      optional(
        "database",
        "postgres://user@host:port/db, or an SQLite file (default .indexer/<network>-<chainId>.sqlite)",
      ),
    )
    .addOption(
      optional(
        "files",
        "Directory of published tables and dumps (--publish-dir) the API serves as GET /files/<keccak256>",
      ),
    )
    .addOption(
      optional(
        "confirmations",
        "Blocks behind the head left unindexed, against reorgs (default 0 on local chains, 12 elsewhere)",
      ),
    )
    .addOption(optional("fromBlock", "First block to index: the suite's deployment block (default 0)"))
    .addOption(
      optional(
        "addresses",
        "JSON address book of the suite (default: Ignition's deploy/deployments/<deployment>)",
      ),
    )
    .addOption(
      optional("deployment", "Ignition deployment id to read addresses from (default: chain-<chainId>)"),
    )
    .addFlag({ name: "reset", description: "Drop the index in --database and rebuild it from the chain" });
}

/** `indexer`: every suite event into SQL (SQLite or PostgreSQL), with a read API on 127.0.0.1. */
export const indexerTasks: TaskDefinition[] = [
  withIndexOptions(
    task(
      "indexer",
      "Index every suite event of the network into SQL and serve it over HTTP on 127.0.0.1 (npm run indexer)",
    ),
  )
    .addFlag({ name: "once", description: "Exit after catching up (no API, no following)" })
    .addOption(optional("port", "Port of the read API on 127.0.0.1 (default 8642; 0 = any free port)"))
    .addOption(
      optional(
        "corsOrigins",
        "Origins whose pages may read the API from a browser, comma-separated, or * (e.g. a static explorer's https://explorer.example); default none",
      ),
    )
    .setAction(() => import("../actions/indexer.js"))
    .build(),
];
