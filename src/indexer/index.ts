/**
 * The indexer: every suite event in SQL tables that mirror the provenance graph (SQLite embedded
 * or PostgreSQL, one schema), kept current, crash-safe and reorg-aware, with a read API over HTTP.
 * See docs/indexer.md.
 */
export {
  DatabaseUnreachableError,
  defaultDatabasePath,
  openDatabase,
  redactUrl,
  type SqlDatabase,
} from "./db.js";
export { DERIVED } from "./derived.js";
export { EVENT_ROWS, IndexerDataError, type DecodedEvent } from "./mapping.js";
export { ensureSchema, SCHEMA_VERSION, SchemaError, TABLES } from "./schema.js";
export { INDEXED_CONTRACTS, RpcLogSource, SuiteDecoder, type LogSource, type RawLog } from "./source.js";
export { Indexer, type CatchUpStats, type IndexerOptions } from "./sync.js";
export { corsHeaders, handle, parseCorsOrigins, startApi } from "./api.js";
export { operatorsView, operatorView, stakerView, stakingTotals, tokenBalance } from "./staking.js";
export { accountEarnings, totals } from "./views.js";
export { contributorSummary, listPage, QueryError, status, usedByModels } from "./queries.js";
export { SYNTHETIC_ADDRESSES, SyntheticLogSource } from "./synthetic.js";
export { runIndexer, type RunOptions } from "./run.js";
