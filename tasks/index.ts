/**
 * The command line: Hardhat tasks for every user action, grouped by concern
 * (`npx hardhat <group> <action> --help`). Each group lives in its own file; actions are
 * loaded lazily from tasks/actions/ and are thin over the SDK (src/).
 */
import { attribution } from "./groups/attribution.js";
import { datanet } from "./groups/datanet.js";
import { guardian } from "./groups/guardian.js";
import { explorerTasks } from "./groups/explorer.js";
import { indexerTasks } from "./groups/indexer.js";
import { infer } from "./groups/infer.js";
import { ledger } from "./groups/ledger.js";
import { model } from "./groups/model.js";
import { rewards } from "./groups/rewards.js";
import { settlement } from "./groups/settlement.js";
import { operator, stake } from "./groups/staking.js";
import { token } from "./groups/token.js";
import { usage } from "./groups/usage.js";
import { defineTask, flag, taskGroup, withDefault, type TaskGroupSpec } from "../src/cli/options.js";

export const demoTask = defineTask({
  name: "demo",
  description:
    "Deploy the suite and play the whole story (datanets, models, payments, attribution, claims); print the report",
  shared: "none",
  options: {
    json: flag("Print the report as JSON only"),
    explore: flag(
      "Then serve the explorer over the demo's chain on 127.0.0.1 and keep serving (Ctrl-C stops it)",
    ),
    explorePort: withDefault("Port of the explorer with --explore (default 8660; 0 = any free port)", "8660"),
    deploymentId: withDefault(
      "Ignition deployment id to deploy or reuse (default: chain-<chainId>; in-process runs keep none)",
      "",
    ),
  },
  action: () => import("./actions/demo.js"),
});

export const statusTask = defineTask({
  name: "status",
  description:
    "Show the suite's clock: the current epoch and when it ends, when commitments become final, and what can be committed, finalised, settled or rolled now",
  options: { epochs: withDefault("How many recent epochs to list", "8") },
  action: () => import("./actions/status.js"),
});

/** The tasks of each group; a task runs tasks/actions/<group>-<name>.ts unless it names its own action. */
const grouped = (groups: Record<string, TaskGroupSpec>) =>
  Object.entries(groups).flatMap(([group, spec]) =>
    taskGroup(group, spec, (name) => import(`./actions/${group}-${name}.js`)),
  );

export const tasks = [
  statusTask,
  demoTask,
  ...grouped({
    datanet,
    model,
    attribution,
    infer,
    rewards,
    settlement,
    stake,
    operator,
    token,
    ledger,
    guardian,
  }),
  ...indexerTasks,
  ...explorerTasks,
  ...grouped({ usage }),
];
