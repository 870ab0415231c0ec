/**
 * Two-step ownership of a datanet or a model: the owner offers it (`transfer --to`), the new
 * owner takes it (`accept`). The registries refuse the zero address, so an offer is withdrawn by
 * offering the datanet or model to its owner (`transfer --to <owner>`).
 */
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { acceptOwnership, offerOwnership, type OwnedKind } from "../../src/sdk/ownership.js";
import { assertDatanetExists, assertModelExists } from "../../src/cli/checks.js";
import { parseAddress, parseId } from "../../src/cli/args.js";
import { CliError, connect, output, runTask, type TaskContext } from "../../src/cli/task.js";
import type { SuiteArgs } from "../../src/cli/options.js";

interface Args extends SuiteArgs {
  datanet?: string;
  model?: string;
  to?: string;
}

type Kind = OwnedKind;

async function owners(ctx: TaskContext, kind: Kind, id: bigint) {
  if (kind === "datanet") {
    await assertDatanetExists(ctx.suite, id);
    const d = await ctx.suite.datanets.datanet(id);
    return { owner: d.owner, pendingOwner: d.pendingOwner };
  }
  await assertModelExists(ctx.suite, id);
  const m = await ctx.suite.models.model(id);
  return { owner: m.owner, pendingOwner: m.pendingOwner };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `<kind> transfer --to`: offers the datanet or model to another account. */
export async function transfer(kind: Kind, args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const id = parseId(args[kind], `--${kind}`);
    const to = parseAddress(args.to, "--to");
    const ctx = await connect(args, hre);
    if (to === ZeroAddress)
      throw new CliError(
        `--to cannot be the zero address: to withdraw an offer, offer the ${kind} to its owner (--to <owner>)`,
      );
    const { owner, pendingOwner } = await owners(ctx, kind, id);
    if (!same(owner, ctx.from))
      throw new CliError(`${kind} ${id} is owned by ${owner}, not ${ctx.from}: use --from with the owner`);
    if (same(to, owner) && pendingOwner === ZeroAddress)
      throw new CliError(`${to} already owns ${kind} ${id} and no offer is open: nothing to do`);
    if (same(to, pendingOwner))
      throw new CliError(`${kind} ${id} is already offered to ${to}: they can run ${kind} accept`);
    const receipt = await offerOwnership(ctx.suite, kind, id, to);
    const cancelled = same(to, owner);
    const result = { [`${kind}Id`]: id, owner, pendingOwner: to, cancelled, tx: receipt.hash };
    return output(args, result, [
      cancelled
        ? `the offer of ${kind} ${id} to ${pendingOwner} is withdrawn; tx ${receipt.hash}`
        : `${kind} ${id} offered to ${to}; it becomes theirs when they run: npx hardhat ${kind} accept --${kind} ${id} --from ${to}; tx ${receipt.hash}`,
    ]);
  });
}

/** `<kind> accept`: the account the datanet or model was offered to takes it. */
export async function accept(kind: Kind, args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const id = parseId(args[kind], `--${kind}`);
    const ctx = await connect(args, hre);
    const { owner, pendingOwner } = await owners(ctx, kind, id);
    if (pendingOwner === ZeroAddress)
      throw new CliError(
        `${kind} ${id} is not on offer: its owner ${owner} must first run ${kind} transfer --to ${ctx.from}`,
      );
    if (!same(pendingOwner, ctx.from))
      throw new CliError(
        `${kind} ${id} is offered to ${pendingOwner}, not ${ctx.from}: use --from with that account`,
      );
    const receipt = await acceptOwnership(ctx.suite, kind, id);
    const result = { [`${kind}Id`]: id, previousOwner: owner, owner: ctx.from, tx: receipt.hash };
    return output(args, result, [`${ctx.from} now owns ${kind} ${id} (was ${owner}); tx ${receipt.hash}`]);
  });
}
