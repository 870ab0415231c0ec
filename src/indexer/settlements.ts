/**
 * Settlement roots as the explorer shows them: each posted root with its status (pending until its
 * dispute window ends, activated, or rejected and by which dispute), its disputes with the fault,
 * the slash and the reward, and the dispute window's changes.
 *
 * A posted root's fate is the first activation of its id and root, or the first rejection of its
 * root, after it and before the next root was posted (a rejected id is posted again). Roots are
 * few (one per settlement run), so each page's items are resolved with a few indexed lookups each.
 */
import type { Row, SqlDatabase, SqlValue } from "./db.js";
import { formatRow, listPage, rows, type Page, type PageRequest } from "./queries.js";

export type SettlementStatus = "pending" | "activated" | "rejected";

async function first(db: SqlDatabase, sql: string, params: SqlValue[]): Promise<Row | undefined> {
  return (await db.all(sql, params))[0];
}

/** The last indexed block's timestamp (the chain's clock as far as the index knows it). */
export async function indexedTime(db: SqlDatabase): Promise<number | null> {
  const rows = await db.all<{ value: string }>("SELECT value FROM indexer_meta WHERE key = 'cursor'");
  if (!rows[0]) return null;
  const cursor = JSON.parse(rows[0].value) as { timestamp: number | null };
  return cursor.timestamp ?? null;
}

/** Whether formatted row `d` comes before raw row `r` in the chain. */
const before = (d: Record<string, unknown>, r: Row) =>
  Number(d.blockNumber) < Number(r.block_number) ||
  (Number(d.blockNumber) === Number(r.block_number) && Number(d.logIndex) < Number(r.log_index));

const AFTER = "(block_number, log_index) > (?, ?)";
const BEFORE = "(block_number, log_index) < (?, ?)";

/** One posted root (a `settlements` row, formatted) with its status and disputes. */
export async function settlementState(db: SqlDatabase, posted: Record<string, unknown>, now: number | null) {
  const at: SqlValue[] = [Number(posted.blockNumber), Number(posted.logIndex)];
  const next = await first(
    db,
    `SELECT block_number, log_index FROM settlements WHERE ${AFTER} ORDER BY block_number, log_index LIMIT 1`,
    at,
  );
  const until: SqlValue[] = next ? [Number(next.block_number), Number(next.log_index)] : [2 ** 53 - 1, 0];
  const root = String(posted.root);
  const activation = await first(
    db,
    `SELECT block_number, log_index, tx_hash FROM settlement_activations
      WHERE settlement_id = ? AND root = ? AND ${AFTER} AND ${BEFORE} ORDER BY block_number, log_index LIMIT 1`,
    [Number(posted.settlementId), root, ...at, ...until],
  );
  const rejection = await first(
    db,
    `SELECT disputer, proposal, block_number, log_index, tx_hash FROM settlement_rejections
      WHERE root = ? AND ${AFTER} AND ${BEFORE} ORDER BY block_number, log_index LIMIT 1`,
    [root, ...at, ...until],
  );
  const disputes = await rows(
    db,
    `SELECT * FROM settlement_disputes WHERE root = ? AND ${AFTER} AND ${BEFORE} ORDER BY block_number, log_index`,
    [root, ...at, ...until],
  );
  const status: SettlementStatus = activation ? "activated" : rejection ? "rejected" : "pending";
  const activatesAt = Number(posted.activatesAt);
  return {
    ...posted,
    root,
    status,
    // Pending: whether its window has ended by the last indexed block (anyone may activate it then).
    windowEnded: status === "pending" ? now !== null && now >= activatesAt : null,
    activation: activation ? formatRow(activation) : null,
    rejection: rejection
      ? {
          ...formatRow(rejection),
          // The dispute that proved the fault: the one in the rejecting transaction (on a real
          // chain a proven dispute rejects in the same call), else the last one before it.
          dispute:
            disputes.find((d) => d.txHash === rejection.tx_hash) ??
            disputes.filter((d) => before(d, rejection)).at(-1) ??
            null,
        }
      : null,
    disputes,
  };
}

/** A page of posted roots (chain order) with their status. */
export async function settlementsPage(db: SqlDatabase, page: PageRequest) {
  const now = await indexedTime(db);
  const list: Page<Record<string, unknown>> = await listPage(db, "settlements", {}, page);
  const items = [];
  for (const item of list.items) items.push(await settlementState(db, item, now));
  return { items, next: list.next, indexedTime: now };
}

/**
 * Settlement `id`: every root posted under that number (a rejected root's id is posted again),
 * with status and disputes; the window's current length from the last `DisputeWindowChanged`.
 * Undefined when no root was posted under it.
 */
export async function settlementView(db: SqlDatabase, id: number) {
  const posted = await rows(
    db,
    "SELECT * FROM settlements WHERE settlement_id = ? ORDER BY block_number, log_index",
    [id],
  );
  if (posted.length === 0) return undefined;
  const now = await indexedTime(db);
  const postings = [];
  for (const row of posted) postings.push(await settlementState(db, row, now));
  const last = postings.at(-1)!;
  return {
    settlementId: id,
    status: last.status,
    root: last.root,
    postings,
    indexedTime: now,
  };
}

/** The dispute window's changes (governance), newest last. */
export async function disputeWindowChanges(db: SqlDatabase) {
  return (
    await db.all(
      "SELECT new_value, block_number, log_index, tx_hash FROM parameter_changes WHERE contract = 'distributor' AND setting = 'DisputeWindowChanged' ORDER BY block_number, log_index",
    )
  ).map((r) => ({ ...formatRow(r), seconds: Number(r.new_value) }));
}
