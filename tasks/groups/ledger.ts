import { flag, withDefault, type TaskGroupSpec } from "../../src/cli/options.js";

/** The `ledger` task group: provenance (`ledger show`) and accountability (`ledger verify`). */
export const ledger: TaskGroupSpec = {
  description: "Read the provenance ledger and verify it against the published tables",
  tasks: [
    {
      name: "show",
      description: "Show the provenance graph, one contributor's earnings, or where one payment went",
      shared: "location",
      options: {
        account: withDefault("What this contributor earned, from which models, and what it claimed", ""),
        payment: withDefault("Where this payment (transaction hash) went", ""),
        status: withDefault(
          "Only contributions with this status: pending, accepted, rejected or withdrawn",
          "",
        ),
        datanet: withDefault("Only this datanet", ""),
        limit: withDefault(
          "The most contributions listed per datanet, the first by submission; 1000 when not given (the counts are of all)",
          "",
        ),
        all: flag("List every contribution (instead of the first --limit)"),
        indexer: withDefault(
          "Read from this indexer's API (default: $OPENLEDGER_INDEXER; unset: from the logs)",
          "",
        ),
        json: flag("Print JSON only"),
      },
    },
    {
      name: "verify",
      description:
        "Recompute every attribution table (docs/attribution.md), version and settlement root, the pools and the books; exit 1 on any mismatch or unverifiable table",
      shared: "location",
      options: {
        dump: withDefault(
          "Settlement dumps to compare, as id=path[,id=path] (overrides the URIs committed on chain)",
          "",
        ),
        contents: withDefault(
          "Directory of contributed texts named <contentHash>.txt, read before the contributions' URIs (hashes are checked either way)",
          "",
        ),
        indexDir: withDefault(
          "Span-index store: reopen the index of texts indexed before instead of fetching and indexing them again (created if missing)",
          "",
        ),
        workers: withDefault("Worker threads for span matching (default: one per core)", ""),
        indexer: withDefault(
          "Also check this indexer's events against the chain's logs and list where they differ (default: $OPENLEDGER_INDEXER)",
          "",
        ),
        json: flag("Print the result as JSON only"),
      },
    },
  ],
};
