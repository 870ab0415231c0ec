/**
 * Reads of the index: the lists and views the HTTP API serves, as plain JSON-ready objects.
 * Every list is a keyset page over the event position `(block_number, log_index)` (chain order),
 * so a page costs the same at any history size. Amounts and weights are decimal strings, ids and
 * block numbers JSON numbers, addresses and hashes lower-case.
 */
import { FastMerkleTree, SETTLEMENT_LEAF_ENCODING, type StandardMerkleTreeDump } from "../merkle/index.js";
import { fetchText } from "../verifier/fetch.js";
import type { Row, SqlDatabase, SqlValue } from "./db.js";
import { COLUMN_KINDS } from "./schema.js";

/** A page of a list. `next` is the `after` of the following page, null on the last one. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PageRequest {
  limit?: number;
  /** Position token of the last item of the previous page (`<block>.<logIndex>`). */
  after?: string;
}

/** A request the API cannot answer as asked: one line saying which parameter and what is allowed. */
export class QueryError extends Error {
  override name = "QueryError";
}

export const MAX_PAGE = 1_000;
export const DEFAULT_PAGE = 100;
/** The largest page of the bulk lists (a datanet's contributions for `ledger show --datanet`). */
export const MAX_BULK_PAGE = 10_000;

/**
 * The live settlement: the latest activated root with the row it was posted in (its uri). A posted
 * root is pending for its dispute window and may be rejected, so the latest posted row is not it.
 */
export const LIVE_SETTLEMENT_SQL =
  "SELECT s.settlement_id, s.root, s.uri, s.total, s.covered_through_seq, a.block_number, a.log_index " +
  "FROM settlement_activations a JOIN settlements s ON s.settlement_id = a.settlement_id AND s.root = a.root " +
  "ORDER BY a.block_number DESC, a.log_index DESC, s.block_number DESC, s.log_index DESC LIMIT 1";

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());

/** Each column's API name and kind, worked out once per column name (formatRow runs per row). */
const COLUMN_FORMS = new Map<string, { name: string; kind: string | undefined }>();
const columnForm = (key: string) => {
  let form = COLUMN_FORMS.get(key);
  if (form === undefined) COLUMN_FORMS.set(key, (form = { name: camel(key), kind: COLUMN_KINDS.get(key) }));
  return form;
};

/** A database row as the API shows it: camelCase keys, booleans, parsed JSON, string amounts. */
export function formatRow(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    const { name, kind } = columnForm(key);
    out[name] = formatValue(row[key], kind);
  }
  return out;
}

/** One column's value as the API shows it (see {@link formatRow}). */
function formatValue(value: unknown, kind: string | undefined): unknown {
  if (value === null) return value;
  if (kind === "bool") return Number(value) === 1;
  if (kind === "json") return JSON.parse(String(value));
  if (kind === "amount") return String(value);
  if (kind === "int") return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return value;
}

function pageParams(page: PageRequest, maxLimit = MAX_PAGE): { limit: number; after?: [number, number] } {
  const limit = page.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw new QueryError(`limit must be a whole number from 1 to ${maxLimit} (got ${page.limit})`);
  if (page.after === undefined) return { limit };
  const m = /^(\d+)\.(\d+)$/.exec(page.after);
  if (!m) throw new QueryError(`after "${page.after}" is not a page token (<block>.<logIndex>, from "next")`);
  return { limit, after: [Number(m[1]), Number(m[2])] };
}

/** A filter on a column: exact match. */
export type Filters = Record<string, SqlValue | undefined>;

/** What else `listPage` may be told: a larger page limit, a column whose value must not be one of a list. */
export interface ListOptions {
  maxLimit?: number;
  /** `{ column: values }`: rows whose column is one of `values` are left out. */
  except?: Record<string, readonly string[] | undefined>;
}

/**
 * The rows of one page of `table` (or a SELECT's FROM clause), filtered by `filters` and
 * `options`, in chain order, and the next page's token.
 */
