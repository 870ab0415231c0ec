import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { join } from "node:path";
import { dropStaleDeployment, LOCAL_CHAIN_IDS } from "../../src/cli/local-deployment.js";
import LocalModule from "../../deploy/modules/Local.js";
import type { JsonRpcProvider, Signer } from "ethers";
import { CliError, runTask } from "../../src/cli/task.js";
import { START_LOCAL_NODE } from "../../src/hardhat/network-hooks.js";
import { DEMO_ACCOUNTS, formatReport, runDemo, withFreshAccounts } from "../../src/demo/story.js";
import { suiteAddressesOf, type SuiteAddresses } from "../../src/sdk/suite.js";
import { runExplorer } from "../../src/explorer/run.js";
import { RpcLogSource } from "../../src/indexer/source.js";
import { reportIndexerError, stopSignal } from "./indexer.js";

interface DemoArgs {
  json: boolean;
  deploymentId: string;
  explore: boolean;
  explorePort: string;
}

export default async function demo(args: DemoArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, () => playDemo(args, hre));
}

async function playDemo(args: DemoArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const connection = await hre.network.getOrCreate();
  const { ethers, ignition } = connection;
  const log = args.json ? undefined : (line: string) => console.log(`- ${line}`);
  const { chainId } = await ethers.provider.getNetwork();
  if (LOCAL_CHAIN_IDS.has(chainId) && connection.networkName !== "default") {
    const stale = await dropStaleDeployment(
      join(hre.config.paths.root, "deploy", "deployments"),
      args.deploymentId || `chain-${chainId}`,
      (address) => ethers.provider.getCode(address),
    );
    if (stale) console.error(stale);
  }
  let signers: Signer[] = await ethers.getSigners();
  if (signers.length < DEMO_ACCOUNTS) {
    if (!LOCAL_CHAIN_IDS.has(chainId)) {
      throw new CliError(
        `the demo needs ${DEMO_ACCOUNTS} accounts and network ${connection.networkName} gives ${signers.length}: run it on a dev node (${START_LOCAL_NODE}) with --network localhost`,
      );
    }
    log?.(
      `funding ${DEMO_ACCOUNTS - signers.length} fresh accounts from the first (the node has ${signers.length})`,
    );
    signers = await withFreshAccounts(signers, ethers.provider);
  }
  log?.(`deploying the suite through Ignition on ${connection.networkName}`);
  const deployed = await ignition.deploy(LocalModule, {
    displayUi: false,
    ...(args.deploymentId ? { deploymentId: args.deploymentId } : {}),
  });
  const addresses: SuiteAddresses = await suiteAddressesOf(deployed);
  const report = await runDemo({
    networkName: connection.networkName,
    provider: ethers.provider,
    signers,
    addresses,
    usageEscrow: await deployed.usageEscrow.getAddress(),
    log,
  });
  console.log(args.json ? JSON.stringify(report, null, 2) : `\n${formatReport(report)}`);
  const staking = report.staking.books;
  if (
    !report.books.balanced ||
    !report.books.solvent ||
    !staking.balanced ||
    !staking.solvent ||
    !report.usage.books.balanced ||
    !report.usage.distributorHoldsEscrow ||
    !report.verification.ok
  ) {
    console.error("The books do not balance or the verifier found a mismatch: see the report above.");
    process.exitCode = 1;
  }
  if (args.explore) await explore(args, connection, addresses, report.outputDir);
}

/**
 * Serves the explorer over the demo's chain until Ctrl-C. The in-process chain has no URL: the
 * indexer and the page's /rpc reach it through the connection's EIP-1193 provider.
 */
async function explore(
  args: DemoArgs,
  connection: Awaited<ReturnType<HardhatRuntimeEnvironment["network"]["getOrCreate"]>>,
  addresses: SuiteAddresses,
  outputDir: string,
): Promise<void> {
  if (!/^\d+$/.test(args.explorePort) || Number(args.explorePort) > 65_535) {
    console.error(`Error: --explore-port "${args.explorePort}" is not a TCP port (0-65535)`);
    process.exitCode = 1;
    return;
  }
  const send = (method: string, params: unknown[]) => connection.provider.request({ method, params });
  try {
    await runExplorer({
      source: new RpcLogSource(
        { send: send as JsonRpcProvider["send"] },
        `${connection.networkName} (in this process)`,
      ),
      rpc: send,
      addresses,
      database: join(outputDir, "explorer-index.sqlite"),
      port: Number(args.explorePort),
      confirmations: 0,
      log: () => undefined,
      signal: stopSignal(),
      onListening: (url) => console.log(`\nExplorer: ${url}/ (serving until Ctrl-C)`),
    });
  } catch (error) {
    reportIndexerError(error);
  }
}
