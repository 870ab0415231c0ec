import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `attribution` task group: compute and commit weight tables. */
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
      .addOption(optional("corpus", "span-match: directory of contribution texts named <contentHash>.txt"))
      .addOption(
        optional(
          "manifest",
          "JSON manifest of the contributions (default: the accepted contributions of the model's datanets, from the chain)",
        ),
      )
      .addOption(optional("outputs", 'span-match: JSONL file of inference outputs {"id", "text"}'))
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
      .addFlag({ name: "dryRun", description: "Compute and write the files, do not commit" }),
  )
    .setAction(() => import("../actions/attribution-commit.js"))
    .build(),
];
