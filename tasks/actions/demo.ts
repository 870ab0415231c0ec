import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { join } from "node:path";
import { dropStaleDeployment, LOCAL_CHAIN_IDS } from "../../src/cli/local-deployment.js";
import LocalModule from "../../deploy/modules/Local.js";
import { formatReport, runDemo } from "../../src/demo/story.js";
import { suiteAddressesOf } from "../../src/sdk/suite.js";

interface DemoArgs {
  json: boolean;
  deploymentId: string;
}

export default async function demo(args: DemoArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
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
  log?.(`deploying the suite through Ignition on ${connection.networkName}`);
  const deployed = await ignition.deploy(LocalModule, {
    displayUi: false,
    ...(args.deploymentId ? { deploymentId: args.deploymentId } : {}),
  });
  const addresses = await suiteAddressesOf(deployed);
  const report = await runDemo({
    networkName: connection.networkName,
    provider: ethers.provider,
    signers: await ethers.getSigners(),
    addresses,
    log,
  });
  console.log(args.json ? JSON.stringify(report, null, 2) : `\n${formatReport(report)}`);
  const staking = report.staking.books;
  if (
    !report.books.balanced ||
    !report.books.solvent ||
    !staking.balanced ||
    !staking.solvent ||
    !report.verification.ok
  ) {
    console.error("The books do not balance or the verifier found a mismatch: see the report above.");
    process.exitCode = 1;
  }
}
