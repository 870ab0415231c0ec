import type { TaskDefinition } from "hardhat/types/tasks";

/** The `infer` task group (to be filled). */
export const inferTasks: TaskDefinition[] = [];
