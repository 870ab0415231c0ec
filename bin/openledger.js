#!/usr/bin/env node
/**
 * openledger: the suite's command line with a fast path for reads. `openledger ledger show ...`
 * takes the options of `npx hardhat ledger show ...` and prints the same, without starting
 * Hardhat (its start, config and plugins cost more than a second before the command runs): the
 * command's code (src/cli/fast.ts and what it imports, ethers included) runs as one bundled file.
 * Every other command, and any `ledger show` the fast path is not sure to read as Hardhat would
 * (see src/cli/fast.ts), is handed to Hardhat unchanged: `openledger <anything>` is
 * `hardhat <anything>`. With OPENLEDGER_FAST_ONLY=1 it fails in one line instead (tests, the bench).
 *
 * The bundle is built with esbuild on first use and again whenever one of its input files
 * changed (their sizes and modification times are kept beside it), into
 * node_modules/.cache/openledger/: nothing to build by hand, after `npm ci` or a `git pull`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(ROOT, "package.json"));
const argv = process.argv.slice(2);

// Hardhat and the suite need Node >= 22.13; where `node` is older, the project's own Node runs this.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  const node22 = join(ROOT, "node_modules", ".bin", "node");
  if (!existsSync(node22)) {
    console.error(
      `Error: Node.js ${process.versions.node} is too old (the suite needs >= 22.13): run npm ci in ${ROOT}, or use npx openledger`,
    );
    process.exit(1);
  }
  await pass(node22, [fileURLToPath(import.meta.url), ...argv]);
}

const CACHE = join(ROOT, "node_modules", ".cache", "openledger");
const BUNDLE = join(CACHE, "fast.mjs");
const INPUTS = join(CACHE, "fast.inputs.json");
const ENTRY = join(ROOT, "src", "cli", "fast.ts");

// The same environment the config sees (hardhat.config.ts reads .env through dotenv).
await import(pathToFileURL(require.resolve("dotenv/config")).href);
module.enableCompileCache?.(join(CACHE, "v8"));
// A bundle that cannot be built (on a fresh clone before `npm run compile` has generated
// typechain-types) leaves the command to Hardhat, which says what is missing as it always does.
const bundle = await freshBundle().catch((error) => {
  if (process.env.OPENLEDGER_FAST_ONLY === "1") {
    const reason = error.errors?.[0]?.text ?? String(error.message).split("\n")[0];
    console.error(`Error: the fast path could not be built (${reason}): run npm run compile, or npx hardhat`);
    process.exit(2);
  }
  return undefined;
});
const ran = bundle !== undefined && (await (await import(pathToFileURL(bundle).href)).runFast(argv, ROOT));
if (!ran) {
  // Tests and the bench set this to be sure that what they time or compare ran here.
  if (process.env.OPENLEDGER_FAST_ONLY === "1") {
    console.error(
      `Error: openledger ${argv.join(" ")} is not one the fast path runs (OPENLEDGER_FAST_ONLY=1): see docs/cli.md`,
    );
    process.exit(2);
  }
  const hardhat = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  await pass(process.execPath, [hardhat, ...argv]);
}

/** Runs `command` with this process's arguments, stdio and environment; exits with its code. */
async function pass(command, args) {
  const child = spawn(command, args, { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  const [code, signal] = await new Promise((r) => child.on("exit", (...a) => r(a)));
  process.exit(code ?? (signal ? 1 : 0));
}

/** The bundle's path, built first when missing or when an input changed since it was built. */
async function freshBundle() {
  const key = (path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? `${s.size}:${s.mtimeMs}` : "missing";
  };
  try {
    const inputs = JSON.parse(readFileSync(INPUTS, "utf8"));
    if (existsSync(BUNDLE) && Object.entries(inputs).every(([path, was]) => key(join(ROOT, path)) === was))
      return BUNDLE;
  } catch {
    // No bundle yet, or its input list unreadable: build it.
  }
  const { build } = await import(pathToFileURL(require.resolve("esbuild")).href);
  mkdirSync(CACHE, { recursive: true });
  const temporary = `${BUNDLE}.${process.pid}`;
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: temporary,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    metafile: true,
    logLevel: "silent",
    // CommonJS dependencies call require(); an ES module bundle has none of its own.
    banner: {
      js: 'import { createRequire as __openledgerRequire } from "node:module";\nconst require = __openledgerRequire(import.meta.url);',
    },
  });
  const inputs = {
    "package-lock.json": key(join(ROOT, "package-lock.json")),
    "bin/openledger.js": key(fileURLToPath(import.meta.url)),
  };
  for (const path of Object.keys(metafile.inputs)) {
    const full = resolve(ROOT, path);
    inputs[relative(ROOT, full)] = key(full);
  }
  writeFileSync(`${INPUTS}.${process.pid}`, JSON.stringify(inputs));
  renameSync(temporary, BUNDLE);
  renameSync(`${INPUTS}.${process.pid}`, INPUTS);
  return BUNDLE;
}
