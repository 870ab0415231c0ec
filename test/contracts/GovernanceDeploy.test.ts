import { expect } from "chai";
import { network } from "hardhat";
import GovernanceModule, { GOVERNANCE_DEFAULTS, TIMELOCK_ROLES } from "../../deploy/modules/Governance.js";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();

/** Runs the module as a deployment would (defaults, first account deploys). */
async function deployModuleFixture() {
  return ignition.deploy(GovernanceModule);
}

describe("Governance deploy module", function () {
  it("should deploy the governor with the defaults and leave the deployer no timelock role", async function () {
    const { token, timelock, governor } = await networkHelpers.loadFixture(deployModuleFixture);
    const [deployer] = await ethers.getSigners();

    const s = await governor.settings();
    expect([
      s.votingDelay,
      s.votingPeriod,
      s.lateQuorumVoteExtension,
      s.proposalThreshold,
      s.quorumNumerator,
    ]).to.deep.equal([
      GOVERNANCE_DEFAULTS.votingDelay,
      GOVERNANCE_DEFAULTS.votingPeriod,
      GOVERNANCE_DEFAULTS.lateQuorumVoteExtension,
      GOVERNANCE_DEFAULTS.proposalThreshold,
      GOVERNANCE_DEFAULTS.quorumNumerator,
    ]);
    expect(await governor.token()).to.equal(await token.getAddress());
    expect(await governor.timelock()).to.equal(await timelock.getAddress());
    expect(await timelock.getMinDelay()).to.equal(GOVERNANCE_DEFAULTS.timelockMinDelay);

    for (const [name, role] of Object.entries(TIMELOCK_ROLES)) {
      expect(await timelock[name as keyof typeof TIMELOCK_ROLES]()).to.equal(role);
      expect(await timelock.hasRole(role, deployer.address), name).to.equal(false);
    }
    const governorAddress = await governor.getAddress();
    expect(await timelock.hasRole(TIMELOCK_ROLES.PROPOSER_ROLE, governorAddress)).to.equal(true);
    expect(await timelock.hasRole(TIMELOCK_ROLES.CANCELLER_ROLE, governorAddress)).to.equal(true);
    expect(await timelock.hasRole(TIMELOCK_ROLES.EXECUTOR_ROLE, ethers.ZeroAddress)).to.equal(true);
    expect(await timelock.hasRole(TIMELOCK_ROLES.DEFAULT_ADMIN_ROLE, await timelock.getAddress())).to.equal(
      true,
    );
  });
});
