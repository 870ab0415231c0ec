/**
 * Exact sums of decimal amount columns inside SQL, in both databases.
 *
 * Amounts are decimal TEXT (a uint256 fits neither database's 64-bit integer, and SQLite has no
 * exact wide numeric), so a plain `SUM(amount)` is not exact in SQLite. PostgreSQL sums them as
 * NUMERIC (arbitrary precision); SQLite calls `amount_sum`, an aggregate `openDatabase` registers
 * that adds with bigint. Either way a GROUP BY over 10,000 payments returns one row per group
 * instead of 10,000 rows to sum in JavaScript, and the sum comes back as a decimal string.
 */
import type { Row, SqlDatabase, SqlValue } from "./db.js";

/** A SELECT expression summing `column` exactly, named `alias`; read it with `amountSum`. */
export function amountSumSql(db: Pick<SqlDatabase, "kind">, column: string, alias: string): string {
  return db.kind === "sqlite"
    ? `amount_sum(${column}) AS ${alias}`
    : `CAST(SUM(CAST(${column} AS NUMERIC)) AS TEXT) AS ${alias}`;
}

/** The exact sum from a row holding `amountSumSql(db, column, alias)` (0 for a group of no rows). */
export function amountSum(row: Row | undefined, alias: string): bigint {
  const v = row?.[alias];
  return v === null || v === undefined ? 0n : BigInt(v);
}

/** The SQLite aggregate behind `amountSumSql`: decimal TEXT summed with bigint, NULLs skipped. */
export const SQLITE_AMOUNT_SUM = {
  name: "amount_sum",
  options: {
    start: 0n,
    step: (total: bigint, value: unknown) =>
      value === null || value === undefined ? total : total + BigInt(value as string | number),
    result: (total: bigint) => total.toString(),
  },
} as const;

/**
 * Row count and exact sums of `columns` over `from` (a table, optionally with a WHERE clause whose
 * `?` take `params`), in one query: `sums[column]` is a bigint (0 over no rows).
 */
export async function sumColumns(
  db: Pick<SqlDatabase, "kind" | "all">,
  from: string,
  columns: readonly string[],
  params: readonly SqlValue[] = [],
): Promise<{ n: number; sums: Record<string, bigint> }> {
  const select = columns.map((c, i) => amountSumSql(db, c, `s${i}`));
  const [row] = await db.all(`SELECT ${["COUNT(*) AS n", ...select].join(", ")} FROM ${from}`, params);
  return {
    n: Number(row?.n ?? 0),
    sums: Object.fromEntries(columns.map((c, i) => [c, amountSum(row, `s${i}`)])),
  };
}
