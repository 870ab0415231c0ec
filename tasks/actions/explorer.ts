import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { EXPLORER_PORT, runExplorer } from "../../src/explorer/run.js";
import { indexerOptions, reportIndexerError, type Args } from "./indexer.js";

export default async function explorer(
  args: Omit<Args, "once">,
  hre: HardhatRuntimeEnvironment,
): Promise<void> {
  try {
    const options = await indexerOptions({ ...args, once: false }, hre, EXPLORER_PORT);
    await runExplorer({
      ...options,
      onListening: (url) =>
        console.log(`explorer: ${url}/ (indexer API under ${url}/api, chain reads under ${url}/rpc)`),
    });
  } catch (error) {
    reportIndexerError(error);
  }
}
