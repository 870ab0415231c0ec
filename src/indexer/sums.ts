/**
 * Exact sums of decimal amount columns inside SQL, the same text for SQLite and PostgreSQL.
 *
 * Amounts are decimal TEXT (a uint256 fits neither database's 64-bit integer, and SQLite has no
 * exact wide numeric), so `SUM(amount)` is not exact in SQLite. Instead each amount is left-padded
 * to 84 digits and cut into seven 12-digit chunks; each chunk is summed as a BIGINT (12 digits
 * summed over up to 9 million rows stay below 2^63) and the chunks are recombined with bigint. A
 * GROUP BY over 10,000 payments then returns one row per group instead of 10,000 rows to sum in
 * JavaScript.
 */
import type { Row } from "./db.js";

const CHUNK = 12;
const CHUNKS = 7;
const ZEROS = "0".repeat(CHUNK * CHUNKS);

/** SELECT expressions summing `column` (named `<alias>_0` .. `<alias>_6`); read with `amountSum`. */
export function amountSumSql(column: string, alias: string): string {
  const parts: string[] = [];
  for (let k = 0; k < CHUNKS; k++)
    parts.push(
      `SUM(CAST(substr('${ZEROS}' || ${column}, length(${column}) + ${1 + k * CHUNK}, ${CHUNK}) AS BIGINT)) AS ${alias}_${k}`,
    );
  return parts.join(", ");
}

/** The exact sum from a row holding `amountSumSql(column, alias)` (0 for a group of no rows). */
export function amountSum(row: Row | undefined, alias: string): bigint {
  let total = 0n;
  for (let k = 0; k < CHUNKS; k++) {
    const v = row?.[`${alias}_${k}`];
    total = total * 10n ** BigInt(CHUNK) + (v === null || v === undefined ? 0n : BigInt(v));
  }
  return total;
}
