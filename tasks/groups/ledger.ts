import type { TaskDefinition } from "hardhat/types/tasks";

/** The `ledger` task group (to be filled). */
export const ledgerTasks: TaskDefinition[] = [];
