/**
 * The indexer as a program: open the database, catch up with progress, serve the API, follow the
 * head (or stop after catching up with `once`). `npm run indexer` (the `indexer` Hardhat task) is a
 * thin layer over `runIndexer`.
 */
import { connectResilient } from "../sdk/transport/provider.js";
import { NodeUnreachableError } from "../sdk/transport/retry.js";
import { startApi } from "./api.js";
import { DatabaseUnreachableError, openDatabase, type SqlDatabase } from "./db.js";
import { dropSchema } from "./schema.js";
import { MAX_LOGS_ANSWER_BYTES, RpcLogSource, type IndexedAddresses, type LogSource } from "./source.js";
import { Indexer } from "./sync.js";

export interface RunOptions {
  /** The node's JSON-RPC URL (or give `source`). */
  rpcUrl?: string;
  source?: LogSource;
  /** Hint printed when the node stays unreachable (e.g. "start it or set LOCALHOST_RPC_URL"). */
  nodeHint?: string;
  addresses: IndexedAddresses;
  /** `postgres://...` or an SQLite file path. */
  database: string;
  confirmations?: number;
  startBlock?: number;
  /** Exit after catching up. */
  once?: boolean;
  /** API port on 127.0.0.1; undefined = no API, 0 = any free port. */
  port?: number;
  /** Directory of published files the API serves as `GET /files/<keccak256>`. */
  filesDir?: string;
  /** Origins (or "*") whose pages may read the API from a browser (CORS); none by default. */
  corsOrigins?: string[];
  /** Drop the index first and rebuild it from the chain. */
  reset?: boolean;
  pollMs?: number;
  log?: (line: string) => void;
  /** Stops a following indexer (and its API). */
  signal?: AbortSignal;
  /** Called once the API listens, with its URL. */
  onListening?: (url: string) => void;
  /**
   * Serves the index on 127.0.0.1:`port` instead of the bare API (the explorer serves its app
   * and the API under /api from one server); default `startApi`.
   */
  serve?: (
    db: SqlDatabase,
    port: number,
    log: (line: string) => void,
  ) => Promise<{ url: string; close(): Promise<void> }>;
}

export async function runIndexer(options: RunOptions): Promise<{ events: number; toBlock: number }> {
  const log = options.log ?? ((line: string) => console.error(line));
  const source =
    options.source ??
    new RpcLogSource(
      await connectResilient(options.rpcUrl!, {
        hint: options.nodeHint,
        maxResponseBytes: MAX_LOGS_ANSWER_BYTES,
      }),
      options.rpcUrl!,
    );
  const db: SqlDatabase = await openDatabase(options.database);
  let api: { url: string; close(): Promise<void> } | undefined;
  try {
    if (options.reset) await dropSchema(db);
    const indexer = await Indexer.open({
      db,
      source,
      addresses: options.addresses,
      confirmations: options.confirmations,
      startBlock: options.startBlock,
      log,
    });
    if (options.port !== undefined) {
      api = options.serve
        ? await options.serve(db, options.port, log)
        : await startApi(db, options.port, log, {
            filesDir: options.filesDir,
            corsOrigins: options.corsOrigins,
          });
      if (!options.serve) log(`api: listening on ${api.url} (GET /status)`);
      options.onListening?.(api.url);
    }
    const cursor = await indexer.cursor();
    log(
      `indexing ${source.where} into ${db.where} from block ${cursor.number + 1} (confirmations ${indexer.confirmations})`,
    );
    const stats = await indexer.catchUp(options.signal);
    log(
      `caught up at block ${stats.toBlock}: ${stats.events} events from ${stats.blocks} blocks in ${stats.seconds.toFixed(1)} s (${Math.round(stats.events / Math.max(stats.seconds, 1e-3))} events/s)`,
    );
    if (!options.once) {
      const signal = options.signal ?? new AbortController().signal;
      await indexer.follow({
        signal,
        pollMs: options.pollMs,
        // A node or database that goes away while following is reported and retried; anything
        // else (a value the index cannot hold, a schema problem) stops the indexer.
        onError: (error) => {
          if (error instanceof NodeUnreachableError || error instanceof DatabaseUnreachableError)
            log(error.message);
          else throw error;
        },
      });
    }
    return { events: stats.events, toBlock: stats.toBlock };
  } finally {
    await api?.close();
    await db.close();
  }
}
