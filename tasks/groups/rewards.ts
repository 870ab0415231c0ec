import type { TaskDefinition } from "hardhat/types/tasks";

/** The `rewards` task group (to be filled). */
export const rewardsTasks: TaskDefinition[] = [];
