import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ensureExplorerBuilt, EXPLORER_DIST } from "../../src/explorer/build.js";
import { startExplorerServer } from "../../src/explorer/server.js";
import { runIndexer } from "../../src/indexer/run.js";
import { indexerOptions, reportIndexerError, type Args } from "./indexer.js";

/** Default port of `npm run explorer` (the indexer's bare API defaults to 8642). */
export const EXPLORER_PORT = 8660;

export default async function explorer(
  args: Omit<Args, "once">,
  hre: HardhatRuntimeEnvironment,
): Promise<void> {
  try {
    const options = await indexerOptions({ ...args, once: false }, hre, EXPLORER_PORT);
    const log = (line: string) => console.error(line);
    await ensureExplorerBuilt(log);
    await runIndexer({
      ...options,
      log,
      serve: (db, port, serverLog) =>
        startExplorerServer(db, port, { distDir: EXPLORER_DIST, rpcUrl: options.rpcUrl, log: serverLog }),
      onListening: (url) =>
        console.log(`explorer: ${url}/ (indexer API under ${url}/api, chain reads under ${url}/rpc)`),
    });
  } catch (error) {
    reportIndexerError(error);
  }
}
