import { flag, PUBLISH_OPTIONS, withDefault, type TaskGroupSpec } from "../../src/cli/options.js";
import { MODEL_EPOCH } from "./help.js";

/** The `attribution` task group: compute and commit weight tables, challenge, resolve and close challenges, prove a wrong weight sum. */
export const attribution: TaskGroupSpec = {
  description: "Proof of Attribution: compute a (model, epoch) weight table and commit its Merkle root",
  tasks: [
    {
      name: "commit",
      description:
        "Compute the weight table of --model/--epoch (span-match over --outputs, or datanet-size), write CSV/JSON and proof files to --out, commit the root (attribution operator)",
      options: {
        model: "Model id (required unless --table names it)",
        epoch: "Epoch (ended) to attribute (required unless --table names it)",
        method: withDefault(
          "span-match (outputs against the corpus) or datanet-size (the model's datanet weights spread by size)",
          "span-match",
        ),
        table: "An already computed weight table JSON: commit it as is",
        corpus:
          "span-match: the contributed directory as it is; files are matched to contributions by keccak256 of their bytes (any names), files matching none are named and left out",
        manifest:
          "JSON manifest of the contributions (default: the accepted contributions of the model's datanets, from the chain)",
        outputs: 'span-match: JSONL file of inference outputs {"id", "text"}',
        indexDir:
          "span-match: span-index store; the corpus is indexed once (by content hash) and reopened for later epochs and models",
        outputsUri:
          "span-match: where the outputs file is published, recorded with its keccak256 in the table so anyone can recompute it (default file://<outputs>)",
        minSpan: withDefault("span-match: minimum span in tokens", "8"),
        out: withDefault("Directory for the table and proof files", "attribution"),
        uri: "URI recorded with the commitment (default file://<table json>)",
        ...PUBLISH_OPTIONS,
        dryRun: flag("Compute and write the files, do not commit"),
      },
    },
    {
      name: "challenge",
      description:
        "Challenge a pending commitment inside its challenge window, posting the challenge bond (approved if needed)",
      options: {
        ...MODEL_EPOCH,
        reason: "Where the evidence is published, e.g. ipfs://... (required)",
      },
    },
    {
      name: "resolve",
      description:
        "Resolve a challenge (GOVERNANCE_ROLE: the deployer on a local network; in production a governance proposal): --stands keeps the commitment, --void voids it and slashes its operator",
      options: {
        ...MODEL_EPOCH,
        stands: flag("The commitment stands: the bond goes to the treasury"),
        void: flag(
          "The commitment is wrong: voided, the challenger gets the bond back plus the slash reward",
        ),
      },
    },
    {
      name: "prove-sum",
      description:
        "Prove on-chain (anyone may, no bond) that a Pending or Challenged commitment's leaf weights do not add up to its committed total, by revealing every leaf of its published table: the commitment is voided, its operator slashed, you get the slash reward (a challenger gets its bond back)",
      options: {
        ...MODEL_EPOCH,
        table:
          "The commitment's weight table JSON (path or URI; default: the URI committed with it). Its tree must be the committed one",
        dryRun: flag("Check that the table proves the fault, send nothing"),
      },
    },
    {
      name: "close",
      description:
        "Close a challenge governance did not resolve before its deadline (anyone may): the commitment stands, the challenger gets its bond back",
      options: MODEL_EPOCH,
    },
  ],
};
