/**
 * The current-state columns recomputed from the history tables (a contribution's status, a
 * commitment's), and the statements that refresh them after a batch of events (sync.ts).
 */

/**
 * A current-state column recomputed from history: `set` is the assignment, `key` the row key and
 * `touched` a query of the keys whose history changed at or after block `?` (every `?` gets it).
 */
export interface DerivedRefresh {
  table: string;
  set: string;
  key: string;
  touched: string;
  /**
   * The "touched" refresh on PostgreSQL as one set-based statement (its `?` marks all the batch's
   * first block), for a table a batch touches by the thousand: it must give every touched row the
   * value `set` gives it, and may leave out the rows whose value it would not change. (SQLite runs
   * the correlated form faster: measured, so it keeps it.)
   */
  touchedStatement?: string;
}

const latest = (select: string, from: string, where: string) =>
  `(SELECT ${select} FROM ${from} h WHERE ${where} ORDER BY h.block_number DESC, h.log_index DESC LIMIT 1)`;

export const DERIVED: DerivedRefresh[] = [
  {
    table: "contributions",
    set: `status = COALESCE(${latest(
      "h.status",
      "contribution_status",
      "h.datanet_id = contributions.datanet_id AND h.contribution_id = contributions.contribution_id",
    )}, 'Pending')`,
    key: "(datanet_id, contribution_id)",
    touched: "SELECT datanet_id, contribution_id FROM contribution_status WHERE block_number >= ?",
    // Every submission adds a Pending row, so each batch touches every contribution it inserted:
    // the latest status row of a touched contribution is one of the batch's (none is newer), and
    // a contribution whose status it leaves as it is (a new one still Pending) is not rewritten.
    // The batch is the newest range (a rollback deleted every row above it), so the latest status
    // row of a contribution it touched is the latest of the batch's own: one sort of the batch's
    // rows (DISTINCT ON), no probe of each contribution's older history.
    touchedStatement:
      "UPDATE contributions SET status = l.status FROM (SELECT DISTINCT ON (h.datanet_id, h.contribution_id) h.datanet_id, h.contribution_id, h.status " +
      "FROM contribution_status h WHERE h.block_number >= ? ORDER BY h.datanet_id, h.contribution_id, h.block_number DESC, h.log_index DESC) l " +
      "WHERE contributions.datanet_id = l.datanet_id AND contributions.contribution_id = l.contribution_id AND contributions.status <> l.status",
  },
  {
    table: "datanets",
    set: `owner = COALESCE(${latest(
      "h.new_owner",
      "ownership_transfers",
      "h.registry = 'datanets' AND h.subject_id = datanets.datanet_id",
    )}, creator)`,
    key: "datanet_id",
    touched: "SELECT subject_id FROM ownership_transfers WHERE registry = 'datanets' AND block_number >= ?",
  },
  {
    table: "datanets",
    set: `policy = COALESCE(${latest("h.policy", "datanet_policies", "h.datanet_id = datanets.datanet_id")}, policy)`,
    key: "datanet_id",
    touched: "SELECT datanet_id FROM datanet_policies WHERE block_number >= ?",
  },
  {
    table: "models",
    set: [
      `owner = COALESCE(${latest("h.new_owner", "ownership_transfers", "h.registry = 'models' AND h.subject_id = models.model_id")}, creator)`,
      `price_per_unit = COALESCE(${latest("h.price_per_unit", "model_prices", "h.model_id = models.model_id")}, price_per_unit)`,
      "retired = CASE WHEN EXISTS (SELECT 1 FROM model_retirements r WHERE r.model_id = models.model_id) THEN 1 ELSE 0 END",
    ].join(", "),
    key: "model_id",
    touched: [
      "SELECT subject_id FROM ownership_transfers WHERE registry = 'models' AND block_number >= ?",
      "SELECT model_id FROM model_prices WHERE block_number >= ?",
      "SELECT model_id FROM model_retirements WHERE block_number >= ?",
    ].join(" UNION "),
  },
  {
    table: "commitments",
    set: `status = COALESCE(${latest(
      "CASE WHEN h.kind = 'challenged' THEN 'Challenged' WHEN h.commitment_stands = 0 THEN 'Voided' ELSE 'Committed' END",
      "challenges",
      "h.model_id = commitments.model_id AND h.epoch = commitments.epoch AND (h.block_number, h.log_index) > (commitments.block_number, commitments.log_index)",
    )}, 'Committed')`,
    key: "(model_id, epoch)",
    touched: "SELECT model_id, epoch FROM challenges WHERE block_number >= ?",
  },
];

/** The statement refreshing `d` for keys touched at or after a block (or for every row). */
export function refreshSql(
  d: DerivedRefresh,
  scope: "touched" | "all",
  kind: "sqlite" | "postgres" = "sqlite",
): { sql: string; marks: number } {
  if (scope === "all") return { sql: `UPDATE ${d.table} SET ${d.set}`, marks: 0 };
  if (d.touchedStatement !== undefined && kind === "postgres")
    return { sql: d.touchedStatement, marks: (d.touchedStatement.match(/\?/g) ?? []).length };
  return {
    sql: `UPDATE ${d.table} SET ${d.set} WHERE ${d.key} IN (${d.touched})`,
    marks: (d.touched.match(/\?/g) ?? []).length,
  };
}
