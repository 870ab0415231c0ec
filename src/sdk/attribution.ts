/** Attribution actions: commit a weight table's root for its (model, epoch). */
import type { TransactionReceipt } from "ethers";
import { attributionTree, type AttributionTree } from "../attribution/tree.js";
import type { WeightTable } from "../attribution/weights.js";
import { METHOD_ID } from "./constants.js";
import { call, send } from "./send/index.js";
import type { Suite } from "./suite.js";

/** A committed table: the root, the tree it came from, and the receipt. */
export interface CommittedAttribution {
  root: string;
  tree: AttributionTree;
  receipt: TransactionReceipt;
}

/** Commits a weight table's root for its (model, epoch); `uri` is where the full table is published. */
export async function commitAttribution(
  suite: Suite,
  table: WeightTable,
  uri: string,
): Promise<CommittedAttribution> {
  const tree = attributionTree(table);
  const receipt = await send(
    suite,
    call(
      suite.attribution,
      "commitAttribution",
      table.modelId,
      table.epoch,
      tree.root,
      table.totalWeight,
      METHOD_ID[table.method],
      uri,
    ),
  );
  return { root: tree.root, tree, receipt };
}
