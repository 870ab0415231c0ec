/**
 * A Hardhat plugin that retries the reads of every JSON-RPC connection to an `http` network on
 * transport failures (connection refused/reset, timeout, HTTP 429/5xx), with bounded exponential
 * backoff (`src/sdk/transport/retry.ts`). Writes and reverts are never retried. Registered in
 * hardhat.config.ts, so tasks, scripts, Ignition and tests all get it.
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

const rpcRetryPlugin: HardhatPlugin = {
  id: "openledger-rpc-retry",
  hookHandlers: { network: () => import("./network-hooks.js") },
};

export default rpcRetryPlugin;
