/**
 * The SDK's user actions, one module a concern, as the `sdk` namespace of the package: every
 * action waits for its transaction and returns what the events say (ids, amounts) with the
 * receipt. The demo, the Hardhat tasks and the scripts are thin layers over these.
 */
export * from "./constants.js";
export { call, send, type ContractCall, type SendOptions } from "./send/index.js";
export * from "./datanets.js";
export * from "./models.js";
export * from "./ownership.js";
export * from "./payments.js";
export * from "./attribution.js";
export * from "./rewards.js";
export * from "./staking.js";
export * from "./token.js";
export * from "./guardian.js";
export * from "./clock.js";
export { attributionTree, type AttributionTree } from "../attribution/tree.js";
export { accountIndex, settlementTree, type SettlementTree } from "../settlement/tree.js";
export * from "./usage.js";
export * from "./watchtower.js";
