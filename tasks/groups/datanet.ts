import { flag, ownershipTasks, withDefault, type TaskGroupSpec } from "../../src/cli/options.js";

const DATANET = "Datanet id (required)";

/** The `datanet` task group: create, contribute, curate, publish, withdraw, curators, allow-list, ownership. */
export const datanet: TaskGroupSpec = {
  description:
    "Datanets: create one, appoint curators, set who may contribute, contribute data, curate, publish versions, withdraw, hand over ownership",
  tasks: [
    {
      name: "create",
      description: "Create a datanet (you become its owner and first curator)",
      options: {
        uri: "Metadata URI of the datanet (required), e.g. ipfs://...",
        licence: withDefault(
          "Uses the licence allows: names joined by commas (research,commercialInference,fineTuning,redistribution,derivatives) or a number",
          "research",
        ),
        policy: withDefault("Who may contribute: open or allowlist", "open"),
      },
    },
    {
      name: "contribute",
      description:
        "Submit contributions: one --file, a --dir or a --manifest (batches of --batch-size), or --sign-only / --relay for gasless submissions",
      options: {
        datanet: "Datanet id (required except with --relay)",
        file: "One file: content hash = keccak256 of its bytes, size = its length",
        dir: "Every file of this directory (recursively) as one contribution each",
        manifest:
          'JSON array of {"file": path} or {"contentHash", "size", "uri"} items (paths relative to the manifest)',
        uri: "URI of the --file contribution (default file://<name>)",
        uriPrefix: "URI prefix of --dir contributions (default file://)",
        kind: withDefault("Kind of content (1 = text)", "1"),
        batchSize: withDefault("Contributions per transaction for --dir/--manifest", "100"),
        signOnly: flag("Sign the --file submission (EIP-712) and write it to --out for a relayer"),
        out: "Where --sign-only writes the signed submission JSON",
        deadline: withDefault("Seconds the --sign-only signature stays valid", "86400"),
        relay: "Send a signed submission JSON (written by --sign-only); you pay the gas",
      },
    },
    {
      name: "curate",
      description:
        "Accept or reject pending contributions, listed or all of them (owner or curator; in batches of --batch-size)",
      options: {
        datanet: DATANET,
        contribution: "Contribution id(s), comma-separated (0x + 64 hex)",
        allPending: flag("Every pending contribution of the datanet instead of --contribution"),
        accept: flag("Accept the contributions"),
        reject: flag("Reject the contributions"),
        reason: withDefault("Reason code of a rejection (0-255)", "0"),
        batchSize: withDefault(
          "Contributions per transaction (acceptContributions / rejectContributions)",
          "100",
        ),
      },
    },
    {
      name: "publish",
      description: "Publish a version: the Merkle root of the accepted contributions, built from events",
      options: {
        datanet: DATANET,
        uri: "URI of the version (default: datanet://<id>/version/<n>)",
        parent: "Parent version number (default: the latest)",
        out: "Also write the version tree (StandardMerkleTree dump) to this file",
      },
    },
    {
      name: "withdraw",
      description: "Withdraw one of your contributions",
      options: { datanet: DATANET, contribution: "Contribution id (0x + 64 hex)" },
    },
    {
      name: "curator",
      description: "Appoint or remove a curator of your datanet (owner only)",
      options: {
        datanet: DATANET,
        add: "Address to appoint as curator",
        remove: "Address to remove as curator",
      },
    },
    {
      name: "allowlist",
      description:
        "Add or remove a contributor of your datanet's allow-list (owner only; applies under --policy allowlist)",
      options: {
        datanet: DATANET,
        add: "Address allowed to contribute",
        remove: "Address no longer allowed to contribute",
      },
    },
    {
      name: "policy",
      description: "Set who may contribute to your datanet: open or allowlist (owner only)",
      options: { datanet: DATANET, set: "open or allowlist (required)" },
    },
    ...ownershipTasks("datanet"),
  ],
};
