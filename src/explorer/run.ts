/**
 * The explorer as a program: build the app if it is stale, then run the indexer with the
 * explorer's server in place of the bare API (`npm run explorer`, `npm run demo -- --explore`).
 */
import { runIndexer, type RunOptions } from "../indexer/run.js";
import { ensureExplorerBuilt, EXPLORER_DIST } from "./build.js";
import { startExplorerServer, type RpcSend } from "./server.js";

/** Default port of the explorer on 127.0.0.1 (the indexer's bare API defaults to 8642). */
export const EXPLORER_PORT = 8660;

export interface ExplorerOptions extends Omit<RunOptions, "serve" | "once"> {
  /** How /rpc reaches the node: its URL (default `rpcUrl`) or a function (an in-process chain). */
  rpc?: string | RpcSend;
}

/** Serves the explorer until `signal` aborts; `onListening` gets its URL once it listens. */
export async function runExplorer(options: ExplorerOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.error(line));
  const rpc = options.rpc ?? options.rpcUrl;
  if (rpc === undefined) throw new Error("runExplorer needs rpcUrl or rpc: how the page reads the chain");
  await ensureExplorerBuilt(log);
  await runIndexer({
    ...options,
    port: options.port ?? EXPLORER_PORT,
    log,
    serve: (db, port, serverLog) =>
      startExplorerServer(db, port, { distDir: EXPLORER_DIST, rpc, log: serverLog }),
  });
}
