/** The demo story (src/demo/story.ts) on a fresh in-process deployment: the fixture of the verifier tests. */
import { network } from "hardhat";
import LocalModule from "../../deploy/modules/Local.js";
import { runDemo } from "../../src/demo/story.js";
import { connectSuite, suiteAddressesOf } from "../../src/sdk/suite.js";

const { ethers, ignition } = await network.getOrCreate();

/** Deploys the suite, plays the demo and returns its report with a suite connected as the deployer. */
export async function demoFixture() {
  const deployed = await ignition.deploy(LocalModule, { displayUi: false });
  const addresses = await suiteAddressesOf(deployed);
  const signers = await ethers.getSigners();
  const report = await runDemo({
    networkName: "hardhat",
    provider: ethers.provider,
    signers,
    addresses,
    usageEscrow: await deployed.usageEscrow.getAddress(),
  });
  const suite = connectSuite(addresses, signers[0]);
  return { addresses, report, suite, signers };
}
