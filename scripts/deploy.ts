/**
 * Deploys the suite through Ignition with the network's parameter file.
 *
 * Usage: npm run deploy -- --network <net> [any other `hardhat ignition deploy` option]
 * Runs:  hardhat ignition deploy deploy/modules/Suite.ts --network <net> --parameters deploy/parameters/<net>.json
 * The addresses land in deploy/deployments/chain-<chainId>/deployed_addresses.json, where every
 * task and script finds them (or pass --deployment-id <id> here and --deployment <id> to the tasks).
 * A deployment interrupted midway resumes from its journal when run again.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const at = args.findIndex((a) => a === "--network" || a.startsWith("--network="));
const network = at < 0 ? undefined : args[at].includes("=") ? args[at].split("=")[1] : args[at + 1];
const available = readdirSync(join(root, "deploy", "parameters"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5));
if (!network) {
  console.error(`Error: give the network: npm run deploy -- --network <${available.join("|")}>`);
  process.exit(1);
}
const parameters = join(root, "deploy", "parameters", `${network}.json`);
if (!existsSync(parameters)) {
  console.error(
    `Error: no parameter file deploy/parameters/${network}.json: create it (see ${available.join(", ")}) or pick one of those networks`,
  );
  process.exit(1);
}
const hardhat = join(root, "node_modules", ".bin", "hardhat");
const command = ["ignition", "deploy", "deploy/modules/Suite.ts", "--parameters", parameters, ...args];
console.error(`> hardhat ${command.join(" ")}`);
const run = spawnSync(hardhat, command, { cwd: root, stdio: "inherit" });
process.exit(run.status ?? 1);
