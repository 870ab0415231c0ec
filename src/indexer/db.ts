/**
 * The indexer's two databases behind one small interface: SQLite through Node 22's built-in
 * `node:sqlite` (the embedded default: a file, no server, no dependency) and PostgreSQL through
 * `pg` (for scale). Both run the same schema and the same queries: SQL is written once with `?`
 * placeholders in the subset both dialects share (row values, ON CONFLICT ... DO UPDATE with
 * `excluded`, correlated subqueries with ORDER BY/LIMIT); the PostgreSQL side renumbers the
 * placeholders to `$n`. Integers come back as JS numbers in both (ids beyond 2^53 are refused
 * at write time, see `mapping.ts`), amounts are decimal TEXT.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SQLITE_AMOUNT_SUM } from "./sums.js";

/** A value bound to a placeholder. */
export type SqlValue = string | number | bigint | null;
/** A row as the database returns it. */
export type Row = Record<string, string | number | null>;

/** One connection (or pool) to either database. */
export interface SqlDatabase {
  readonly kind: "sqlite" | "postgres";
  /** Where it is, for messages (a password is never shown). */
  readonly where: string;
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs one statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a script of statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Inserts `rows` (values in `columns` order) into `table`. */
  insertMany(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void>;
  /** Runs `fn` in one transaction: everything it wrote is committed together or not at all. */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database could not be opened or reached: one line saying which and what to do. */
export class DatabaseUnreachableError extends Error {
  override name = "DatabaseUnreachableError";
}

const toNumberIfSafe = (v: unknown): string | number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === "number" || typeof v === "string") return v;
  return String(v as string);
};

const bindable = (v: SqlValue): SqlValue => (typeof v === "bigint" ? v.toString() : v);

/** A simple FIFO lock: SQLite has one connection, so a reader waits for a running transaction. */
class Lock {
  private tail: Promise<void> = Promise.resolve();
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

// node:sqlite prints an ExperimentalWarning on first use; it is stable enough for this use (SQLite
// itself is the storage engine) and the warning would only confuse the indexer's users.
type EmitWarning = (warning: string | Error, ...rest: unknown[]) => void;
async function loadSqlite(): Promise<typeof import("node:sqlite")> {
  const original = process.emitWarning as EmitWarning;
  (process as { emitWarning: EmitWarning }).emitWarning = (warning, ...rest) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    original.call(process, warning, ...rest);
  };
  try {
    return await import("node:sqlite");
  } finally {
    (process as { emitWarning: EmitWarning }).emitWarning = original;
  }
}

type SqliteHandle = import("node:sqlite").DatabaseSync;
type SqliteStatement = import("node:sqlite").StatementSync;

class SqliteDatabase implements SqlDatabase {
  readonly kind = "sqlite" as const;
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly lock = new Lock();
  private inTransaction = false;

  constructor(
    private readonly handle: SqliteHandle,
    readonly where: string,
  ) {}

  private prepare(sql: string): SqliteStatement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.handle.prepare(sql);
      s.setReadBigInts(true);
      this.statements.set(sql, s);
    }
    return s;
  }

  private allNow<T extends Row>(sql: string, params: readonly SqlValue[]): T[] {
    const rows = this.prepare(sql).all(...params.map(bindable)) as Record<string, unknown>[];
    return rows.map((r) => {
      const out: Row = {};
      for (const k of Object.keys(r)) out[k] = toNumberIfSafe(r[k]);
      return out as T;
    });
  }

  all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.inTransaction) return Promise.resolve(this.allNow<T>(sql, params));
    return this.lock.hold(async () => this.allNow<T>(sql, params));
  }

  private runNow(sql: string, params: readonly SqlValue[]): number {
    return Number(this.prepare(sql).run(...params.map(bindable)).changes);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.inTransaction) return Promise.resolve(this.runNow(sql, params));
    return this.lock.hold(async () => this.runNow(sql, params));
  }

  exec(sql: string): Promise<void> {
    const go = async () => this.handle.exec(sql);
    return this.inTransaction ? go() : this.lock.hold(go);
  }

  insertMany(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
    const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
    const go = async () => {
      const s = this.prepare(sql);
      for (const row of rows) s.run(...row.map(bindable));
    };
    return this.inTransaction ? go() : this.lock.hold(go);
  }

  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return this.lock.hold(async () => {
      this.handle.exec("BEGIN IMMEDIATE");
      this.inTransaction = true;
      try {
        const result = await fn(this);
        this.handle.exec("COMMIT");
        return result;
      } catch (error) {
        this.handle.exec("ROLLBACK");
        throw error;
      } finally {
        this.inTransaction = false;
      }
    });
  }

  close(): Promise<void> {
    return this.lock.hold(async () => {
      this.statements.clear();
      this.handle.close();
    });
  }
}

