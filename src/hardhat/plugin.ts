/**
 * The project's Hardhat plugin, registered in hardhat.config.ts, so tasks, scripts, Ignition and
 * tests all get it:
 * - it retries the reads of every JSON-RPC connection to an `http` network on transport failures
 *   (connection refused/reset, timeout, HTTP 429/5xx), with bounded exponential backoff
 *   (`src/sdk/transport/retry.ts`); writes and reverts are never retried;
 * - it runs one solc job per core (`solidity-hooks.ts`).
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

const openledgerPlugin: HardhatPlugin = {
  id: "openledger",
  hookHandlers: {
    network: () => import("./network-hooks.js"),
    solidity: () => import("./solidity-hooks.js"),
  },
};

export default openledgerPlugin;
