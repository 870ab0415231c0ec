/**
 * The indexer's tables: the provenance graph as SQL, one schema for SQLite and PostgreSQL.
 *
 * Every table filled from events carries the event's position (`block_number`, `log_index`,
 * `tx_hash`): that is what makes a reorg a plain `DELETE ... WHERE block_number > ancestor`, a
 * page a keyset over `(block_number, log_index)`, and a resumed sync equal to a fresh one. Tables
 * are append-only except for the few "current state" columns marked `derived`, which `mapping.ts`
 * recomputes from the history tables (never patched in place), so they too are a function of the
 * rows alone. Integers are BIGINT, token amounts and weights decimal TEXT (uint256 does not fit a
 * 64-bit integer and SQLite has no exact wide numeric), booleans 0/1.
 */
import type { SqlDatabase } from "./db.js";

/**
 * Bumped whenever a table or column changes; see `ensureSchema`. 2: typed staking rows, the OPEN
 * token's transfers (the token joins the indexed contracts, so a schema-1 index is rebuilt with
 * `--reset`), contributions by id and by content hash alone. 3: settlement roots are pending for a
 * dispute window (issue 17): `settlements` holds every posted root with its operator and
 * `activates_at`, `settlement_activations` the roots that went live, `settlement_rejections` the
 * ones a proven dispute rejected. 4: the settlement disputes contract and the usage-voucher escrow
 * join the indexed contracts (`settlement_disputes` with the fault, the slash and the reward;
 * `usage_deposits`, `voucher_redemptions`, `usage_withdrawals`) and governance's parameter changes
 * (`parameter_changes`: the dispute window, the disputes contract, the escrow's withdrawal delay).
 */
export const SCHEMA_VERSION = 4;

export type ColumnKind = "int" | "text" | "amount" | "bool" | "json" | "address" | "hash";

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** Recomputed from history tables after each batch and after a rollback (see mapping.ts). */
  derived?: boolean;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  /** Primary key columns (default: the event position). */
  primaryKey?: string[];
  /** Secondary indexes, each a column list (the position is appended for keyset pages). */
  indexes?: string[][];
}

const c = (name: string, kind: ColumnKind, derived = false): ColumnSpec => ({ name, kind, derived });

/** Columns every event-filled table ends with. */
export const POSITION_COLUMNS: ColumnSpec[] = [
  c("block_number", "int"),
  c("log_index", "int"),
  c("tx_hash", "hash"),
];

const SQL_TYPE: Record<ColumnKind, string> = {
  int: "BIGINT",
  bool: "INTEGER",
  text: "TEXT",
  amount: "TEXT",
  json: "TEXT",
  address: "TEXT",
  hash: "TEXT",
};

/**
 * Tables written like their DDL, one a paragraph: `name: column kind [key] [derived], ... | index,
 * ...`. The columns marked `key` make the primary key (none marked: the event position is the
 * key); one marked `derived` is recomputed from the history tables; after `|` come the secondary
 * indexes, each its columns joined by spaces. Lines starting with `//` are comments.
 */
function tables(text: string): TableSpec[] {
  const body = text
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join(" ");
  const [, ...parts] = body.split(/\s*(\w+):\s*/);
  const specs: TableSpec[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const name = parts[i];
    const [columns, indexes] = parts[i + 1].split("|").map((part) => part.trim().replace(/\s+/g, " "));
    const spec: TableSpec = { name, columns: [] };
    const key: string[] = [];
    for (const column of columns.split(", ")) {
      const [col, kind, ...marks] = column.split(" ");
      if (!(kind in SQL_TYPE) || marks.some((m) => m !== "key" && m !== "derived"))
        throw new Error(`schema.ts: column "${column}" of ${name} is not "name kind [key] [derived]"`);
      spec.columns.push(c(col, kind as ColumnKind, marks.includes("derived")));
      if (marks.includes("key")) key.push(col);
    }
    if (key.length > 0) spec.primaryKey = key;
    if (indexes !== undefined) spec.indexes = indexes.split(", ").map((index) => index.split(" "));
    specs.push(spec);
  }
  return specs;
}

