import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import "dotenv/config";
import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import { HTTP_NETWORK_URLS, localhostUrl } from "./src/cli/networks.js";
import openledgerPlugin from "./src/hardhat/plugin.js";
import { tasks } from "./tasks/index.js";

// The machines cannot download a compiler: use the WebAssembly solc shipped by the exactly
// pinned `solc` npm package. Hardhat does not check that the file matches `version`, so the
// version is read from the package itself.
const require = createRequire(import.meta.url);
const solcVersion: string = (require("solc/package.json") as { version: string }).version;
const solcPath = require.resolve("solc/soljson.js");

// The entry-point fuzz tests (test/solidity/EntryPoints*.t.sol, built on EntryPointBase.sol) make
// solc 0.8.28's WebAssembly build fail during analysis ("memory access out of bounds", HHE908),
// whatever the split into files. solc 0.8.30 compiles them: those test files alone (and the
// contracts they import, in their own job) use it, with the test settings in every profile (a
// production build also builds the Solidity tests; identical jobs come from the compile cache).
// After issues 13 and 16 grew the contracts, the instrumented builds (`--coverage`) of the other
// Solidity tests hit the same failure: every Solidity test now compiles on 0.8.30. Contracts,
// their artifacts, the mocha tests and all gas figures stay on 0.8.28 (the instrumented coverage
// build, below, excepted).
const entryPointTests = readdirSync("test/solidity").filter((f) => /\.sol$/.test(f));
const testSolc = {
  version: (require("solc-0.8.30/package.json") as { version: string }).version,
  path: require.resolve("solc-0.8.30/soljson.js"),
};

// OpenZeppelin 5 uses `mcopy`: cancun or later.
const evmVersion = "cancun";
const productionSettings = { evmVersion, optimizer: { enabled: true, runs: 10_000 } };
// The reward distributor alone is built through the IR pipeline in production. Measured on it
// (transaction gasUsed, test/gas/RewardsGas.test.ts): the first settlement claim of an account at
// 1,000,000 leaves is 84,833 on IR and 85,307 on the legacy pipeline (budget 85,000); a steady
// `pay` is 74,510 on IR and 74,144 on legacy (budget 75,000): the claim budget needs IR.
const distributorProductionOverride = {
  "contracts/rewards/RewardDistributor.sol": {
    version: solcVersion,
    path: solcPath,
    settings: { ...productionSettings, viaIR: true },
  },
};
const testSettings = { evmVersion, optimizer: { enabled: true, runs: 200 } };
const entryPointOverrides = Object.fromEntries(
  entryPointTests.map((f) => [`test/solidity/${f}`, { ...testSolc, settings: testSettings }]),
);

// Invariant depth for CI; raise with INVARIANT_RUNS / INVARIANT_DEPTH for a long run.
const invariantRuns = Number(process.env.INVARIANT_RUNS || 64);
const invariantDepth = Number(process.env.INVARIANT_DEPTH || 64);
const fuzzRuns = Number(process.env.FUZZ_RUNS || 256);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin, openledgerPlugin],
  tasks,
  solidity: {
    // Contracts and Solidity tests in separate solc runs: one job with both exhausts the
    // WebAssembly compiler's memory ("memory access out of bounds", HHE908).
    splitTestsCompilation: true,
    profiles: {
      // Tests and local runs. The optimizer is on (few runs, fast to compile) because the reward
      // distributor and the governor exceed the 24 KiB contract size limit unoptimised.
      // Not isolated: the contracts compile in one solc job, each file once. Isolated (one job per
      // file, each with all its imports) cost 166 CPU seconds against 48 for the same build
      // (`hardhat build --no-tests`, measured 2026-12-02). The Solidity tests still compile one
      // job per file: each has its own override above, and Hardhat merges only files that share
      // a compiler setting.
      default: {
        compilers: [
          {
            version: solcVersion,
            path: solcPath,
            settings: testSettings,
          },
        ],
        overrides: entryPointOverrides,
      },
      // `npm run coverage` (instrumented, never deployed): every file on solc 0.8.30, optimizer off,
      // one job for the contracts and one set for the tests. The instrumented builds were most of
      // CI: 17 test jobs each recompiling the contracts they import, through the optimizer.
      // Coverage lifts the contract size limit, so the unoptimised distributor deploys.
      coverage: {
        compilers: [{ ...testSolc, settings: { evmVersion, optimizer: { enabled: false } } }],
      },
      production: {
        compilers: [{ version: solcVersion, path: solcPath, settings: productionSettings }],
        overrides: { ...entryPointOverrides, ...distributorProductionOverride },
      },
    },
  },
  paths: {
    tests: { mocha: "test", solidity: "test/solidity" },
    // Ignition modules live in deploy/modules; journals and addresses in deploy/deployments.
    ignition: "deploy",
  },
  ignition: {
    // scripts/deploy.ts sets 50 ms for local automining nodes (the default 1 s per batch was most
    // of a local deployment's wall time); any other deployment keeps Ignition's 1 s.
    blockPollingInterval: Number(process.env.IGNITION_BLOCK_POLLING_MS || 1_000),
  },
  test: {
    solidity: {
      fuzz: { runs: fuzzRuns },
      invariant: { runs: invariantRuns, depth: invariantDepth, failOnRevert: false },
    },
  },
  typechain: {
    outDir: "typechain-types",
  },
  networks: {
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
      allowUnlimitedContractSize: false,
    },
    localhost: {
      type: "http",
      chainType: "l1",
      // Any standard JSON-RPC node on loopback (hardhat node, anvil); the port can be moved for tests
      // (LOCALHOST_RPC_URL). The urls are read in src/cli/networks.ts, which bin/openledger.js shares.
      url: localhostUrl(),
    },
    testnet: {
      type: "http",
      chainType: "op",
      url: configVariable(HTTP_NETWORK_URLS.testnet.variable),
      accounts: [configVariable("TESTNET_PRIVATE_KEY")],
    },
  },
});
