/** Usage vouchers off chain: inference receipts and the usage tree, voucher signing and checking,
 * and the link from attribution to paid outputs. No chain access (the escrow actions are in
 * `src/sdk/usage.ts`). */
export * from "./receipts.js";
export * from "./voucher.js";
export * from "./paid-outputs.js";
export * from "./service.js";
export * from "./http.js";
export * from "./client.js";
