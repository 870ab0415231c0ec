import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { formatMismatch, verifyLedger } from "../../src/verifier/index.js";
import { CliError, runTask } from "../../src/cli/task.js";
import { readOnlySuite, toJson, type SuiteLocation } from "./ledger-common.js";

interface VerifyArgs extends SuiteLocation {
  dump: string;
  json: boolean;
}

/** Parses `1=path,2=path`. */
export function parseDumps(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",").filter(Boolean)) {
    const match = /^(\d+)=(.+)$/.exec(part.trim());
    if (!match) throw new CliError(`--dump "${part}" is not id=path (e.g. 2=./settlement-2.json)`);
    out[match[1]] = match[2];
  }
  return out;
}

export default async function ledgerVerify(args: VerifyArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, async () => {
    const settlementDumps = parseDumps(args.dump);
    const { suite, provider } = await readOnlySuite(args, hre);
    const result = await verifyLedger({ suite, provider, settlementDumps });
    if (args.json) console.log(toJson(result));
    else {
      for (const m of result.mismatches) console.log(formatMismatch(m));
      for (const n of result.notes) console.log(`note: ${n}`);
      console.log(
        result.ok
          ? `OK: ${result.checks} checks at block ${result.block}, no mismatch`
          : `FAILED: ${result.mismatches.length} mismatch(es) in ${result.checks} checks at block ${result.block}`,
      );
    }
    if (!result.ok) process.exitCode = 1;
    return result;
  });
}
