import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `datanet` task group: create, contribute, curate, publish, withdraw. */
export const datanetTasks: TaskDefinition[] = [
  emptyTask(
    "datanet",
    "Datanets: create one, appoint curators, set who may contribute, contribute data, curate, publish versions, withdraw, hand over ownership",
  ).build(),

  withSuiteOptions(
    task(["datanet", "create"], "Create a datanet (you become its owner and first curator)")
      .addOption(optional("uri", "Metadata URI of the datanet (required), e.g. ipfs://..."))
      .addOption({
        name: "licence",
        description:
          "Uses the licence allows: names joined by commas (research,commercialInference,fineTuning,redistribution,derivatives) or a number",
        type: ArgumentType.STRING,
        defaultValue: "research",
      })
      .addOption({
        name: "policy",
        description: "Who may contribute: open or allowlist",
        type: ArgumentType.STRING,
        defaultValue: "open",
      }),
  )
    .setAction(() => import("../actions/datanet-create.js"))
    .build(),

  withSuiteOptions(
    task(
      ["datanet", "contribute"],
      "Submit contributions: one --file, a --dir or a --manifest (batches of --batch-size), or --sign-only / --relay for gasless submissions",
    )
      .addOption(optional("datanet", "Datanet id (required except with --relay)"))
      .addOption(optional("file", "One file: content hash = keccak256 of its bytes, size = its length"))
      .addOption(optional("dir", "Every file of this directory (recursively) as one contribution each"))
      .addOption(
        optional(
          "manifest",
          'JSON array of {"file": path} or {"contentHash", "size", "uri"} items (paths relative to the manifest)',
        ),
      )
      .addOption(optional("uri", "URI of the --file contribution (default file://<name>)"))
      .addOption(optional("uriPrefix", "URI prefix of --dir contributions (default file://)"))
      .addOption({
        name: "kind",
        description: "Kind of content (1 = text)",
        type: ArgumentType.STRING,
        defaultValue: "1",
      })
      .addOption({
        name: "batchSize",
        description: "Contributions per transaction for --dir/--manifest",
        type: ArgumentType.STRING,
        defaultValue: "100",
      })
      .addFlag({
        name: "signOnly",
        description: "Sign the --file submission (EIP-712) and write it to --out for a relayer",
      })
      .addOption(optional("out", "Where --sign-only writes the signed submission JSON"))
      .addOption({
        name: "deadline",
        description: "Seconds the --sign-only signature stays valid",
        type: ArgumentType.STRING,
        defaultValue: "86400",
      })
      .addOption(
        optional("relay", "Send a signed submission JSON (written by --sign-only); you pay the gas"),
      ),
  )
    .setAction(() => import("../actions/datanet-contribute.js"))
    .build(),

  withSuiteOptions(
    task(
      ["datanet", "curate"],
      "Accept or reject pending contributions, listed or all of them (owner or curator; in batches of --batch-size)",
    )
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("contribution", "Contribution id(s), comma-separated (0x + 64 hex)"))
      .addFlag({
        name: "allPending",
        description: "Every pending contribution of the datanet instead of --contribution",
      })
      .addFlag({ name: "accept", description: "Accept the contributions" })
      .addFlag({ name: "reject", description: "Reject the contributions" })
      .addOption({
        name: "reason",
        description: "Reason code of a rejection (0-255)",
        type: ArgumentType.STRING,
        defaultValue: "0",
      })
      .addOption({
        name: "batchSize",
        description: "Contributions per transaction (acceptContributions / rejectContributions)",
        type: ArgumentType.STRING,
        defaultValue: "100",
      }),
  )
    .setAction(() => import("../actions/datanet-curate.js"))
    .build(),

  withSuiteOptions(
    task(
      ["datanet", "publish"],
      "Publish a version: the Merkle root of the accepted contributions, built from events",
    )
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("uri", "URI of the version (default: datanet://<id>/version/<n>)"))
      .addOption(optional("parent", "Parent version number (default: the latest)"))
      .addOption(optional("out", "Also write the version tree (StandardMerkleTree dump) to this file")),
  )
    .setAction(() => import("../actions/datanet-publish.js"))
    .build(),

  withSuiteOptions(
    task(["datanet", "withdraw"], "Withdraw one of your contributions")
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("contribution", "Contribution id (0x + 64 hex)")),
  )
    .setAction(() => import("../actions/datanet-withdraw.js"))
    .build(),

  withSuiteOptions(
    task(["datanet", "curator"], "Appoint or remove a curator of your datanet (owner only)")
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("add", "Address to appoint as curator"))
      .addOption(optional("remove", "Address to remove as curator")),
  )
    .setAction(() => import("../actions/datanet-curator.js"))
    .build(),

  withSuiteOptions(
    task(
      ["datanet", "allowlist"],
      "Add or remove a contributor of your datanet's allow-list (owner only; applies under --policy allowlist)",
    )
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("add", "Address allowed to contribute"))
      .addOption(optional("remove", "Address no longer allowed to contribute")),
  )
    .setAction(() => import("../actions/datanet-allowlist.js"))
    .build(),

  withSuiteOptions(
    task(["datanet", "policy"], "Set who may contribute to your datanet: open or allowlist (owner only)")
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("set", "open or allowlist (required)")),
  )
    .setAction(() => import("../actions/datanet-policy.js"))
    .build(),

  withSuiteOptions(
    task(
      ["datanet", "transfer"],
      "Offer your datanet to another account (step 1 of 2: they run datanet accept; --to <yourself> withdraws an offer)",
    )
      .addOption(optional("datanet", "Datanet id (required)"))
      .addOption(optional("to", "The new owner's address (required)")),
  )
    .setAction(() => import("../actions/datanet-transfer.js"))
    .build(),

  withSuiteOptions(
    task(
      ["datanet", "accept"],
      "Take a datanet offered to you (step 2 of 2 of an ownership transfer)",
    ).addOption(optional("datanet", "Datanet id (required)")),
  )
    .setAction(() => import("../actions/datanet-accept.js"))
    .build(),
];
