/**
 * Pre-flight checks by view calls: what the command line and the scripts verify before they send
 * a transaction, so a typo fails with a one-line message and costs no gas.
 */
import { formatEther, getAddress, id as roleId, isAddress, type Provider } from "ethers";
import { InputError } from "./inputs.js";
import type { Suite } from "./suite.js";

/** Checks that every contract of the book has code on this chain. */
export async function assertSuiteDeployed(suite: Suite, provider: Provider): Promise<void> {
  for (const [name, address] of Object.entries(suite.addresses)) {
    if ((await provider.getCode(address)) === "0x") {
      throw new InputError(
        `no contract at ${address} (${name}) on this network: pass the right --addresses/--deployment or deploy first (npm run deploy -- --network <net>)`,
      );
    }
  }
}

/** A decimal id > 0. */
export function parseId(text: string | undefined, option: string): bigint {
  if (text === undefined || text === "") throw new InputError(`${option} is required`);
  if (!/^\d+$/.test(text.trim()) || BigInt(text.trim()) === 0n)
    throw new InputError(`${option} must be a positive integer id, got "${text}"`);
  return BigInt(text.trim());
}

/** A positive integer (units, epoch counts...). */
export function parseUint(text: string | undefined, option: string, { allowZero = false } = {}): bigint {
  if (text === undefined || text === "") throw new InputError(`${option} is required`);
  if (!/^\d+$/.test(text.trim()) || (!allowZero && BigInt(text.trim()) === 0n))
    throw new InputError(
      `${option} must be a ${allowZero ? "non-negative" : "positive"} integer, got "${text}"`,
    );
  return BigInt(text.trim());
}

/** A checksummed address. */
export function parseAddress(text: string | undefined, option: string): string {
  if (text === undefined || text === "") throw new InputError(`${option} is required`);
  if (!isAddress(text.trim()))
    throw new InputError(`${option} is not a valid address: "${text}" (0x + 40 hex)`);
  return getAddress(text.trim());
}

/** A 32-byte hex value. */
export function parseBytes32(text: string | undefined, option: string): string {
  if (text === undefined || text === "") throw new InputError(`${option} is required`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(text.trim()))
    throw new InputError(`${option} must be 0x + 64 hex characters, got "${text}"`);
  return text.trim().toLowerCase();
}

export async function assertDatanetExists(suite: Suite, datanetId: bigint): Promise<void> {
  const count = await suite.datanets.datanetCount();
  if (datanetId < 1n || datanetId > count)
    throw new InputError(`datanet ${datanetId} does not exist (this registry has ${count}): check --datanet`);
}

export async function assertModelExists(suite: Suite, modelId: bigint): Promise<void> {
  if (!(await suite.models.modelExists(modelId))) {
    const count = await suite.models.modelCount();
    throw new InputError(`model ${modelId} does not exist (this registry has ${count}): check --model`);
  }
}

export async function assertContributionExists(suite: Suite, datanetId: bigint, contributionId: string) {
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

/** Checks that `account` holds at least `amount` OPEN. */
export async function assertBalance(suite: Suite, account: string, amount: bigint): Promise<void> {
  const balance = await suite.token.balanceOf(account);
  if (balance < amount) {
    throw new InputError(
      `${account} holds ${formatEther(balance)} OPEN but the payment costs ${formatEther(amount)} OPEN: fund the account or pay for fewer --units`,
    );
  }
}
