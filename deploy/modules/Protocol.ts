import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import GovernanceModule from "./Governance.js";
import SuiteModule, { ROLES } from "./Suite.js";

/**
 * The production deployment: the suite (Suite module) and OPEN governance (Governance module),
 * wired so that token holders govern and the deploying account keeps no power.
 *
 * When it has run:
 * - the timelock holds DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE on the AttributionRegistry, the
 *   RewardDistributor, OperatorStaking and the UsageEscrow (parameters, challenge resolution,
 *   treasury, operator and guardian roles, operator listing, the withdrawal delay); SLASHER_ROLE on
 *   staking is held by the attribution registry and the settlement disputes contract alone
 *   (granted by the Suite module), which is also the only contract the distributor accepts root
 *   rejections from; USAGE_ESCROW_ROLE on the distributor is held by the UsageEscrow alone;
 *   the governor alone proposes to the timelock, anyone executes, the timelock is its own admin;
 * - ATTRIBUTION_OPERATOR_ROLE is held by `Suite.attributionOperator` and
 *   SETTLEMENT_OPERATOR_ROLE by `Suite.settlementOperator`;
 * - GUARDIAN_ROLE on the three money contracts is held by `Protocol.guardian` (granted while the deployer
 *   still holds GOVERNANCE_ROLE, the guardian role's admin);
 * - the deployer has renounced every role of the three contracts (DEFAULT_ADMIN_ROLE, GOVERNANCE_ROLE,
 *   the operator role, GUARDIAN_ROLE), after every other call of this deployment, and the Governance
 *   module has renounced its timelock admin role. The renounces are unconditional, so the deployer
 *   ends with no role whatever the parameters say; an address parameter left at its default (the
 *   deployer) therefore ends with no holder at all. The token and both registries have no admin.
 *
 * Parameters (deploy/parameters/<network>.json; every address must be set and differ from the
 * deploying account):
 * - `Protocol.guardian` (required, no default): may pause new payments and commitments for 7 days;
 *   only governance unpauses early or replaces it.
 * - `Suite.attributionOperator`, `Suite.settlementOperator`: commit attributions / settlements.
 * - `Suite.treasury`: receives challenge bonds forfeited when a commitment stands (governance can
 *   change it with `setTreasury`). The distributor's treasury share stays in the distributor until
 *   governance withdraws it with `withdrawTreasury(to)`.
 * - `OpenToken.supplyRecipient`: receives the whole OPEN supply (a distribution contract or
 *   multisig; never the deployer, whose supply would be votes).
 * - `Suite.admin` must stay unset: it would be a second admin beside the timelock.
 * - Governance settings (`Governance.votingDelay`, ...) and suite parameters as in their modules.
 */
export default buildModule("Protocol", (m) => {
  const suite = m.useModule(SuiteModule);
  const governance = m.useModule(GovernanceModule);
  const { token, datanets, models, staking, attribution, distributor, usageEscrow } = suite;
  const { timelock, governor } = governance;
  const deployer = m.getAccount(0);
  const guardian = m.getParameter<string>("guardian");

  const grants = [
    m.call(attribution, "grantRole", [ROLES.admin, timelock], { id: "GrantAttributionAdminToTimelock" }),
    m.call(attribution, "grantRole", [ROLES.governance, timelock], {
      id: "GrantAttributionGovernanceToTimelock",
    }),
    m.call(distributor, "grantRole", [ROLES.admin, timelock], { id: "GrantDistributorAdminToTimelock" }),
    m.call(distributor, "grantRole", [ROLES.governance, timelock], {
      id: "GrantDistributorGovernanceToTimelock",
    }),
    m.call(staking, "grantRole", [ROLES.admin, timelock], { id: "GrantStakingAdminToTimelock" }),
    m.call(staking, "grantRole", [ROLES.governance, timelock], { id: "GrantStakingGovernanceToTimelock" }),
    // GUARDIAN_ROLE's admin is GOVERNANCE_ROLE, which the deployer still holds here.
    m.call(attribution, "grantRole", [ROLES.guardian, guardian], { id: "GrantAttributionGuardian" }),
    m.call(distributor, "grantRole", [ROLES.guardian, guardian], { id: "GrantDistributorGuardian" }),
    m.call(staking, "grantRole", [ROLES.guardian, guardian], { id: "GrantStakingGuardian" }),
    m.call(usageEscrow, "grantRole", [ROLES.admin, timelock], { id: "GrantUsageEscrowAdminToTimelock" }),
    m.call(usageEscrow, "grantRole", [ROLES.governance, timelock], {
      id: "GrantUsageEscrowGovernanceToTimelock",
    }),
    m.call(usageEscrow, "grantRole", [ROLES.guardian, guardian], { id: "GrantUsageEscrowGuardian" }),
  ];

  // Renounces come last: after both submodules (operator grants, timelock wiring) and every grant.
  const last = { after: [SuiteModule, GovernanceModule, ...grants] };
  const renounced = {
    Attribution: [attribution, [ROLES.attributionOperator, ROLES.guardian, ROLES.governance, ROLES.admin]],
    Distributor: [distributor, [ROLES.settlementOperator, ROLES.guardian, ROLES.governance, ROLES.admin]],
    Staking: [staking, [ROLES.guardian, ROLES.governance, ROLES.admin]],
    UsageEscrow: [usageEscrow, [ROLES.guardian, ROLES.governance, ROLES.admin]],
  } as const;
  const roleNames = {
    [ROLES.admin]: "Admin",
    [ROLES.governance]: "Governance",
    [ROLES.attributionOperator]: "Operator",
    [ROLES.settlementOperator]: "Operator",
    [ROLES.guardian]: "Guardian",
  };
  for (const [name, [contract, roles]] of Object.entries(renounced)) {
    for (const role of roles) {
      m.call(contract, "renounceRole", [role, deployer], {
        id: `DeployerRenounces${name}${roleNames[role]}`,
        ...last,
      });
    }
  }

  return { token, datanets, models, staking, attribution, distributor, usageEscrow, timelock, governor };
});
