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

/** The provenance graph. Order matters only for readability. */
export const TABLES: TableSpec[] = [
  {
    name: "events",
    columns: [c("contract", "text"), c("name", "text"), c("args", "json")],
    indexes: [["name"]],
  },
  {
    name: "datanets",
    columns: [
      c("datanet_id", "int"),
      c("creator", "address"),
      c("owner", "address", true),
      c("licence", "int"),
      c("policy", "int", true),
      c("metadata_uri", "text"),
    ],
    primaryKey: ["datanet_id"],
    indexes: [["owner"]],
  },
  {
    name: "ownership_transfers",
    columns: [
      c("registry", "text"),
      c("subject_id", "int"),
      c("previous_owner", "address"),
      c("new_owner", "address"),
    ],
    indexes: [["registry", "subject_id"]],
  },
  {
    name: "curators",
    columns: [c("datanet_id", "int"), c("curator", "address"), c("appointed", "bool")],
    indexes: [["datanet_id"]],
  },
  {
    name: "datanet_policies",
    columns: [c("datanet_id", "int"), c("policy", "int")],
    indexes: [["datanet_id"]],
  },
  {
    name: "allowed_contributors",
    columns: [c("datanet_id", "int"), c("account", "address"), c("allowed", "bool")],
    indexes: [["datanet_id", "account"]],
  },
  {
    name: "contributions",
    columns: [
      c("datanet_id", "int"),
      c("contribution_id", "hash"),
      c("contributor", "address"),
      c("content_hash", "hash"),
      c("uri", "text"),
      c("status", "text", true),
    ],
    primaryKey: ["datanet_id", "contribution_id"],
    indexes: [
      ["datanet_id"],
      ["contributor"],
      ["status"],
      ["datanet_id", "status"],
      ["contribution_id"],
      ["content_hash"],
    ],
  },
  {
    name: "contribution_status",
    columns: [
      c("datanet_id", "int"),
      c("contribution_id", "hash"),
      c("status", "text"),
      c("actor", "address"),
      c("reason_code", "int"),
    ],
    indexes: [["datanet_id", "contribution_id"]],
  },
  {
    name: "versions",
    columns: [
      c("datanet_id", "int"),
      c("version_number", "int"),
      c("publisher", "address"),
      c("merkle_root", "hash"),
      c("contribution_count", "int"),
      c("parent_version", "int"),
      c("uri", "text"),
    ],
    primaryKey: ["datanet_id", "version_number"],
  },
  {
    name: "models",
    columns: [
      c("model_id", "int"),
      c("creator", "address"),
      c("owner", "address", true),
      c("base_model_id", "int"),
      c("declared_uses", "int"),
      c("price_per_unit", "amount", true),
      c("metadata_uri", "text"),
      c("retired", "bool", true),
    ],
    primaryKey: ["model_id"],
    indexes: [["owner"], ["base_model_id"]],
  },
  {
    name: "model_prices",
    columns: [c("model_id", "int"), c("price_per_unit", "amount")],
    indexes: [["model_id"]],
  },
  {
    name: "model_retirements",
    columns: [c("model_id", "int")],
    indexes: [["model_id"]],
  },
  {
    name: "model_versions",
    columns: [c("model_id", "int"), c("version_number", "int"), c("artifact_hash", "hash")],
    primaryKey: ["model_id", "version_number"],
  },
  {
    name: "training_inputs",
    columns: [
      c("model_id", "int"),
      c("version_number", "int"),
      c("position", "int"),
      c("datanet_id", "int"),
      c("datanet_version", "int"),
      c("weight_bps", "int"),
    ],
    primaryKey: ["model_id", "version_number", "position"],
    indexes: [["datanet_id", "datanet_version"]],
  },
  {
    name: "commitments",
    columns: [
      c("model_id", "int"),
      c("epoch", "int"),
      c("root", "hash"),
      c("total_weight", "amount"),
      c("method_id", "int"),
      c("uri", "text"),
      c("final_at", "int"),
      c("status", "text", true),
    ],
    indexes: [["model_id", "epoch"], ["epoch"]],
  },
  {
    name: "challenges",
    columns: [
      c("model_id", "int"),
      c("epoch", "int"),
      c("kind", "text"),
      c("challenger", "address"),
      c("bond", "amount"),
      c("reason_uri", "text"),
      c("commitment_stands", "bool"),
      c("bond_recipient", "address"),
    ],
    indexes: [["model_id", "epoch"]],
  },
  {
    name: "payments",
    columns: [
      c("model_id", "int"),
      c("epoch", "int"),
      c("payer", "address"),
      c("amount", "amount"),
      c("protocol_share", "amount"),
      c("owner_share", "amount"),
      c("royalty_share", "amount"),
      c("contributor_share", "amount"),
    ],
    indexes: [["model_id"], ["payer"], ["epoch"], ["model_id", "epoch"], ["tx_hash"]],
  },
  {
    name: "royalties",
    columns: [c("ancestor_model_id", "int"), c("from_model_id", "int"), c("amount", "amount")],
    indexes: [["ancestor_model_id"], ["tx_hash"]],
  },
  {
    name: "finalisations",
    columns: [c("model_id", "int"), c("epoch", "int"), c("finalize_seq", "int"), c("pool", "amount")],
    indexes: [["model_id", "epoch"]],
  },
  {
    name: "roll_forwards",
    columns: [c("model_id", "int"), c("from_epoch", "int"), c("to_epoch", "int"), c("amount", "amount")],
    indexes: [["model_id", "from_epoch"]],
  },
  {
    name: "settlements",
    columns: [
      c("settlement_id", "int"),
      c("root", "hash"),
      c("total", "amount"),
      c("covered_through_seq", "int"),
      c("uri", "text"),
      c("operator", "address"),
      c("activates_at", "int"),
    ],
    indexes: [["settlement_id"], ["root"]],
  },
  {
    name: "settlement_activations",
    columns: [
      c("settlement_id", "int"),
      c("root", "hash"),
      c("total", "amount"),
      c("covered_through_seq", "int"),
    ],
    indexes: [["settlement_id"], ["root"]],
  },
  {
    name: "settlement_rejections",
    columns: [c("root", "hash"), c("operator", "address"), c("disputer", "address"), c("proposal", "int")],
    indexes: [["root"]],
  },
  {
    name: "settlement_disputes",
    columns: [
      c("root", "hash"),
      c("operator", "address"),
      c("disputer", "address"),
      c("fault", "text"),
      c("account", "address"),
      c("slashed", "amount"),
      c("reward", "amount"),
    ],
    indexes: [["root"], ["operator"], ["disputer"]],
  },
  // Governance's parameter changes the pages show (`setting` is the event's name, `new_value` its value).
  {
    name: "parameter_changes",
    columns: [c("contract", "text"), c("setting", "text"), c("new_value", "text")],
    indexes: [["contract", "setting"]],
  },
  // The usage-voucher escrow: payers' deposits, redeemed vouchers and withdrawals.
  {
    name: "usage_deposits",
    columns: [
      c("payer", "address"),
      c("from_address", "address"),
      c("amount", "amount"),
      c("balance", "amount"),
    ],
    indexes: [["payer"]],
  },
  {
    name: "voucher_redemptions",
    columns: [
      c("payer", "address"),
      c("model_id", "int"),
      c("usage_root", "hash"),
      c("cumulative_units", "amount"),
      c("units", "amount"),
      c("amount", "amount"),
      c("unpaid_units", "amount"),
    ],
    indexes: [["payer"], ["model_id"], ["usage_root"]],
  },
  {
    name: "usage_withdrawals",
    columns: [
      c("payer", "address"),
      c("kind", "text"),
      c("amount", "amount"),
      c("withdrawable_at", "int"),
      c("recipient", "address"),
    ],
    indexes: [["payer"]],
  },
  {
    name: "claims",
    columns: [
      c("account", "address"),
      c("path", "text"),
      c("amount", "amount"),
      c("cumulative_amount", "amount"),
      c("model_id", "int"),
      c("epoch", "int"),
      c("weight", "amount"),
    ],
    indexes: [["account"], ["model_id", "epoch"]],
  },
  {
    name: "withdrawals",
    columns: [
      c("kind", "text"),
      c("model_id", "int"),
      c("owner", "address"),
      c("recipient", "address"),
      c("token", "address"),
      c("amount", "amount"),
    ],
    indexes: [["kind"], ["model_id"]],
  },
  {
    name: "staker_releases",
    columns: [c("staking", "address"), c("amount", "amount")],
  },
  // Staking (OperatorStaking and the attribution registry's copy of each operator's bond status).
  {
    name: "operator_listings",
    columns: [c("operator", "address"), c("pool_id", "int"), c("listed", "bool")],
    indexes: [["operator"]],
  },
  {
    name: "operator_bonds",
    columns: [c("operator", "address"), c("pool_id", "int"), c("bonded", "bool")],
    indexes: [["operator"]],
  },
  {
    name: "stakes",
    columns: [
      c("operator", "address"),
      c("account", "address"),
      c("assets", "amount"),
      c("shares", "amount"),
    ],
    indexes: [["operator"], ["account"]],
  },
  {
    name: "unstake_requests",
    columns: [
      c("operator", "address"),
      c("account", "address"),
      c("assets", "amount"),
      c("shares", "amount"),
      c("withdrawable_at", "int"),
    ],
    indexes: [["operator"], ["account"]],
  },
  {
    name: "stake_withdrawals",
    columns: [
      c("operator", "address"),
      c("account", "address"),
      c("recipient", "address"),
      c("assets", "amount"),
    ],
    indexes: [["operator"], ["account"]],
  },
  {
    name: "staking_rewards_in",
    columns: [c("account", "address"), c("amount", "amount")],
  },
  {
    name: "reward_distributions",
    columns: [c("amount", "amount"), c("queued", "amount"), c("total_bonded", "amount")],
  },
  {
    name: "pool_rewards",
    columns: [c("operator", "address"), c("to_stakers", "amount"), c("commission", "amount")],
    indexes: [["operator"]],
  },
  {
    name: "reward_claims",
    columns: [
      c("kind", "text"),
      c("operator", "address"),
      c("account", "address"),
      c("recipient", "address"),
      c("amount", "amount"),
    ],
    indexes: [["operator"], ["account"]],
  },
  {
    name: "commission_changes",
    columns: [c("operator", "address"), c("kind", "text"), c("bps", "int"), c("effective_at", "int")],
    indexes: [["operator"]],
  },
  {
    name: "slashes",
    columns: [
      c("operator", "address"),
      c("slasher", "address"),
      c("case_id", "hash"),
      c("beneficiary", "address"),
      c("slashed", "amount"),
      c("reward", "amount"),
      c("to_treasury", "amount"),
    ],
    indexes: [["operator"], ["beneficiary"]],
  },
  // The OPEN token's transfers (mints from and burns to the zero address included).
  {
    name: "token_transfers",
    columns: [c("from_address", "address"), c("to_address", "address"), c("value", "amount")],
    indexes: [["from_address"], ["to_address"]],
  },
];

export const TABLE_BY_NAME: ReadonlyMap<string, TableSpec> = new Map(TABLES.map((t) => [t.name, t]));

/** Every column's kind by name (a name means one kind across tables). */
export const COLUMN_KINDS: ReadonlyMap<string, ColumnKind> = new Map(
  [...TABLES.flatMap((t) => t.columns), ...POSITION_COLUMNS].map((col) => [col.name, col.kind]),
);

const SQL_TYPE: Record<ColumnKind, string> = {
  int: "BIGINT",
  bool: "INTEGER",
  text: "TEXT",
  amount: "TEXT",
  json: "TEXT",
  address: "TEXT",
  hash: "TEXT",
};

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
    for (const idx of t.indexes ?? []) {
      out.push(
        `CREATE INDEX IF NOT EXISTS ${t.name}_by_${idx.join("_")} ON ${t.name} (${[...idx, "block_number", "log_index"].join(", ")})`,
      );
    }
  }
  return out.join(";\n") + ";";
}

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
}
