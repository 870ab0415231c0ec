import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";
import { optional, withSuiteOptions } from "../../src/cli/options.js";

/** The `guardian` task group: the emergency pause of the money contracts. */
export const guardianTasks: TaskDefinition[] = [
  emptyTask(
    "guardian",
    "Emergency pause: status of both money contracts, pause (guardian) or unpause (governance)",
  ).build(),

  withSuiteOptions(
    task(["guardian", "status"], "Show whether payments and commitments are paused, and until when"),
  )
    .setAction(() => import("../actions/guardian-status.js"))
    .build(),

  withSuiteOptions(
    task(
      ["guardian", "pause"],
      "Pause new payments and commitments for 7 days (GUARDIAN_ROLE); claims and withdrawals go on",
    ).addOption(optional("contract", "distributor, attribution or both (default: both)")),
  )
    .setAction(() => import("../actions/guardian-pause.js"))
    .build(),
];
