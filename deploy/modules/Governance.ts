import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress, id } from "ethers";
import OpenTokenModule from "./OpenToken.js";

const DAY = 24n * 60n * 60n;

/** Governance defaults, in seconds (OPEN votes use a timestamp clock). */
export const GOVERNANCE_DEFAULTS = {
  votingDelay: DAY,
  votingPeriod: 5n * DAY,
  lateQuorumVoteExtension: DAY,
  proposalThreshold: 100_000n * 10n ** 18n,
  quorumNumerator: 4n,
  timelockMinDelay: 2n * DAY,
} as const;

/** AccessControl role ids of the TimelockController. */
export const TIMELOCK_ROLES = {
  DEFAULT_ADMIN_ROLE: "0x" + "00".repeat(32),
  PROPOSER_ROLE: id("PROPOSER_ROLE"),
  EXECUTOR_ROLE: id("EXECUTOR_ROLE"),
  CANCELLER_ROLE: id("CANCELLER_ROLE"),
} as const;

/**
 * Deploys OPEN governance: the timelock (min delay 2 days) and the governor over OPEN votes, then
 * wires the timelock so that the governor alone proposes and cancels, anyone executes a ready
 * operation, and the deploying account renounces its temporary admin role: after this module the
 * deployer holds no role on the timelock.
 *
 * Parameters (seconds / OPEN smallest unit): `votingDelay`, `votingPeriod`,
 * `lateQuorumVoteExtension`, `proposalThreshold`, `quorumNumerator` (percent),
 * `timelockMinDelay`. The protocol contracts' roles are granted to `timelock` by the Protocol
 * module (deploy/modules/Protocol.ts), which reuses this one.
 * The token's `supplyRecipient` must not stay the deployer in production (its votes would be power).
 */
export default buildModule("Governance", (m) => {
  const { token } = m.useModule(OpenTokenModule);
  const deployer = m.getAccount(0);

  const timelock = m.contract("OpenTimelock", [
    m.getParameter("timelockMinDelay", GOVERNANCE_DEFAULTS.timelockMinDelay),
    [],
    [ZeroAddress],
    deployer,
  ]);
  const governor = m.contract("OpenGovernor", [
    token,
    timelock,
    {
      votingDelay: m.getParameter("votingDelay", GOVERNANCE_DEFAULTS.votingDelay),
      votingPeriod: m.getParameter("votingPeriod", GOVERNANCE_DEFAULTS.votingPeriod),
      lateQuorumVoteExtension: m.getParameter(
        "lateQuorumVoteExtension",
        GOVERNANCE_DEFAULTS.lateQuorumVoteExtension,
      ),
      proposalThreshold: m.getParameter("proposalThreshold", GOVERNANCE_DEFAULTS.proposalThreshold),
      quorumNumerator: m.getParameter("quorumNumerator", GOVERNANCE_DEFAULTS.quorumNumerator),
    },
  ]);

  const grantProposer = m.call(timelock, "grantRole", [TIMELOCK_ROLES.PROPOSER_ROLE, governor], {
    id: "GrantProposerToGovernor",
  });
  const grantCanceller = m.call(timelock, "grantRole", [TIMELOCK_ROLES.CANCELLER_ROLE, governor], {
    id: "GrantCancellerToGovernor",
  });
  m.call(timelock, "renounceRole", [TIMELOCK_ROLES.DEFAULT_ADMIN_ROLE, deployer], {
    id: "DeployerRenouncesTimelockAdmin",
    after: [grantProposer, grantCanceller],
  });

  return { token, timelock, governor };
});
