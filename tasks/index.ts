/**
 * The command line: Hardhat tasks for every user action, grouped by concern
 * (`npx hardhat <group> <action> --help`). Each group lives in its own file; actions are
 * loaded lazily from tasks/actions/ and are thin over the SDK (src/).
 */
import { task } from "hardhat/config";
import { attributionTasks } from "./groups/attribution.js";
import { datanetTasks } from "./groups/datanet.js";
import { guardianTasks } from "./groups/guardian.js";
import { inferTasks } from "./groups/infer.js";
import { ledgerTasks } from "./groups/ledger.js";
import { modelTasks } from "./groups/model.js";
import { rewardsTasks } from "./groups/rewards.js";
import { usageTasks } from "./groups/usage.js";

export const demoTask = task(
  "demo",
  "Deploy the suite and play the whole story (datanets, models, payments, attribution, claims); print the report",
)
  .addFlag({ name: "json", description: "Print the report as JSON only" })
  .addOption({
    name: "deploymentId",
    description:
      "Ignition deployment id to deploy or reuse (default: chain-<chainId>; in-process runs keep none)",
    defaultValue: "",
  })
  .setAction(() => import("./actions/demo.js"))
  .build();

export const tasks = [
  demoTask,
  ...datanetTasks,
  ...modelTasks,
  ...attributionTasks,
  ...inferTasks,
  ...rewardsTasks,
  ...ledgerTasks,
  ...guardianTasks,
  ...usageTasks,
];