/** `?` placeholders to `$1..$n`, leaving quoted strings alone. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = "";
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      out += `$${++n}`;
    } else out += ch;
  }
  return out;
}

type PgModule = typeof import("pg");
type PgPool = import("pg").Pool;
type PgClient = import("pg").PoolClient;
type Queryable = PgPool | PgClient;

class PostgresDatabase implements SqlDatabase {
  readonly kind = "postgres" as const;
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly pool: PgPool,
    private readonly target: Queryable,
    readonly where: string,
    private readonly describe: (error: unknown) => Error,
    /** What the pool's connections share: each table's column types. */
    private readonly shared: { columnTypes: Map<string, Map<string, string>> } = { columnTypes: new Map() },
  ) {}

  private text(sql: string): string {
    let t = this.texts.get(sql);
    if (t === undefined) {
      t = numberPlaceholders(sql);
      this.texts.set(sql, t);
    }
    return t;
  }

  private async query(sql: string, params: readonly SqlValue[]) {
    try {
      return await this.target.query(this.text(sql), params.map(bindable));
    } catch (error) {
      throw this.describe(error);
    }
  }

  async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.target.query(sql);
    } catch (error) {
      throw this.describe(error);
    }
  }

  /**
   * One statement a table however many rows: each column travels as one array parameter and
   * `unnest` turns them back into rows, so the statement's text is the same for every batch (parsed
   * and planned once per connection, a named prepared statement) and the server is sent a few
   * arrays instead of a parameter per value.
   */
  async insertMany(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
    if (rows.length === 0) return;
    const types = await this.columnTypes(table);
    const arrays: SqlValue[][] = columns.map(() => new Array<SqlValue>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let c = 0; c < columns.length; c++) arrays[c][r] = bindable(row[c]);
    }
    const casts = columns.map((col, i) => {
      const type = types.get(col);
      if (type === undefined) throw new Error(`insertMany: table ${table} has no column ${col}`);
      return `$${i + 1}::${type}[]`;
    });
    const text = `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${casts.join(", ")})`;
    try {
      await this.target.query({ name: `insert_${table}_${columns.length}`, text, values: arrays });
    } catch (error) {
      throw this.describe(error);
    }
  }

  /** The SQL type of each column of `table` (read from the catalogue once per database). */
  private async columnTypes(table: string): Promise<Map<string, string>> {
    let types = this.shared.columnTypes.get(table);
    if (types === undefined) {
      const found = await this.all<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
        [table],
      );
      types = new Map(found.map((c) => [c.column_name, c.data_type]));
      this.shared.columnTypes.set(table, types);
    }
    return types;
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    let client: PgClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.describe(error);
    }
    const tx = new PostgresDatabase(this.pool, client, this.where, this.describe, this.shared);
    try {
      await client.query("BEGIN");
      const result = await fn(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw this.describe(error);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** `postgres://user:secret@host/db` -> `postgres://user@host/db`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return "the configured database";
  }
}

const PG_CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  "57P01": "the server shut down",
  "57P03": "the server is starting up",
  "3D000": "no such database",
  "28P01": "password authentication failed",
  "28000": "authentication refused",
};

function pgDescriber(where: string) {
  return (error: unknown): Error => {
    if (error instanceof DatabaseUnreachableError) return error;
    const e = error as { code?: unknown; message?: unknown };
    const code = typeof e?.code === "string" ? e.code : undefined;
    const reason =
      (code && PG_CONNECTION_CODES[code]) ??
      (typeof e?.message === "string" && /Connection terminated|connect/i.test(e.message)
        ? e.message
        : undefined);
    if (reason !== undefined)
      return new DatabaseUnreachableError(
        `database at ${where} unreachable (${reason}): start it or fix --database`,
        { cause: error },
      );
    return error instanceof Error ? error : new Error(String(error));
  };
}

/** Default embedded database file of a network. */
export function defaultDatabasePath(network: string, chainId: bigint, root = process.cwd()): string {
  return resolve(root, ".indexer", `${network}-${chainId}.sqlite`);
}

/**
 * Opens `url`: `postgres://` / `postgresql://` for PostgreSQL, anything else is an SQLite file path
 * (`sqlite:` prefix optional, `:memory:` for a throwaway database). PostgreSQL is probed once, so an
 * unreachable server fails here with one line.
 */
export async function openDatabase(url: string): Promise<SqlDatabase> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const where = redactUrl(url);
    const pg: PgModule = (await import("pg")).default as unknown as PgModule;
    const parse = (v: string) => {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    };
    const types = {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 ? parse : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, types });
    // An idle client's error (the server went away) must not crash the process: the next query reports it.
    pool.on("error", () => undefined);
    const db = new PostgresDatabase(pool, pool, where, pgDescriber(where));
    try {
      await db.all("SELECT 1 AS ok");
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return db;
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, "");
  const sqlite = await loadSqlite();
  try {
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    const handle = new sqlite.DatabaseSync(path);
    // WAL: readers never block the writer; synchronous=NORMAL is durable across a killed process
    // (a committed transaction is in the WAL before COMMIT returns) and only a power loss may undo
    // the last commits, never leaving a half-written batch.
    handle.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;");
    // 64 MB of page cache (the default is 2 MB): index pages of a growing history stay in memory.
    handle.exec("PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;");
    // Exact sums of decimal amounts (sums.ts): PostgreSQL has NUMERIC, SQLite gets this aggregate.
    handle.aggregate(SQLITE_AMOUNT_SUM.name, SQLITE_AMOUNT_SUM.options);
    return new SqliteDatabase(handle, path);
  } catch (error) {
    throw new DatabaseUnreachableError(
      `cannot open the SQLite database ${path} (${(error as Error).message}): check the path or pass another --database`,
      { cause: error },
    );
  }
}
