import type { TaskDefinition } from "hardhat/types/tasks";
import { defineTask } from "../../src/cli/options.js";
import { INDEX_OPTIONS } from "./indexer.js";

/** `explorer`: the web explorer and the indexer behind it, on 127.0.0.1. */
export const explorerTasks: TaskDefinition[] = [
  defineTask({
    name: "explorer",
    description:
      "Serve the web explorer on 127.0.0.1 with the indexer behind it: every contribution, model, payment and claim in a browser (npm run explorer)",
    shared: "none",
    options: { ...INDEX_OPTIONS, port: "Port on 127.0.0.1 (default 8660; 0 = any free port)" },
    action: () => import("../actions/explorer.js"),
  }),
];
