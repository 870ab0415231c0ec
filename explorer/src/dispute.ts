/**
 * A settlement dispute as a file: which `ISettlementDisputes` function to call and its arguments,
 * checked against the contract's ABI before anything is simulated or signed.
 *
 * The file is what a fraud-proof builder writes (the watchtower's, or by hand):
 *   { "function" (or "method"): "disputeUnderpayment" | "disputeOmission" | "disputeLeaf" | "disputeLeaves",
 *     "args": [...] or { "<parameter>": ... },
 *     "root": "0x…" (optional: the pending root the proofs were built against) }
 * Arguments follow the ABI: a `ProvenLeaf` is `{ account, cumulativeAmount, nextAccount,
 * prefixBefore, proof }`, a `PairWeight` `{ modelId, epoch, weight, proof }`; integers as decimal
 * strings (or JSON numbers below 2^53), addresses and hashes as 0x hex. Other keys (the builder's
 * `fault`, `account`) are ignored.
 */
import { getAddress, isAddress, type ParamType } from "ethers";
import { ISettlementDisputes__factory } from "../../typechain-types/factories/interfaces/ISettlementDisputes__factory.js";

export const DISPUTE_FUNCTIONS = [
  "disputeUnderpayment",
  "disputeOmission",
  "disputeLeaf",
  "disputeLeaves",
] as const;
export type DisputeFunction = (typeof DISPUTE_FUNCTIONS)[number];

export interface DisputeCall {
  function: DisputeFunction;
  /** Arguments in ABI order, ready for ethers (bigints, checksummed addresses). */
  args: unknown[];
  /** The pending root the file says it proves against (lower-case), when it names one. */
  root?: string;
}

/** A dispute file that does not hold a call the contract takes: one line saying where and what. */
export class DisputeFileError extends Error {}

const HASH = /^0x[0-9a-fA-F]{64}$/;

function value(type: ParamType, v: unknown, at: string): unknown {
  if (type.isTuple()) {
    if (typeof v !== "object" || v === null)
      throw new DisputeFileError(
        `${at} must be an object with ${type.components.map((c) => c.name).join(", ")}`,
      );
    const o = v as Record<string, unknown>;
    return type.components.map((c, i) => {
      const field = Array.isArray(v) ? o[i] : o[c.name];
      if (field === undefined) throw new DisputeFileError(`${at}.${c.name} is missing`);
      return value(c, field, `${at}.${c.name}`);
    });
  }
  if (type.isArray()) {
    if (!Array.isArray(v)) throw new DisputeFileError(`${at} must be a list`);
    return v.map((item, i) => value(type.arrayChildren, item, `${at}[${i}]`));
  }
  if (type.type === "address") {
    if (typeof v !== "string" || !isAddress(v))
      throw new DisputeFileError(`${at} must be an address (0x + 40 hex)`);
    return getAddress(v);
  }
  if (type.type === "bytes32") {
    if (typeof v !== "string" || !HASH.test(v))
      throw new DisputeFileError(`${at} must be a 32-byte hash (0x + 64 hex)`);
    return v.toLowerCase();
  }
  if (type.type.startsWith("uint")) {
    const ok =
      (typeof v === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(v)) ||
      (typeof v === "number" && Number.isSafeInteger(v) && v >= 0);
    if (!ok) throw new DisputeFileError(`${at} must be a whole number (a decimal string for large values)`);
    const n = BigInt(v as string | number);
    if (n >= 2n ** 256n) throw new DisputeFileError(`${at} does not fit a uint256`);
    return n;
  }
  throw new DisputeFileError(`${at} has a type (${type.type}) no dispute takes`);
}

/** Parses and checks a dispute file's text against `ISettlementDisputes`' ABI. */
export function parseDisputeFile(text: string): DisputeCall {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DisputeFileError("the dispute file is not JSON: pick the file the proof builder wrote");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new DisputeFileError('the dispute file must be an object {"function": …, "args": …}');
  const o = json as Record<string, unknown>;
  // "method" is how the watchtower's builder (`SettlementDisputeCall`) names it.
  const name = o.function ?? o.method;
  if (typeof name !== "string" || !(DISPUTE_FUNCTIONS as readonly string[]).includes(name))
    throw new DisputeFileError(
      `"function" must be one of ${DISPUTE_FUNCTIONS.join(", ")} (got ${JSON.stringify(name)})`,
    );
  const fragment = ISettlementDisputes__factory.createInterface().getFunction(name as DisputeFunction)!;
  const raw = o.args;
  const inputs = fragment.inputs;
  let list: unknown[];
  if (Array.isArray(raw)) list = raw;
  else if (typeof raw === "object" && raw !== null)
    list = inputs.map((p) => (raw as Record<string, unknown>)[p.name]);
  else
    throw new DisputeFileError(
      `"args" must be a list or an object of ${inputs.map((p) => p.name).join(", ")}`,
    );
  if (list.length !== inputs.length)
    throw new DisputeFileError(
      `${name} takes ${inputs.length} argument(s) (${inputs.map((p) => p.name).join(", ")}), the file gives ${list.length}`,
    );
  const args = inputs.map((p, i) => {
    if (list[i] === undefined) throw new DisputeFileError(`args.${p.name} is missing`);
    return value(p, list[i], `args.${p.name}`);
  });
  let root: string | undefined;
  if (o.root !== undefined) {
    if (typeof o.root !== "string" || !HASH.test(o.root))
      throw new DisputeFileError('"root" must be the pending root (0x + 64 hex) or left out');
    root = o.root.toLowerCase();
  }
  return { function: name as DisputeFunction, args, root };
}
