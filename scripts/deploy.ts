/**
 * Deploys the suite through Ignition with the network's parameter file.
 *
 * Usage: npm run deploy -- --network <net> [any other `hardhat ignition deploy` option]
 * Runs:  hardhat ignition deploy <module> --network <net> --parameters deploy/parameters/<net>.json
 * where <module> is deploy/modules/Protocol.ts (production: the timelock governs, the deployer
 * renounces every role) on every network but `localhost` and `hardhat`, which get the plain
 * deploy/modules/Local.ts of the demo (the Suite module, the deployer administers and bonds as the
 * attribution operator). Before anything is sent, a
 * production parameter file must set every address the Protocol module hands power to (see
 * PRODUCTION_ADDRESSES); the zero address is the placeholder meaning "not set yet".
 * The addresses land in deploy/deployments/chain-<chainId>/deployed_addresses.json, where every
 * task and script finds them (or pass --deployment-id <id> here and --deployment <id> to the tasks).
 * A deployment interrupted midway resumes from its journal when run again. Local networks deploy
 * the default build profile (what the demo and the tests use), others the production profile.
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
if (!production) {
  // A restarted dev node forgets the suite but not Ignition's journal: start afresh when the
  // recorded contracts are not on this chain.
  const url = network === "localhost" ? process.env.LOCALHOST_RPC_URL || "http://127.0.0.1:8545" : undefined;
  if (url !== undefined) {
    const rpc = async (method: string, params: unknown[]): Promise<string> => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return ((await response.json()) as { result: string }).result;
    };
    let chainId: bigint;
    try {
      chainId = BigInt(await rpc("eth_chainId", []));
    } catch {
      console.error(
        `Error: no node answers at ${url}: start one first (./node_modules/.bin/node ./node_modules/.bin/hardhat node --hostname 127.0.0.1 &), or set LOCALHOST_RPC_URL`,
      );
      process.exit(1);
    }
    const idAt = args.indexOf("--deployment-id");
    const deploymentId = idAt >= 0 ? args[idAt + 1] : `chain-${chainId}`;
    // Loaded by path: this script runs on plain Node (type stripping), before anything is built.
    const local = (await import(
      join(root, "src", "cli", "local-deployment.ts")
    )) as typeof import("../src/cli/local-deployment.js");
    const { dropStaleDeployment, LOCAL_CHAIN_IDS } = local;
    if (LOCAL_CHAIN_IDS.has(chainId)) {
      const line = await dropStaleDeployment(join(root, "deploy", "deployments"), deploymentId, (a) =>
        rpc("eth_getCode", [a, "latest"]),
      );
      if (line) console.error(line);
    }
  }
}
const moduleFile = production ? "deploy/modules/Protocol.ts" : "deploy/modules/Local.ts";
const hardhat = join(root, "node_modules", ".bin", "hardhat");
// `ignition deploy` compiles the production profile by default. A local node gets the default
// profile instead, the bytecode the demo and the tests already built: nothing to compile, and
// no production build evicting the default one from Hardhat's compile cache (one entry per
// source file), which made the next task compile everything again. `--build-profile` overrides.
const profile =
  production || args.some((a) => a === "--build-profile" || a.startsWith("--build-profile="))
    ? []
    : ["--build-profile", "default"];
const command = ["ignition", "deploy", moduleFile, "--parameters", parameters, ...profile, ...args];
console.error(`> hardhat ${command.join(" ")}`);
// Ignition waits blockPollingInterval (1 s by default) between checks for each batch's receipts:
// on a local automining node the receipt is there at once, so poll every 50 ms (hardhat.config.ts
// reads IGNITION_BLOCK_POLLING_MS); real networks keep the default.
const env = production ? process.env : { IGNITION_BLOCK_POLLING_MS: "50", ...process.env };
const run = spawnSync(hardhat, command, { cwd: root, stdio: "inherit", env });
if (run.status === 0 && !production) {
  // The demo module gives every role to the deployer (deploy/modules/Local.ts): say so.
  console.error(
    "localhost roles: account 0 (the deployer) is admin, governance, treasury, attribution operator (bonded with the minimum stake) and settlement operator, and holds the rest of the OPEN supply; other accounts start with none: npx hardhat token transfer --to 1 --amount 1000 --network localhost",
  );
}
process.exit(run.status ?? 1);
