/**
 * Deploys the suite through Ignition with the network's parameter file.
 *
 * Usage: npm run deploy -- --network <net> [any other `hardhat ignition deploy` option]
 * Runs:  hardhat ignition deploy <module> --network <net> --parameters deploy/parameters/<net>.json
 * where <module> is deploy/modules/Protocol.ts (production: the timelock governs, the deployer
 * renounces every role) on every network but `localhost` and `hardhat`, which get the plain
 * deploy/modules/Suite.ts of the demo (the deployer administers). Before anything is sent, a
 * production parameter file must set every address the Protocol module hands power to (see
 * PRODUCTION_ADDRESSES); the zero address is the placeholder meaning "not set yet".
 * The addresses land in deploy/deployments/chain-<chainId>/deployed_addresses.json, where every
 * task and script finds them (or pass --deployment-id <id> here and --deployment <id> to the tasks).
 * A deployment interrupted midway resumes from its journal when run again.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
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

/** Networks where the deployer may keep its roles (local demo). */
const DEMO_NETWORKS = new Set(["localhost", "hardhat"]);
/** [module, parameter]: addresses a production deployment must set (not the deployer, not zero). */
const PRODUCTION_ADDRESSES = [
  ["Protocol", "guardian"],
  ["Suite", "attributionOperator"],
  ["Suite", "settlementOperator"],
  ["Suite", "treasury"],
  ["OpenToken", "supplyRecipient"],
] as const;

const production = !DEMO_NETWORKS.has(network);
if (production) {
  const values = JSON.parse(readFileSync(parameters, "utf8")) as Record<string, Record<string, unknown>>;
  const problems: string[] = [];
  for (const [moduleId, name] of PRODUCTION_ADDRESSES) {
    const value = values[moduleId]?.[name];
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value) || /^0x0{40}$/.test(value)) {
      problems.push(`${moduleId}.${name} (now ${JSON.stringify(value)})`);
    }
  }
  if (values.Suite?.admin !== undefined) {
    problems.push("Suite.admin (remove it: the timelock is the only admin of a production deployment)");
  }
  if (problems.length > 0) {
    console.error(
      `Error: deploy/parameters/${network}.json must set these to real, non-zero addresses other than the deploying account:\n  ${problems.join("\n  ")}`,
    );
    process.exit(1);
  }
}
const moduleFile = production ? "deploy/modules/Protocol.ts" : "deploy/modules/Suite.ts";
const hardhat = join(root, "node_modules", ".bin", "hardhat");
const command = ["ignition", "deploy", moduleFile, "--parameters", parameters, ...args];
console.error(`> hardhat ${command.join(" ")}`);
const run = spawnSync(hardhat, command, { cwd: root, stdio: "inherit" });
process.exit(run.status ?? 1);
