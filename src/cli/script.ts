/** What the scripts under scripts/ share: running their `main` only when run as the script itself. */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SuiteArgs } from "./options.js";

/**
 * Runs `main(args())` when the module at `moduleUrl` is the script node (or `hardhat run`) was
 * asked to run, so tests can import the script's `main` without running it; `--help` or `-h`
 * prints `usage` instead.
 */
export async function runIfMain<A>(
  moduleUrl: string,
  usage: string,
  main: (args: A) => Promise<unknown>,
  args: () => A,
): Promise<void> {
  if (!process.argv.some((a) => resolve(a) === fileURLToPath(moduleUrl))) return;
  if (process.argv.includes("--help") || process.argv.includes("-h")) console.log(usage);
  else await main(args());
}

/** The options every script reads from its environment (ADDRESSES_FILE, DEPLOYMENT_ID, FROM, JOURNAL_FILE). */
export interface ScriptOptions {
  addresses?: string;
  deployment?: string;
  from?: string;
  journal?: string;
}

/** {@link ScriptOptions} from the environment. */
export function scriptOptionsFromEnv(): ScriptOptions {
  return {
    addresses: process.env.ADDRESSES_FILE,
    deployment: process.env.DEPLOYMENT_ID,
    from: process.env.FROM,
    journal: process.env.JOURNAL_FILE,
  };
}

/** The task arguments a script connects with: its options, output always JSON. */
export function scriptArgs(options: ScriptOptions): SuiteArgs {
  return { addresses: options.addresses, deployment: options.deployment, from: options.from, json: true };
}