/** The provenance graph. Order matters only for readability. */
export const TABLES: TableSpec[] = tables(`
  events: contract text, name text, args json | name
  datanets: datanet_id int key, creator address, owner address derived, licence int,
    policy int derived, metadata_uri text | owner
  ownership_transfers: registry text, subject_id int, previous_owner address, new_owner address
    | registry subject_id
  curators: datanet_id int, curator address, appointed bool | datanet_id
  datanet_policies: datanet_id int, policy int | datanet_id
  allowed_contributors: datanet_id int, account address, allowed bool | datanet_id account
  contributions: datanet_id int key, contribution_id hash key, contributor address,
    content_hash hash, uri text, status text derived
    | datanet_id, contributor, contribution_id, content_hash
  contribution_status: datanet_id int, contribution_id hash, status text, actor address,
    reason_code int | datanet_id contribution_id
  versions: datanet_id int key, version_number int key, publisher address, merkle_root hash,
    contribution_count int, parent_version int, uri text
  models: model_id int key, creator address, owner address derived, base_model_id int,
    declared_uses int, price_per_unit amount derived, metadata_uri text, retired bool derived
    | owner, base_model_id
  model_prices: model_id int, price_per_unit amount | model_id
  model_retirements: model_id int | model_id
  model_versions: model_id int key, version_number int key, artifact_hash hash
  training_inputs: model_id int key, version_number int key, position int key, datanet_id int,
    datanet_version int, weight_bps int | datanet_id datanet_version
  commitments: model_id int, epoch int, root hash, total_weight amount, method_id int, uri text,
    final_at int, status text derived | model_id epoch, epoch
  challenges: model_id int, epoch int, kind text, challenger address, bond amount, reason_uri text,
    commitment_stands bool, bond_recipient address | model_id epoch
  payments: model_id int, epoch int, payer address, amount amount, protocol_share amount,
    owner_share amount, royalty_share amount, contributor_share amount
    | model_id, payer, epoch, model_id epoch, tx_hash
  royalties: ancestor_model_id int, from_model_id int, amount amount | ancestor_model_id, tx_hash
  finalisations: model_id int, epoch int, finalize_seq int, pool amount | model_id epoch
  roll_forwards: model_id int, from_epoch int, to_epoch int, amount amount | model_id from_epoch
  settlements: settlement_id int, root hash, total amount, covered_through_seq int, uri text,
    operator address, activates_at int | settlement_id, root
  settlement_activations: settlement_id int, root hash, total amount, covered_through_seq int
    | settlement_id, root
  settlement_rejections: root hash, operator address, disputer address, proposal int | root
  settlement_disputes: root hash, operator address, disputer address, fault text, account address,
    slashed amount, reward amount | root, operator, disputer
  // Governance's parameter changes the pages show (setting is the event's name, new_value its value).
  parameter_changes: contract text, setting text, new_value text | contract setting
  // The usage-voucher escrow: payers' deposits, redeemed vouchers and withdrawals.
  usage_deposits: payer address, from_address address, amount amount, balance amount | payer
  voucher_redemptions: payer address, model_id int, usage_root hash, cumulative_units amount,
    units amount, amount amount, unpaid_units amount | payer, model_id, usage_root
  usage_withdrawals: payer address, kind text, amount amount, withdrawable_at int, recipient address
    | payer
  claims: account address, path text, amount amount, cumulative_amount amount, model_id int,
    epoch int, weight amount | account, model_id epoch
  withdrawals: kind text, model_id int, owner address, recipient address, token address,
    amount amount | kind, model_id
  staker_releases: staking address, amount amount
  // Staking (OperatorStaking and the attribution registry's copy of each operator's bond status).
  operator_listings: operator address, pool_id int, listed bool | operator
  operator_bonds: operator address, pool_id int, bonded bool | operator
  stakes: operator address, account address, assets amount, shares amount | operator, account
  unstake_requests: operator address, account address, assets amount, shares amount,
    withdrawable_at int | operator, account
  stake_withdrawals: operator address, account address, recipient address, assets amount
    | operator, account
  staking_rewards_in: account address, amount amount
  reward_distributions: amount amount, queued amount, total_bonded amount
  pool_rewards: operator address, to_stakers amount, commission amount | operator
  reward_claims: kind text, operator address, account address, recipient address, amount amount
    | operator, account
  commission_changes: operator address, kind text, bps int, effective_at int | operator
  slashes: operator address, slasher address, case_id hash, beneficiary address, slashed amount,
    reward amount, to_treasury amount | operator, beneficiary
  // The OPEN token's transfers (mints from and burns to the zero address included).
  token_transfers: from_address address, to_address address, value amount | from_address, to_address
`);

