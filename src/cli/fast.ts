/**
 * The fast entry's commands (bin/openledger.js runs this module as one bundled file, without
 * Hardhat): `ledger show` on an http network whose url it can read as hardhat.config.ts does.
 * Anything else, or anything it is not sure to read as Hardhat would (`--help`, an option it does
 * not know, `--account <index>` which needs the network's accounts, Hardhat's in-process chain,
 * a url Hardhat would take from its keystore, a HARDHAT_* setting), it hands to Hardhat: the
 * same command there gives the same output, errors and help.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { showLedger, type ShowArgs } from "./ledger-show.js";
import { httpNetworkUrl } from "./networks.js";

/** What `ledger show` takes here: its value options (as Hardhat spells them) and its flags. */
const VALUE_OPTIONS = [
  "network",
  "addresses",
  "deployment",
  "account",
  "payment",
  "status",
  "datanet",
  "indexer",
  "limit",
];
const FLAGS = ["json", "all"];

/** A command the fast entry runs itself: `ledger show`'s arguments and its network. */
export interface FastCommand {
  args: ShowArgs;
  network: { name: string; url: string };
}

/**
 * Reads `argv` (what follows `openledger`) as `ledger show` with options Hardhat would read the
 * same way; undefined when Hardhat must run the command. `root` is the project's folder (Hardhat
 * must be finding its config there from `cwd`), `env` the environment after `.env` is read.
 */
export function fastCommand(
  argv: readonly string[],
  root: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): FastCommand | undefined {
  if (argv[0] !== "ledger" || argv[1] !== "show") return undefined;
  if (Object.keys(env).some((name) => name.startsWith("HARDHAT_"))) return undefined;
  if (configFolder(cwd) !== root) return undefined;
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 2; i < argv.length; i++) {
    const name = /^--([a-z]+)$/.exec(argv[i])?.[1];
    if (name === undefined || values.has(name) || flags.has(name)) return undefined;
    if (FLAGS.includes(name)) flags.add(name);
    else if (VALUE_OPTIONS.includes(name)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) return undefined;
      values.set(name, value);
    } else return undefined;
  }
  // An account by index is one of the network's accounts: Hardhat knows them.
  if (/^\d+$/.test((values.get("account") ?? "").trim())) return undefined;
  const name = values.get("network") ?? "default";
  const url = httpNetworkUrl(name, env);
  if (url === undefined) return undefined;
  return {
    args: {
      addresses: values.get("addresses"),
      deployment: values.get("deployment"),
      indexer: values.get("indexer") ?? "",
      account: values.get("account") ?? "",
      payment: values.get("payment") ?? "",
      status: values.get("status") ?? "",
      datanet: values.get("datanet") ?? "",
      limit: values.get("limit") ?? "",
      all: flags.has("all"),
      json: flags.has("json"),
    },
    network: { name, url },
  };
}

/** The folder of the Hardhat config that Hardhat finds from `cwd` (the nearest one up), if any. */
function configFolder(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (
      ["ts", "js", "mts", "mjs", "cts", "cjs"].some((ext) => existsSync(join(dir, `hardhat.config.${ext}`)))
    )
      return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Runs `argv` when the fast entry can: resolves true once the command ran (its exit code set as
 * Hardhat sets it), false when Hardhat must run it.
 */
export async function runFast(argv: readonly string[], root: string): Promise<boolean> {
  const command = fastCommand(argv, root, process.cwd(), process.env);
  if (command === undefined) return false;
  await showLedger(command.args, command.network);
  return true;
}
