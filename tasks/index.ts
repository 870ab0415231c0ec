/**
 * The command line: Hardhat tasks for every user action, grouped by concern
 * (`npx hardhat <group> <action> --help`). Each group lives in its own file; actions are
 * loaded lazily from tasks/actions/ and are thin over the SDK (src/).
 */
import { task } from "hardhat/config";
import { attributionTasks } from "./groups/attribution.js";
import { datanetTasks } from "./groups/datanet.js";
import { guardianTasks } from "./groups/guardian.js";
import { explorerTasks } from "./groups/explorer.js";
import { indexerTasks } from "./groups/indexer.js";
import { inferTasks } from "./groups/infer.js";
import { ledgerTasks } from "./groups/ledger.js";
import { modelTasks } from "./groups/model.js";
import { rewardsTasks } from "./groups/rewards.js";
import { stakingTasks } from "./groups/staking.js";
import { tokenTasks } from "./groups/token.js";
import { usageTasks } from "./groups/usage.js";
import { ArgumentType } from "hardhat/types/arguments";
import { withSuiteOptions } from "../src/cli/options.js";

export const demoTask = task(
  "demo",
  "Deploy the suite and play the whole story (datanets, models, payments, attribution, claims); print the report",
)
  .addFlag({ name: "json", description: "Print the report as JSON only" })
  .addFlag({
    name: "explore",
    description:
      "Then serve the explorer over the demo's chain on 127.0.0.1 and keep serving (Ctrl-C stops it)",
  })
  .addOption({
    name: "explorePort",
    description: "Port of the explorer with --explore (default 8660; 0 = any free port)",
    type: ArgumentType.STRING,
    defaultValue: "8660",
  })
  .addOption({
    name: "deploymentId",
    description:
      "Ignition deployment id to deploy or reuse (default: chain-<chainId>; in-process runs keep none)",
    defaultValue: "",
  })
  .setAction(() => import("./actions/demo.js"))
  .build();

export const statusTask = withSuiteOptions(
  task(
    "status",
    "Show the suite's clock: the current epoch and when it ends, when commitments become final, and what can be committed, finalised, settled or rolled now",
  ).addOption({
    name: "epochs",
    description: "How many recent epochs to list",
    type: ArgumentType.STRING,
    defaultValue: "8",
  }),
)
  .setAction(() => import("./actions/status.js"))
  .build();

export const tasks = [
  statusTask,
  demoTask,
  ...datanetTasks,
  ...modelTasks,
  ...attributionTasks,
  ...inferTasks,
  ...rewardsTasks,
  ...stakingTasks,
  ...tokenTasks,
  ...ledgerTasks,
  ...guardianTasks,
  ...indexerTasks,
  ...explorerTasks,
  ...usageTasks,
];
