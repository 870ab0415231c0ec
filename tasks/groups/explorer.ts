import { task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional } from "../../src/cli/options.js";

/** `explorer`: the web explorer and the indexer behind it, on 127.0.0.1. */
export const explorerTasks: TaskDefinition[] = [
  task(
    "explorer",
    "Serve the web explorer on 127.0.0.1 with the indexer behind it: every contribution, model, payment and claim in a browser (npm run explorer)",
  )
    .addOption(optional("port", "Port on 127.0.0.1 (default 8660; 0 = any free port)"))
    .addOption(
      optional(
        "database",
        "postgres://user@host:port/db, or an SQLite file (default .indexer/<network>-<chainId>.sqlite)",
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
    .addFlag({ name: "reset", description: "Drop the index in --database and rebuild it from the chain" })
    .setAction(() => import("../actions/explorer.js"))
    .build(),
];
