import type { TaskDefinition } from "hardhat/types/tasks";

/** The `model` task group (to be filled). */
export const modelTasks: TaskDefinition[] = [];