async function pageRows(
  db: SqlDatabase,
  table: string,
  filters: Filters,
  page: PageRequest,
  columns = "*",
  options: ListOptions = {},
): Promise<{ rows: Row[]; next: string | null }> {
  const { limit, after } = pageParams(page, options.maxLimit);
  const where: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  for (const [column, values] of Object.entries(options.except ?? {})) {
    if (!values?.length) continue;
    where.push(`${column} NOT IN (${values.map(() => "?").join(", ")})`);
    params.push(...values);
  }
  if (after) {
    where.push("(block_number, log_index) > (?, ?)");
    params.push(after[0], after[1]);
  }
  const sql = `SELECT ${columns} FROM ${table}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY block_number, log_index LIMIT ?`;
  const rows = await db.all(sql, [...params, limit + 1]);
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const lastRow = rows.at(-1);
  return { rows, next: more && lastRow ? `${lastRow.block_number}.${lastRow.log_index}` : null };
}

/** One page of `table` (or a SELECT's FROM clause), filtered, in chain order. */
export async function listPage(...args: Parameters<typeof pageRows>): Promise<Page<Record<string, unknown>>> {
  const { rows, next } = await pageRows(...args);
  return { items: rows.map(formatRow), next };
}

/**
 * A page in the compact form (`?form=rows`): the columns' API names once, then each item as an
 * array of its values in that order (formatted as {@link formatRow} formats them). A bulk reader
 * gets the same items in about two thirds of the bytes (a datanet's contributions) and parse time.
 */
export interface RowsPage {
  columns: string[];
  rows: unknown[][];
  next: string | null;
}

/** {@link listPage} in the compact form ({@link RowsPage}). */
export async function listRowsPage(...args: Parameters<typeof listPage>): Promise<RowsPage> {
  const { rows, next } = await pageRows(...args);
  const keys = Object.keys(rows[0] ?? {});
  const forms = keys.map(columnForm);
  const out = new Array<unknown[]>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const values = new Array<unknown>(keys.length);
    for (let k = 0; k < keys.length; k++) values[k] = formatValue(row[keys[k]], forms[k].kind);
    out[i] = values;
  }
  return { columns: forms.map((f) => f.name), rows: out, next };
}

/** The columns of a datanet's contributions in the bulk forms (`?form=rows`, `?form=ndjson`). */
export const CONTRIBUTION_COLUMNS =
  "contribution_id, contributor, content_hash, uri, status, block_number, log_index";

/** Rows a line of `?form=ndjson` carries. */
export const NDJSON_BATCH = 5_000;

/** Which of a datanet's contributions {@link contributionLines} writes: the first `limit` of one `status`. */
export interface ContributionSelection {
  /** At most this many (all when undefined). */
  limit?: number;
  /** Only contributions of this status ("Pending", "Accepted", "Rejected", "Withdrawn"). */
  status?: string;
}

/**
 * A datanet's contributions as the lines of one streamed answer (`GET /datanets/:id/contributions
 * ?form=ndjson[&status=][&limit=]`), undefined when there is no such datanet. The first line is
 * `{ datanet, columns, matched }` (the datanet's row, the columns' names, how many contributions
 * match `selection.status` in all), then `[[...], ...]` lines of up to {@link NDJSON_BATCH}
 * contributions in submission order (read page by page, so the reader parses one while the next is
 * read), the first `selection.limit` of them, then `{ end: true, count }`: an answer cut short has
 * no end line.
 */
export async function contributionLines(
  db: SqlDatabase,
  datanetId: number,
  selection: ContributionSelection = {},
  batch = NDJSON_BATCH,
): Promise<AsyncGenerator<string> | undefined> {
  const datanet = await one(db, "SELECT * FROM datanets WHERE datanet_id = ?", [datanetId]);
  if (!datanet) return undefined;
  const { status } = selection;
  const [{ n: matched }] = await db.all<{ n: number }>(
    `SELECT COUNT(*) AS n FROM contributions WHERE datanet_id = ?${status ? " AND status = ?" : ""}`,
    status ? [datanetId, status] : [datanetId],
  );
  const limit = selection.limit ?? Infinity;
  return (async function* () {
    const columns = CONTRIBUTION_COLUMNS.split(", ").map((c) => columnForm(c).name);
    yield JSON.stringify({ datanet, columns, matched: Number(matched) }) + "\n";
    let after: string | undefined;
    let count = 0;
    while (count < limit) {
      const size = Math.min(batch, limit - count);
      const page =
        db.kind === "sqlite"
          ? await sqliteJsonBatch(db, datanetId, status, after, size)
          : await listRowsPage(
              db,
              "contributions",
              { datanet_id: datanetId, status },
              { limit: size, after },
              CONTRIBUTION_COLUMNS,
              { maxLimit: size },
            ).then((p) => ({ json: JSON.stringify(p.rows), count: p.rows.length, next: p.next }));
      if (page.count > 0) yield page.json + "\n";
      count += page.count;
      if (!page.next) break;
      after = page.next;
    }
    yield JSON.stringify({ end: true, count }) + "\n";
  })();
}

