import type { TaskDefinition } from "hardhat/types/tasks";

/** The `datanet` task group (to be filled). */
export const datanetTasks: TaskDefinition[] = [];
