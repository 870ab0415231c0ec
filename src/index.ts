/**
 * The OpenLedger SDK. Typed clients and every user action (`sdk`), the provenance reader
 * (`readSuiteEvents`, `foldEvents` over TypeChain-typed events, `buildLedger`), Merkle trees and proof files, revert decoding, the
 * attribution engine (`attribution`) and settlement math (`settlement`).
 */
export * from "./merkle/index.js";
export * from "./errors.js";
export * from "./sdk/suite.js";
export * from "./sdk/read/events.js";
export * from "./sdk/read/typed-events.js";
export * from "./sdk/read/ledger.js";
export * as sdk from "./sdk/index.js";
export * as attribution from "./attribution/index.js";
export * as settlement from "./settlement/index.js";
export * as usage from "./usage/index.js";