/**
 * One batch of {@link contributionLines} written by SQLite itself (`json_group_array`): the JSON
 * text of the rows as `listRowsPage` formats them (these columns are text and integers, which
 * both write alike), without a JavaScript object a row (measured on 100,000 contributions: 0.22 s
 * against 0.6 s). The next token is the largest position of the batch, written zero-padded so
 * that the largest string is the last row.
 */
async function sqliteJsonBatch(
  db: SqlDatabase,
  datanetId: number,
  status: string | undefined,
  after: string | undefined,
  batch: number,
): Promise<{ json: string; count: number; next: string | null }> {
  const from = pageParams({ limit: batch, after }, batch).after ?? [-1, 0];
  const [row] = await db.all<{ json: string; n: number; last: string | null }>(
    `SELECT json_group_array(json_array(${CONTRIBUTION_COLUMNS})) AS json, COUNT(*) AS n, ` +
      "MAX(printf('%020d.%010d', block_number, log_index)) AS last FROM (" +
      `SELECT ${CONTRIBUTION_COLUMNS} FROM contributions WHERE datanet_id = ?${status ? " AND status = ?" : ""} ` +
      "AND (block_number, log_index) > (?, ?) ORDER BY block_number, log_index LIMIT ?)",
    [datanetId, ...(status ? [status] : []), from[0], from[1], batch],
  );
  const n = Number(row.n);
  const next =
    n === batch && row.last
      ? row.last
          .split(".")
          .map((part) => String(Number(part)))
          .join(".")
      : null;
  return { json: row.json, count: n, next };
}

/** What the indexer has indexed. */
export async function status(db: SqlDatabase) {
  const meta = await db.all<{ key: string; value: string }>("SELECT key, value FROM indexer_meta");
  const byKey = Object.fromEntries(meta.map((m) => [m.key, m.value]));
  const identity = JSON.parse(byKey.identity ?? "{}") as Record<string, unknown>;
  const cursor = byKey.cursor ? (JSON.parse(byKey.cursor) as Record<string, unknown>) : null;
  const [{ n }] = await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM events");
  return { schemaVersion: Number(byKey.schema_version), ...identity, cursor, events: Number(n) };
}

/** The rows `sql` selects, formatted for the API ({@link formatRow}). */
export async function rows(
  db: SqlDatabase,
  sql: string,
  params: SqlValue[],
): Promise<Record<string, unknown>[]> {
  return (await db.all(sql, params)).map(formatRow);
}

async function one(db: SqlDatabase, sql: string, params: SqlValue[]) {
  return (await rows(db, sql, params))[0];
}

/**
 * A datanet with its versions, its curator history (`curators`), the curators appointed by its
 * current owner (`currentCurators`) and contribution counts by status.
 */
export async function datanetView(db: SqlDatabase, datanetId: number) {
  const datanet = await one(db, "SELECT * FROM datanets WHERE datanet_id = ?", [datanetId]);
  if (!datanet) return undefined;
  const versions = await rows(db, "SELECT * FROM versions WHERE datanet_id = ? ORDER BY version_number", [
    datanetId,
  ]);
  const history = await db.all(
    "SELECT * FROM curators WHERE datanet_id = ? ORDER BY block_number, log_index",
    [datanetId],
  );
  const curators = history.map(formatRow);
  // Appointments end when ownership changes hands (the registry's curator generation): only the
  // CuratorSet rows after the datanet's last ownership transfer count, the latest per account.
  const [lastTransfer] = await db.all<{ b: number; l: number }>(
    "SELECT block_number AS b, log_index AS l FROM ownership_transfers WHERE registry = 'datanets' AND subject_id = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
    [datanetId],
  );
  const current = new Map<string, boolean>();
  for (const row of history) {
    const [b, l] = [Number(row.block_number), Number(row.log_index)];
    if (
      lastTransfer &&
      (b < Number(lastTransfer.b) || (b === Number(lastTransfer.b) && l < Number(lastTransfer.l)))
    )
      continue;
    current.set(String(row.curator), Number(row.appointed) === 1);
  }
  const currentCurators = [...current].filter(([, appointed]) => appointed).map(([account]) => account);
  const counts = await db.all<{ status: string; n: number }>(
    "SELECT status, COUNT(*) AS n FROM contributions WHERE datanet_id = ? GROUP BY status ORDER BY status",
    [datanetId],
  );
  return {
    ...datanet,
    contributions: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    versions,
    curators,
    currentCurators,
  };
}

