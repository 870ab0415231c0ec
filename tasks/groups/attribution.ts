import type { TaskDefinition } from "hardhat/types/tasks";

/** The `attribution` task group (to be filled). */
export const attributionTasks: TaskDefinition[] = [];
