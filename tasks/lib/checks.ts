/** View-call checks shared by several tasks (ownership, curation). */
import type { TaskContext } from "./cli.js";
import { CliError } from "./cli.js";

/** Whether the sender may curate the datanet: its owner (implicitly) or an appointed curator. */
export async function isCuratorOf(ctx: TaskContext, datanetId: bigint): Promise<boolean> {
  const d = await ctx.suite.datanets.datanet(datanetId);
  return (
    d.owner.toLowerCase() === ctx.from.toLowerCase() ||
    (await ctx.suite.datanets.isCurator(datanetId, ctx.from))
  );
}

/** Fails unless the sender owns the model and it is not retired. */
export async function assertModelOwner(ctx: TaskContext, modelId: bigint): Promise<void> {
  const m = await ctx.suite.models.model(modelId);
  if (m.owner.toLowerCase() !== ctx.from.toLowerCase())
    throw new CliError(`model ${modelId} is owned by ${m.owner}, not ${ctx.from}: use --from with the owner`);
  if (m.retired) throw new CliError(`model ${modelId} is retired: nothing can be changed`);
}