/** A contribution with its status history. */
export async function contributionView(db: SqlDatabase, datanetId: number, contributionId: string) {
  const id = contributionId.toLowerCase();
  const c = await one(db, "SELECT * FROM contributions WHERE datanet_id = ? AND contribution_id = ?", [
    datanetId,
    id,
  ]);
  if (!c) return undefined;
  const history = await rows(
    db,
    "SELECT status, actor, reason_code, block_number, log_index, tx_hash FROM contribution_status WHERE datanet_id = ? AND contribution_id = ? ORDER BY block_number, log_index",
    [datanetId, id],
  );
  return { ...c, history };
}

/** A model with its versions and training inputs, its base chain and its derivatives. */
export async function modelView(db: SqlDatabase, modelId: number) {
  const model = await one(db, "SELECT * FROM models WHERE model_id = ?", [modelId]);
  if (!model) return undefined;
  const versions = await rows(db, "SELECT * FROM model_versions WHERE model_id = ? ORDER BY version_number", [
    modelId,
  ]);
  const inputs = await rows(
    db,
    "SELECT version_number, datanet_id, datanet_version, weight_bps FROM training_inputs WHERE model_id = ? ORDER BY version_number, position",
    [modelId],
  );
  const lineage: number[] = [];
  let base = Number(model.baseModelId ?? 0);
  while (base !== 0 && lineage.length < 64 && !lineage.includes(base)) {
    lineage.push(base);
    const rows = await db.all<{ base_model_id: number }>(
      "SELECT base_model_id FROM models WHERE model_id = ?",
      [base],
    );
    base = rows[0] ? Number(rows[0].base_model_id) : 0;
  }
  const derivatives = (
    await db.all<{ model_id: number }>(
      "SELECT model_id FROM models WHERE base_model_id = ? ORDER BY model_id",
      [modelId],
    )
  ).map((r) => Number(r.model_id));
  return {
    ...model,
    versions: versions.map((v) => ({
      ...v,
      trainingInputs: inputs
        .filter((t) => t.versionNumber === v.versionNumber)
        .map(({ versionNumber: _v, ...t }) => t),
    })),
    lineage,
    derivatives,
  };
}

/** A payment (by transaction hash) with its split and the royalties it paid upstream. */
export async function paymentView(db: SqlDatabase, txHash: string) {
  const tx = txHash.toLowerCase();
  const payments = (await db.all("SELECT * FROM payments WHERE tx_hash = ? ORDER BY log_index", [tx])).map(
    formatRow,
  );
  if (payments.length === 0) return undefined;
  const royalties = (await db.all("SELECT * FROM royalties WHERE tx_hash = ? ORDER BY log_index", [tx])).map(
    formatRow,
  );
  return { payments, royalties };
}

type SettlementTree = FastMerkleTree<typeof SETTLEMENT_LEAF_ENCODING>;

/** Settlement trees read from their published dumps, by settlement id (dumps never change). */
const treeCache = new Map<string, SettlementTree>();

async function settlementTree(uri: string, root: string, key: string): Promise<SettlementTree> {
  const cached = treeCache.get(key);
  if (cached) return cached;
  const dump = JSON.parse(await fetchText(uri)) as StandardMerkleTreeDump<typeof SETTLEMENT_LEAF_ENCODING>;
  const tree = FastMerkleTree.load(dump);
  if (tree.root.toLowerCase() !== root.toLowerCase())
    throw new Error(`the dump at ${uri} has root ${tree.root}, not the committed ${root}`);
  treeCache.set(key, tree);
  return tree;
}

const sum = (values: unknown[]) => values.reduce<bigint>((s, v) => s + BigInt(String(v)), 0n);

/**
 * The model versions trained on a datanet version that includes one of the account's
 * contributions (the heaviest query of a summary: `GET /contributors/:a/used-by` alone).
 */
