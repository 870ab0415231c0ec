import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";

/** The `ledger` task group: provenance (`ledger show`) and accountability (`ledger verify`). */
export const ledgerTasks: TaskDefinition[] = [
  emptyTask("ledger", "Read the provenance ledger and verify it against the published tables").build(),
  task(["ledger", "show"], "Show the provenance graph, one contributor's earnings, or where one payment went")
    .addOption({
      name: "account",
      description: "What this contributor earned, from which models, and what it claimed",
      defaultValue: "",
    })
    .addOption({
      name: "payment",
      description: "Where this payment (transaction hash) went",
      defaultValue: "",
    })
    .addOption({ name: "addresses", description: "Address book file of the suite", defaultValue: "" })
    .addOption({
      name: "deployment",
      description: "Ignition deployment id (default chain-<chainId>)",
      defaultValue: "",
    })
    .addOption({
      name: "indexer",
      description: "Read from this indexer's API (default: $OPENLEDGER_INDEXER; unset: from the logs)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print JSON only" })
    .setAction(() => import("../actions/ledger-show.js"))
    .build(),
  task(
    ["ledger", "verify"],
    "Recompute every attribution table (docs/attribution.md), version and settlement root, the pools and the books; exit 1 on any mismatch or unverifiable table",
  )
    .addOption({ name: "addresses", description: "Address book file of the suite", defaultValue: "" })
    .addOption({
      name: "deployment",
      description: "Ignition deployment id (default chain-<chainId>)",
      defaultValue: "",
    })
    .addOption({
      name: "dump",
      description:
        "Settlement dumps to compare, as id=path[,id=path] (overrides the URIs committed on chain)",
      defaultValue: "",
    })
    .addOption({
      name: "contents",
      description:
        "Directory of contributed texts named <contentHash>.txt, read before the contributions' URIs (hashes are checked either way)",
      defaultValue: "",
    })
    .addOption({
      name: "indexDir",
      description:
        "Span-index store: reopen the index of texts indexed before instead of fetching and indexing them again (created if missing)",
      defaultValue: "",
    })
    .addOption({
      name: "workers",
      description: "Worker threads for span matching (default: one per core)",
      defaultValue: "",
    })
    .addOption({
      name: "indexer",
      description:
        "Also check this indexer's events against the chain's logs and list where they differ (default: $OPENLEDGER_INDEXER)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print the result as JSON only" })
    .setAction(() => import("../actions/ledger-verify.js"))
    .build(),
];
