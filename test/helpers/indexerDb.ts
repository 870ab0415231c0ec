/**
 * Databases for the indexer's tests: a fresh SQLite file, or a fresh database in a throwaway
 * PostgreSQL cluster on 127.0.0.1 (started once per run by scripts/pg-test-cluster.sh unless
 * PG_TEST_URL names a running one; stopped by its pid through pg_ctl at exit).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openDatabase, type SqlDatabase } from "../../src/indexer/db.js";
import { TABLES } from "../../src/indexer/schema.js";

const ROOT = resolve(import.meta.dirname, "../..");
const PG_PORT = process.env.PG_TEST_PORT ?? "55441";
let clusterUrl: string | undefined = process.env.PG_TEST_URL;
let startedHere = false;
let counter = 0;
const tempDirs: string[] = [];

/** URL of the test cluster's maintenance database, starting the cluster if needed. */
export function postgresUrl(): string {
  if (!clusterUrl) {
    // A cluster someone else started (CI's step, a developer) is used and left running.
    const running = existsSync(`/tmp/openledger-pg-${PG_PORT}/data/postmaster.pid`);
    clusterUrl = execFileSync("bash", [join(ROOT, "scripts/pg-test-cluster.sh"), "start", PG_PORT], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    startedHere = !running;
  }
  return clusterUrl;
}

/** Creates an empty database in the test cluster; returns its URL. */
export async function freshPostgres(): Promise<string> {
  const admin = await openDatabase(postgresUrl());
  const name = `ix_${process.pid}_${Date.now()}_${counter++}`;
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh SQLite file path. */
export function freshSqlite(): string {
  const dir = mkdtempSync(join(tmpdir(), "openledger-ix-"));
  tempDirs.push(dir);
  return join(dir, "index.sqlite");
}

export type DbKind = "sqlite" | "postgres";
export const fresh = (kind: DbKind): Promise<string> =>
  kind === "sqlite" ? Promise.resolve(freshSqlite()) : freshPostgres();

/** Every indexed row of every table, in a fixed order: equal dumps mean equal indexes. */
export async function dumpIndex(db: SqlDatabase): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of ["blocks", ...TABLES.map((x) => x.name)]) {
    const order =
      t === "blocks" ? "number" : "block_number, log_index" + (t === "training_inputs" ? ", position" : "");
    out[t] = (await db.all(`SELECT * FROM ${t} ORDER BY ${order}`)).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])),
    );
  }
  const cursor = await db.all("SELECT value FROM indexer_meta WHERE key = 'cursor'");
  out.cursor = cursor;
  return out;
}

process.once("exit", () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  if (startedHere) {
    try {
      execFileSync("bash", [join(ROOT, "scripts/pg-test-cluster.sh"), "stop", PG_PORT], { stdio: "ignore" });
    } catch {
      // already stopped
    }
  }
});
