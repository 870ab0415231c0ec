/**
 * Parsing of command-line values: each parser names the flag it read, so a typo fails with one
 * line saying which option was wrong and what it must look like.
 */
import { getAddress, isAddress } from "ethers";
import { InputError } from "./inputs.js";

/** The value of a required option; missing, a one-line error naming it and saying what it takes. */
export function requiredOption(text: string | undefined, option: string, what: string): string {
  if (text === undefined) throw new InputError(`${option} is required: ${what}`);
  return text;
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

/** `--model` and `--epoch`: the (model, epoch) pair an attribution or rewards action names. */
export function parsePair(args: { model: string | undefined; epoch: string | undefined }): {
  modelId: bigint;
  epoch: bigint;
} {
  return {
    modelId: parseId(args.model, "--model"),
    epoch: parseUint(args.epoch, "--epoch", { allowZero: true }),
  };
}

/** `--add <address>` or `--remove <address>`, exactly one: the address and whether it is added. */
export function parseAddOrRemove(args: { add: string | undefined; remove: string | undefined }): {
  account: string;
  adding: boolean;
} {
  if ((args.add === undefined) === (args.remove === undefined))
    throw new InputError("give exactly one of --add <address> or --remove <address>");
  const adding = args.add !== undefined;
  return { account: parseAddress(args.add ?? args.remove, adding ? "--add" : "--remove"), adding };
}
