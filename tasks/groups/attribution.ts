import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, PUBLISH_DIR_OPTION, PUBLISH_URL_OPTION, withSuiteOptions } from "../../src/cli/options.js";

/** The `attribution` task group: compute and commit weight tables, challenge and resolve commitments. */
export const attributionTasks: TaskDefinition[] = [
  emptyTask(
    "attribution",
    "Proof of Attribution: compute a (model, epoch) weight table and commit its Merkle root",
  ).build(),

  withSuiteOptions(
    task(
      ["attribution", "commit"],
      "Compute the weight table of --model/--epoch (span-match over --outputs, or datanet-size), write CSV/JSON and proof files to --out, commit the root (attribution operator)",
    )
      .addOption(optional("model", "Model id (required unless --table names it)"))
      .addOption(optional("epoch", "Epoch (ended) to attribute (required unless --table names it)"))
      .addOption({
        name: "method",
        description:
          "span-match (outputs against the corpus) or datanet-size (the model's datanet weights spread by size)",
        type: ArgumentType.STRING,
        defaultValue: "span-match",
      })
      .addOption(optional("table", "An already computed weight table JSON: commit it as is"))
      .addOption(
        optional(
          "corpus",
          "span-match: the contributed directory as it is; files are matched to contributions by keccak256 of their bytes (any names), files matching none are named and left out",
        ),
      )
      .addOption(
        optional(
          "manifest",
          "JSON manifest of the contributions (default: the accepted contributions of the model's datanets, from the chain)",
        ),
      )
      .addOption(optional("outputs", 'span-match: JSONL file of inference outputs {"id", "text"}'))
      .addOption(
        optional(
          "indexDir",
          "span-match: span-index store; the corpus is indexed once (by content hash) and reopened for later epochs and models",
        ),
      )
      .addOption(
        optional(
          "outputsUri",
          "span-match: where the outputs file is published, recorded with its keccak256 in the table so anyone can recompute it (default file://<outputs>)",
        ),
      )
      .addOption({
        name: "minSpan",
        description: "span-match: minimum span in tokens",
        type: ArgumentType.STRING,
        defaultValue: "8",
      })
      .addOption({
        name: "out",
        description: "Directory for the table and proof files",
        type: ArgumentType.STRING,
        defaultValue: "attribution",
      })
      .addOption(optional("uri", "URI recorded with the commitment (default file://<table json>)"))
      .addOption(PUBLISH_DIR_OPTION)
      .addOption(PUBLISH_URL_OPTION)
      .addFlag({ name: "dryRun", description: "Compute and write the files, do not commit" }),
  )
    .setAction(() => import("../actions/attribution-commit.js"))
    .build(),

  withSuiteOptions(
    task(
      ["attribution", "challenge"],
      "Challenge a pending commitment inside its challenge window, posting the challenge bond (approved if needed)",
    )
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("epoch", "Epoch (required)"))
      .addOption(optional("reason", "Where the evidence is published, e.g. ipfs://... (required)")),
  )
    .setAction(() => import("../actions/attribution-challenge.js"))
    .build(),

  withSuiteOptions(
    task(
      ["attribution", "resolve"],
      "Resolve a challenge (GOVERNANCE_ROLE: the deployer on a local network; in production a governance proposal): --stands keeps the commitment, --void voids it and slashes its operator",
    )
      .addOption(optional("model", "Model id (required)"))
      .addOption(optional("epoch", "Epoch (required)"))
      .addFlag({ name: "stands", description: "The commitment stands: the bond goes to the treasury" })
      .addFlag({
        name: "void",
        description:
          "The commitment is wrong: voided, the challenger gets the bond back plus the slash reward",
      }),
  )
    .setAction(() => import("../actions/attribution-resolve.js"))
    .build(),
];