export async function usedByModels(db: SqlDatabase, who: string) {
  // A version is the root over the datanet's accepted contributions when it was published: the
  // contribution is in every version published after its acceptance and before any withdrawal.
  return (
    await db.all(
      `SELECT ti.model_id, ti.version_number AS model_version, ti.datanet_id, ti.datanet_version, ti.weight_bps,
              COUNT(DISTINCT c.contribution_id) AS contributions
         FROM contributions c
         JOIN contribution_status acc ON acc.datanet_id = c.datanet_id AND acc.contribution_id = c.contribution_id AND acc.status = 'Accepted'
         JOIN versions v ON v.datanet_id = c.datanet_id AND (v.block_number, v.log_index) > (acc.block_number, acc.log_index)
         JOIN training_inputs ti ON ti.datanet_id = v.datanet_id AND ti.datanet_version = v.version_number
        WHERE c.contributor = ?
          AND NOT EXISTS (SELECT 1 FROM contribution_status w
                           WHERE w.datanet_id = c.datanet_id AND w.contribution_id = c.contribution_id
                             AND w.status = 'Withdrawn' AND (w.block_number, w.log_index) < (v.block_number, v.log_index))
        GROUP BY ti.model_id, ti.version_number, ti.datanet_id, ti.datanet_version, ti.weight_bps
        ORDER BY ti.model_id, ti.version_number, ti.datanet_id`,
      [who.toLowerCase()],
    )
  ).map((r) => ({ ...formatRow(r), contributions: Number(r.contributions) }));
}

/**
 * One contributor: what they contributed, which models were trained on datanet versions that
 * include it, what they were paid (claims on both paths), and what they can claim now from the
 * latest settlement, with the leaf and Merkle proof
 * `claim(account, cumulativeAmount, nextAccount, prefixBefore, proof)` takes.
 */
export async function contributorSummary(
  db: SqlDatabase,
  account: string,
  options: { contributionsLimit?: number; usedBy?: boolean } = {},
) {
  const who = account.toLowerCase();
  const limit = options.contributionsLimit ?? DEFAULT_PAGE;
  const contributions = await listPage(db, "contributions", { contributor: who }, { limit });
  const counts = await db.all<{ status: string; n: number }>(
    "SELECT status, COUNT(*) AS n FROM contributions WHERE contributor = ? GROUP BY status ORDER BY status",
    [who],
  );
  const usedBy = options.usedBy === false ? undefined : await usedByModels(db, who);
  const claims = await rows(db, "SELECT * FROM claims WHERE account = ? ORDER BY block_number, log_index", [
    who,
  ]);
  const settlementClaims = claims.filter((c) => c.path === "settlement");
  const claimedCumulative = settlementClaims.length
    ? BigInt(String(settlementClaims.at(-1)!.cumulativeAmount))
    : 0n;
  const latest = await db.all<{ settlement_id: number; root: string; uri: string; total: string }>(
    // The live root is the latest activated one (a posted root is pending for its dispute window).
    LIVE_SETTLEMENT_SQL,
  );
  let claimable: Record<string, unknown> | null = null;
  if (latest[0]) {
    const s = latest[0];
    try {
      const tree = await settlementTree(s.uri, s.root, `${s.settlement_id}:${s.root}`);
      let index = -1;
      for (let i = 0; i < tree.length; i++) if (String(tree.at(i)![1]).toLowerCase() === who) index = i;
      if (index < 0) claimable = { settlementId: Number(s.settlement_id), amount: "0", inSettlement: false };
      else {
        const [, , amount, nextAccount, prefixBefore] = tree.at(index)!;
        const cumulative = BigInt(String(amount));
        const owed = cumulative > claimedCumulative ? cumulative - claimedCumulative : 0n;
        claimable = {
          settlementId: Number(s.settlement_id),
          inSettlement: true,
          cumulativeAmount: cumulative.toString(),
          nextAccount: String(nextAccount).toLowerCase(),
          prefixBefore: String(prefixBefore),
          amount: owed.toString(),
          proof: tree.proof(index),
        };
      }
    } catch (error) {
      claimable = {
        settlementId: Number(s.settlement_id),
        amount: null,
        error: `settlement ${s.settlement_id}'s dump at ${s.uri} could not be read (${(error as Error).message.split("\n")[0]}): the proof needs it`,
      };
    }
  }
  return {
    account: who,
    contributions: {
      counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
      ...contributions,
    },
    usedBy,
    earned: {
      total: sum(claims.map((c) => c.amount)).toString(),
      settlement: sum(settlementClaims.map((c) => c.amount)).toString(),
      direct: sum(claims.filter((c) => c.path === "direct").map((c) => c.amount)).toString(),
      claims,
    },
    claimable,
  };
}
