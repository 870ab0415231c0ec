import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { getAddress, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { CliError, connect, type SuiteArgs, type TaskContext } from "../../src/cli/task.js";
import { connectUsageEscrow } from "../../src/sdk/usage.js";
import { ignitionAddressesPath } from "../../src/sdk/suite.js";
import type { SignedVoucher } from "../../src/usage/voucher.js";
import type { UsageEscrow } from "../../typechain-types/index.js";

export interface UsageArgs extends SuiteArgs {
  escrow: string | undefined;
}

/** Connects to the suite and the escrow (from --escrow, the --addresses file, or Ignition's book). */
export async function connectUsage(
  args: UsageArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<TaskContext & { escrow: UsageEscrow }> {
  const ctx = await connect(args, hre);
  let address = args.escrow;
  if (address === undefined) {
    const path = args.addresses
      ? resolve(args.addresses)
      : ignitionAddressesPath(args.deployment ?? `chain-${ctx.chainId}`);
    const book = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    const found = book.usageEscrow ?? book["Suite#UsageEscrow"];
    if (typeof found !== "string")
      throw new CliError(`${path} names no usage escrow: pass --escrow <address> or deploy the suite again`);
    address = found;
  }
  if (!isAddress(address)) throw new CliError(`--escrow must be an address, got ${address}`);
  if ((await ctx.provider.getCode(address)) === "0x")
    throw new CliError(`no contract at --escrow ${address} on this network: check the address`);
  return { ...ctx, escrow: connectUsageEscrow(getAddress(address), ctx.signer) };
}

/** Reads signed vouchers (one object or a list) written by `usage sign`. */
export async function readVouchers(path: string): Promise<SignedVoucher[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw new CliError(`--vouchers ${path} is not a readable JSON file: write it with usage sign`);
  }
  const list = Array.isArray(json) ? json : [json];
  return list.map((item, i) => {
    const o = item as { voucher?: Record<string, unknown>; signature?: unknown };
    const v = o.voucher;
    if (typeof v !== "object" || v === null || typeof o.signature !== "string")
      throw new CliError(
        `${path}: item ${i} must be {"voucher": {...}, "signature": "0x..."} as usage sign writes`,
      );
    try {
      return {
        voucher: {
          payer: getAddress(String(v.payer)),
          modelId: BigInt(String(v.modelId)),
          cumulativeUnits: BigInt(String(v.cumulativeUnits)),
          maxPricePerUnit: BigInt(String(v.maxPricePerUnit)),
          usageRoot: String(v.usageRoot),
          expiry: BigInt(String(v.expiry)),
        },
        signature: o.signature,
      };
    } catch {
      throw new CliError(`${path}: item ${i} has a malformed field: write it with usage sign`);
    }
  });
}
