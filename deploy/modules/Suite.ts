import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";
import OpenTokenModule from "./OpenToken.js";

/** Role ids, as the contracts define them (`keccak256("NAME")`). */
export const ROLES = {
  admin: "0x0000000000000000000000000000000000000000000000000000000000000000",
  governance: id("GOVERNANCE_ROLE"),
  attributionOperator: id("ATTRIBUTION_OPERATOR_ROLE"),
  settlementOperator: id("SETTLEMENT_OPERATOR_ROLE"),
  usageEscrow: id("USAGE_ESCROW_ROLE"),
  guardian: id("GUARDIAN_ROLE"),
  slasher: id("SLASHER_ROLE"),
} as const;

/** Documented defaults (README "Parameters"); each is an Ignition parameter of this module. */
export const SUITE_DEFAULTS = {
  epochLength: 86_400n, // one day
  challengeWindow: 86_400n, // one day after the commitment
  challengeBond: 1_000n * 10n ** 18n, // 1,000 OPEN
  rollForwardDelay: 7n * 86_400n, // an epoch with no final commitment a week after its end rolls forward
  feeSplit: { treasuryBps: 500, ownerBps: 2_500, royaltyBps: 500, stakerBps: 500 }, // contributors: the rest, 6,000
  staking: {
    unbondingDelay: 90n * 86_400n, // the contract's minimum: the longest challenge window plus the longest resolution period
    minOperatorBond: 10_000n * 10n ** 18n, // 10,000 OPEN of the operator's own
    slashBps: 1_000, // a voided commitment costs its operator's pool 10%
    challengerRewardBps: 5_000, // half of the slash to the challenger (capped at the operator's own loss)
  },
  withdrawalDelay: 2n * 86_400n, // a payer's escrow withdrawal waits two days (servers redeem meanwhile)
} as const;

/**
 * The whole suite: OPEN, the datanet and model registries, operator staking, the attribution
 * registry, the reward distributor and the usage escrow (which alone holds the distributor's
 * USAGE_ESCROW_ROLE), with the operator roles granted and staking wired: the
 * registry is built with the staking contract, is its bond listener and its slasher; the
 * distributor's staker reserve is staking's reward source; the attribution operator is listed
 * (it bonds itself: `operator bond`, or deploy/modules/Local.ts on a dev chain). `admin` holds DEFAULT_ADMIN_ROLE and
 * GOVERNANCE_ROLE on the attribution registry and the distributor, and the deployer keeps them
 * too: this is the module of the local demo and the tests, where the deployer administers. A
 * production deployment uses the Protocol module (deploy/modules/Protocol.ts), which reuses this
 * one, hands both roles to the timelock and makes the deployer renounce every role it holds.
 * Parameters: see deploy/parameters/.
 */
