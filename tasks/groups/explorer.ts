import { task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional } from "../../src/cli/options.js";
import { withIndexOptions } from "./indexer.js";

/** `explorer`: the web explorer and the indexer behind it, on 127.0.0.1. */
export const explorerTasks: TaskDefinition[] = [
  withIndexOptions(
    task(
      "explorer",
      "Serve the web explorer on 127.0.0.1 with the indexer behind it: every contribution, model, payment and claim in a browser (npm run explorer)",
    ),
  )
    .addOption(optional("port", "Port on 127.0.0.1 (default 8660; 0 = any free port)"))
    .setAction(() => import("../actions/explorer.js"))
    .build(),
];