export const TABLE_BY_NAME: ReadonlyMap<string, TableSpec> = new Map(TABLES.map((t) => [t.name, t]));

/** Every column's kind by name (a name means one kind across tables). */
export const COLUMN_KINDS: ReadonlyMap<string, ColumnKind> = new Map(
  [...TABLES.flatMap((t) => t.columns), ...POSITION_COLUMNS].map((col) => [col.name, col.kind]),
);

/** Columns a table's rows are written with (its own, then the position). */
export function insertColumns(table: TableSpec): string[] {
  return [...table.columns.map((col) => col.name), ...POSITION_COLUMNS.map((col) => col.name)];
}

/** The DDL of the whole schema (the same text for both databases). */
export function schemaSql(): string {
  const out: string[] = [
    "CREATE TABLE IF NOT EXISTS indexer_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL)",
  ];
  for (const t of TABLES) {
    const cols = [...t.columns, ...POSITION_COLUMNS].map(
      (col) => `${col.name} ${SQL_TYPE[col.kind]}${POSITION_COLUMNS.includes(col) ? " NOT NULL" : ""}`,
    );
    const pk = t.primaryKey ?? ["block_number", "log_index"];
    out.push(`CREATE TABLE IF NOT EXISTS ${t.name} (${cols.join(", ")}, PRIMARY KEY (${pk.join(", ")}))`);
    if (t.primaryKey) {
      out.push(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${t.name}_position ON ${t.name} (block_number, log_index${
          t.primaryKey.includes("position") ? ", position" : ""
        })`,
      );
    }
    out.push(...secondaryIndexes(t));
  }
  return out.join(";\n") + ";";
}

/** The secondary indexes of `t`, each `CREATE INDEX IF NOT EXISTS`. */
function secondaryIndexes(t: TableSpec): string[] {
  return (t.indexes ?? []).map(
    (idx) =>
      `CREATE INDEX IF NOT EXISTS ${t.name}_by_${idx.join("_")} ON ${t.name} (${[...idx, "block_number", "log_index"].join(", ")})`,
  );
}

/**
 * Indexes an earlier release created and this one drops on open. `contributions`' status left its
 * indexes: on PostgreSQL an UPDATE that changes an indexed column writes a new entry in every index
 * of the row (9 on `contributions`), one that changes none is a heap-only (HOT) update, written in
 * place of its page when the page has room (see `STORAGE`). Every acceptance is such an update:
 * measured on 30,000 acceptances, 3.6-3.9 s with the status indexes, 0.16 s without.
 */
const RETIRED_INDEXES = [
  "contributions_by_status",
  "contributions_by_datanet_id_status",
  "contributions_by_contributor_status",
];

/**
 * PostgreSQL storage parameters (no data, no query: SQLite has no such thing and rewrites only the
 * indexes holding a changed column anyway). `contributions` pages are filled to half so that the
 * status change of every row of a page, in the same transaction, is a HOT update on its page.
 */
const STORAGE: Record<string, string> = { contributions: "fillfactor = 50" };

/**
 * Every secondary index, created where missing, and the retired ones dropped. Indexes hold no data
 * of their own (a query gives the same rows with or without one), so an index added or dropped in a
 * later release is built or dropped on open in a database of the same schema version instead of
 * forcing a re-index.
 */
export const indexesSql = (kind: "sqlite" | "postgres" = "sqlite"): string =>
  [
    ...TABLES.flatMap(secondaryIndexes),
    ...RETIRED_INDEXES.map((name) => `DROP INDEX IF EXISTS ${name}`),
    ...(kind === "postgres" ? storageSql() : []),
  ].join(";\n") + ";";

/** `ALTER TABLE ... SET (...)` of `STORAGE` (PostgreSQL only; applies to pages written from then on). */
const storageSql = (): string[] =>
  Object.entries(STORAGE).map(([table, params]) => `ALTER TABLE ${table} SET (${params})`);

/** What a database was written for: the indexer refuses to mix chains or deployments. */
export interface IndexIdentity {
  chainId: bigint;
  /** The suite's addresses, lower-case, in a fixed key order. */
  addresses: Record<string, string>;
  /** First block indexed. */
  startBlock: number;
}

/** The database is not one this indexer can use as is: one line saying why and what to do. */
export class SchemaError extends Error {
  override name = "SchemaError";
}

/**
 * Migrations from an older schema, keyed by the version they start from. Everything in the tables
 * is derived from the chain, so a version with no migration here is rebuilt rather than patched:
 * the indexer refuses it with a one-line message naming `--reset`.
 */
export const MIGRATIONS: Record<number, string> = {};

async function metaValue(db: SqlDatabase, key: string): Promise<string | undefined> {
  const rows = await db.all<{ value: string }>("SELECT value FROM indexer_meta WHERE key = ?", [key]);
  return rows[0]?.value;
}

async function tableExists(db: SqlDatabase, name: string): Promise<boolean> {
  const sql =
    db.kind === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?";
  return (await db.all(sql, [name])).length > 0;
}

/** Drops every indexer table (for `--reset`). */
export async function dropSchema(db: SqlDatabase): Promise<void> {
  const names = ["indexer_meta", "blocks", ...TABLES.map((t) => t.name)];
  await db.exec(names.map((n) => `DROP TABLE IF EXISTS ${n}`).join(";\n") + ";");
}

const identityText = (id: IndexIdentity) =>
  JSON.stringify({ chainId: id.chainId.toString(), addresses: id.addresses, startBlock: id.startBlock });

/**
 * Creates the schema in an empty database, migrates an older one, or refuses (one line) a database
 * written by a newer indexer, by an older one with no migration, or for another chain or deployment.
 */
export async function ensureSchema(db: SqlDatabase, identity: IndexIdentity): Promise<void> {
  const where = db.where;
  if (!(await tableExists(db, "indexer_meta"))) {
    if (await tableExists(db, "events"))
      throw new SchemaError(
        `${where} has an "events" table but no indexer_meta: it is not an OpenLedger index; pass another --database`,
      );
    await db.transaction(async (tx) => {
      await tx.exec(schemaSql());
      if (db.kind === "postgres") await tx.exec(storageSql().join(";\n") + ";");
      await tx.run("INSERT INTO indexer_meta (key, value) VALUES (?, ?)", [
        "schema_version",
        String(SCHEMA_VERSION),
      ]);
      await tx.run("INSERT INTO indexer_meta (key, value) VALUES (?, ?)", [
        "identity",
        identityText(identity),
      ]);
    });
    return;
  }
  let version = Number(await metaValue(db, "schema_version"));
  if (!Number.isInteger(version))
    throw new SchemaError(
      `${where} has no readable schema version: re-index with --reset or pass another --database`,
    );
  if (version > SCHEMA_VERSION)
    throw new SchemaError(
      `${where} holds indexer schema ${version}, newer than this indexer's ${SCHEMA_VERSION}: upgrade the indexer or pass another --database`,
    );
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (step === undefined)
      throw new SchemaError(
        `${where} holds indexer schema ${version} and this indexer (schema ${SCHEMA_VERSION}) cannot migrate it: re-index with --reset (everything is rebuilt from the chain) or pass another --database`,
      );
    await db.transaction(async (tx) => {
      await tx.exec(step);
      await tx.run("UPDATE indexer_meta SET value = ? WHERE key = 'schema_version'", [String(version + 1)]);
    });
    version++;
  }
  const stored = await metaValue(db, "identity");
  if (stored !== identityText(identity)) {
    const was = stored ? (JSON.parse(stored) as { chainId: string; startBlock: number }) : undefined;
    throw new SchemaError(
      `${where} indexes another chain or deployment (chain ${was?.chainId ?? "?"}, from block ${was?.startBlock ?? "?"}) than this one (chain ${identity.chainId}, from block ${identity.startBlock}): pass another --database or re-index with --reset`,
    );
  }
  await db.exec(indexesSql(db.kind));
}