export default buildModule("Suite", (m) => {
  const { token } = m.useModule(OpenTokenModule);
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const treasury = m.getParameter("treasury", deployer);
  const attributionOperator = m.getParameter("attributionOperator", deployer);
  const settlementOperator = m.getParameter("settlementOperator", deployer);

  const datanets = m.contract("DatanetRegistry", []);
  const models = m.contract("ModelRegistry", [datanets]);
  const staking = m.contract("OperatorStaking", [
    token,
    deployer,
    treasury,
    m.getParameter("unbondingDelay", SUITE_DEFAULTS.staking.unbondingDelay),
    m.getParameter("minOperatorBond", SUITE_DEFAULTS.staking.minOperatorBond),
    m.getParameter("slashBps", SUITE_DEFAULTS.staking.slashBps),
    m.getParameter("challengerRewardBps", SUITE_DEFAULTS.staking.challengerRewardBps),
  ]);
  const attribution = m.contract("AttributionRegistry", [
    token,
    staking,
    deployer,
    treasury,
    m.getParameter("epochLength", SUITE_DEFAULTS.epochLength),
    m.getParameter("challengeWindow", SUITE_DEFAULTS.challengeWindow),
    m.getParameter("challengeBond", SUITE_DEFAULTS.challengeBond),
  ]);
  const distributor = m.contract("RewardDistributor", [
    token,
    models,
    attribution,
    deployer,
    {
      treasuryBps: m.getParameter("treasuryBps", SUITE_DEFAULTS.feeSplit.treasuryBps),
      ownerBps: m.getParameter("ownerBps", SUITE_DEFAULTS.feeSplit.ownerBps),
      royaltyBps: m.getParameter("royaltyBps", SUITE_DEFAULTS.feeSplit.royaltyBps),
      stakerBps: m.getParameter("stakerBps", SUITE_DEFAULTS.feeSplit.stakerBps),
    },
    m.getParameter("rollForwardDelay", SUITE_DEFAULTS.rollForwardDelay),
  ]);

  // Settlement roots are judged on chain: the disputes contract rejects a proven-bad pending root
  // and slashes its operator.
  const settlementDisputes = m.contract("SettlementDisputes", [distributor]);

  const grantOperator = m.call(attribution, "grantRole", [ROLES.attributionOperator, attributionOperator], {
    id: "grantAttributionOperator",
  });
  const grantSettler = m.call(distributor, "grantRole", [ROLES.settlementOperator, settlementOperator], {
    id: "grantSettlementOperator",
  });
  // Staking wired into attribution (bond copies, slashing) and rewards (the staker reserve).
  const wired = [
    m.call(staking, "setBondListener", [attribution]),
    m.call(staking, "grantRole", [ROLES.slasher, attribution], { id: "grantSlasherToAttribution" }),
    m.call(staking, "setRewardSource", [distributor]),
    m.call(distributor, "setStaking", [staking]),
    m.call(distributor, "setSettlementDisputes", [settlementDisputes]),
    m.call(staking, "grantRole", [ROLES.slasher, settlementDisputes], {
      id: "grantSlasherToSettlementDisputes",
    }),
  ];
  const listOperator = m.call(staking, "listOperator", [attributionOperator], { after: wired });

  // Hand admin and governance to `admin` when it is not the deployer (a no-op when it is); the
  // deployer's own roles stay (the Protocol module renounces them).
  m.call(attribution, "grantRole", [ROLES.admin, admin], {
    id: "grantAttributionAdmin",
    after: [grantOperator],
  });
  m.call(attribution, "grantRole", [ROLES.governance, admin], {
    id: "grantAttributionGovernance",
    after: [grantOperator],
  });
  m.call(distributor, "grantRole", [ROLES.admin, admin], {
    id: "grantDistributorAdmin",
    after: [grantSettler],
  });
  m.call(distributor, "grantRole", [ROLES.governance, admin], {
    id: "grantDistributorGovernance",
    after: [grantSettler],
  });
  m.call(staking, "grantRole", [ROLES.admin, admin], { id: "grantStakingAdmin", after: [listOperator] });
  m.call(staking, "grantRole", [ROLES.governance, admin], {
    id: "grantStakingGovernance",
    after: [listOperator],
  });

  const usageEscrow = m.contract("UsageEscrow", [
    token,
    models,
    distributor,
    deployer,
    m.getParameter("withdrawalDelay", SUITE_DEFAULTS.withdrawalDelay),
  ]);
  const grantEscrow = m.call(distributor, "grantRole", [ROLES.usageEscrow, usageEscrow], {
    id: "grantUsageEscrow",
  });
  m.call(usageEscrow, "grantRole", [ROLES.admin, admin], {
    id: "grantUsageEscrowAdmin",
    after: [grantEscrow],
  });
  m.call(usageEscrow, "grantRole", [ROLES.governance, admin], {
    id: "grantUsageEscrowGovernance",
    after: [grantEscrow],
  });

  return { token, datanets, models, staking, attribution, distributor, settlementDisputes, usageEscrow };
});
