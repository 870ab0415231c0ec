/**
 * Pre-flight checks by view calls: what the command line and the scripts verify before they send
 * a transaction, so a typo fails with a one-line message naming the flag to fix and costs no gas.
 */
import { formatEther, id as roleId, type Provider } from "ethers";
import type { Suite } from "../sdk/suite.js";
import { InputError } from "./inputs.js";

/** Checks that every contract of the book has code on this chain. */
export async function assertSuiteDeployed(suite: Suite, provider: Provider): Promise<void> {
  // Asked side by side (one round trip's wait, not one a contract), reported in the book's order.
  const entries = Object.entries(suite.addresses);
  const codes = await Promise.all(entries.map(([, address]) => provider.getCode(address)));
  const missing = entries.find((_, i) => codes[i] === "0x");
  if (missing)
    throw new InputError(
      `no contract at ${missing[1]} (${missing[0]}) on this network: pass the right --addresses/--deployment or deploy first (npm run deploy -- --network <net>)`,
    );
}

/** Checks that a datanet id exists (names --datanet). */
export async function assertDatanetExists(suite: Suite, datanetId: bigint): Promise<void> {
  const count = await suite.datanets.datanetCount();
  if (datanetId < 1n || datanetId > count)
    throw new InputError(`datanet ${datanetId} does not exist (this registry has ${count}): check --datanet`);
}

/** Checks that a model id exists (names --model). */
export async function assertModelExists(suite: Suite, modelId: bigint): Promise<void> {
  if (!(await suite.models.modelExists(modelId))) {
    const count = await suite.models.modelCount();
    throw new InputError(`model ${modelId} does not exist (this registry has ${count}): check --model`);
  }
}

/** Checks that a contribution is in a datanet (names --contribution); returns its record. */
export async function assertContributionExists(
  suite: Suite,
  datanetId: bigint,
  contributionId: string,
): Promise<Awaited<ReturnType<Suite["datanets"]["contribution"]>>> {
  const c = await suite.datanets.contribution(datanetId, contributionId).catch(() => undefined);
  if (!c || c.status === 0n)
    throw new InputError(
      `contribution ${contributionId} is not in datanet ${datanetId}: check --contribution`,
    );
  return c;
}

/** Checks that every training input names an existing datanet version. */
export async function assertTrainingInputs(
  suite: Suite,
  inputs: readonly { datanetId: bigint; versionNumber: bigint }[],
): Promise<void> {
  for (const t of inputs) {
    await assertDatanetExists(suite, t.datanetId);
    const d = await suite.datanets.datanet(t.datanetId);
    if (t.versionNumber < 1n || t.versionNumber > d.versionCount) {
      throw new InputError(
        `datanet ${t.datanetId} has no version ${t.versionNumber} (it has ${d.versionCount}): publish it first (datanet publish)`,
      );
    }
  }
}

/** Checks that `account` holds `role` on `contract` (attribution or distributor). */
export async function assertRole(
  contract: Suite["attribution"] | Suite["distributor"],
  role: string,
  account: string,
): Promise<void> {
  if (!(await contract.hasRole(roleId(role), account))) {
    throw new InputError(
      `${account} does not hold ${role} on ${await contract.getAddress()}: use --from with an operator account`,
    );
  }
}

/** Checks that `operator` is a listed staking operator whose own stake meets the minimum bond. */
export async function assertBonded(suite: Suite, operator: string): Promise<void> {
  const [pool, bond, minimum] = await Promise.all([
    suite.staking.pool(operator),
    suite.staking.bondOf(operator),
    suite.staking.minOperatorBond(),
  ]);
  if (pool.id === 0n || !pool.listed)
    throw new InputError(
      `${operator} is not a listed staking operator: governance lists operators before they can commit`,
    );
  if (bond < minimum)
    throw new InputError(
      `${operator}'s bond is ${formatEther(bond)} OPEN, below the minimum of ${formatEther(minimum)} OPEN: bond the rest first (operator bond)`,
    );
}

/** Checks that `account` holds at least `amount` OPEN. */
export async function assertBalance(suite: Suite, account: string, amount: bigint): Promise<void> {
  const balance = await suite.token.balanceOf(account);
  if (balance < amount) {
    throw new InputError(
      `${account} holds ${formatEther(balance)} OPEN but the payment costs ${formatEther(amount)} OPEN: fund the account or pay for fewer --units`,
    );
  }
}

/** Whether `from` may curate the datanet: its owner (implicitly) or an appointed curator. */
export async function isCuratorOf(ctx: { suite: Suite; from: string }, datanetId: bigint): Promise<boolean> {
  const d = await ctx.suite.datanets.datanet(datanetId);
  return (
    d.owner.toLowerCase() === ctx.from.toLowerCase() ||
    (await ctx.suite.datanets.isCurator(datanetId, ctx.from))
  );
}

/** Fails unless `from` owns the model and it is not retired. */
export async function assertModelOwner(ctx: { suite: Suite; from: string }, modelId: bigint): Promise<void> {
  const m = await ctx.suite.models.model(modelId);
  if (m.owner.toLowerCase() !== ctx.from.toLowerCase())
    throw new InputError(
      `model ${modelId} is owned by ${m.owner}, not ${ctx.from}: use --from with the owner`,
    );
  if (m.retired) throw new InputError(`model ${modelId} is retired: nothing can be changed`);
}

/** Fails unless `from` owns the datanet (names --from). */
export async function assertDatanetOwner(
  ctx: { suite: Suite; from: string },
  datanetId: bigint,
): Promise<void> {
  const d = await ctx.suite.datanets.datanet(datanetId);
  if (d.owner.toLowerCase() !== ctx.from.toLowerCase())
    throw new InputError(
      `datanet ${datanetId} is owned by ${d.owner}, not ${ctx.from}: use --from with the owner`,
    );
}
