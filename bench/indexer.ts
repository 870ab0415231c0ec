/**
 * Indexer benchmark (issue 18): catch-up speed into the embedded database (SQLite) and into
 * PostgreSQL, API latency at that size, and the indexer's peak RSS. Prints one JSON line:
 *   { embeddedEventsPerSecond, postgresEventsPerSecond, summaryP95Ms, paymentsPageP95Ms, peakRssMB, ... }
 *
 *   npm run bench:indexer                      # 1,000,000 synthetic events into each database
 *   npm run bench:indexer -- --events 100000   # smaller
 *
 * The events come from `SyntheticLogSource` (ABI-encoded logs served through the same LogSource
 * interface as a node) and go through the indexer's real path: decode -> map -> one transaction
 * per range -> derived columns -> cursor. PostgreSQL is the throwaway cluster of
 * scripts/pg-test-cluster.sh on 127.0.0.1 (started here unless PG_TEST_URL is given). The API is
 * measured over HTTP on 127.0.0.1 against the SQLite index: 200 contributor summaries and 200
 * pages of one model's payments. Peak RSS is this process's (the PostgreSQL server is another
 * process and is not counted). The machine's load average is printed with the figures.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startApi } from "../src/indexer/api.js";
import { openDatabase, type SqlDatabase } from "../src/indexer/db.js";
import { Indexer } from "../src/indexer/sync.js";
import { SYNTHETIC_ADDRESSES, SyntheticLogSource } from "../src/indexer/synthetic.js";
import { p95, paymentPagePaths, timeGets } from "./timing.js";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    "per-block": { type: "string", default: "100" },
    quiet: { type: "boolean", default: false },
    port: { type: "string", default: "8644" },
  },
});
const events = Number(args.events);
const perBlock = Number(args["per-block"]);
const say = (line: string) => {
  if (!args.quiet) console.error(line);
};

async function catchUp(db: SqlDatabase, label: string) {
  const source = new SyntheticLogSource({ events, eventsPerBlock: perBlock });
  const indexer = await Indexer.open({
    db,
    source,
    addresses: SYNTHETIC_ADDRESSES,
    log: (l) => say(`  ${label}: ${l}`),
    progressEveryMs: 10_000,
  });
  const stats = await indexer.catchUp();
  if (stats.events !== events) throw new Error(`${label}: indexed ${stats.events} of ${events} events`);
  const rate = Math.round(stats.events / stats.seconds);
  say(`  ${label}: ${stats.events} events in ${stats.seconds.toFixed(1)} s = ${rate} events/s`);
  return { rate, seconds: stats.seconds };
}

const dir = mkdtempSync(join(tmpdir(), "openledger-ix-bench-"));
const loadBefore = loadavg();
try {
  say(
    `indexer bench: ${events} synthetic events, ${perBlock} per block; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`,
  );

  say("embedded (SQLite):");
  const sqlite = await openDatabase(join(dir, "index.sqlite"));
  const embedded = await catchUp(sqlite, "sqlite");

  say("API over HTTP on 127.0.0.1 (SQLite index):");
  const api = await startApi(sqlite, Number(args.port));
  const contributors = Array.from(
    { length: 200 },
    (_, i) => `0x${(0x10000 + ((i * 37) % 5_000)).toString(16).padStart(40, "0")}`,
  );
  const summary = await timeGets(
    api.url,
    contributors.map((a) => `/contributors/${a}`),
  );
  const pages = await paymentPagePaths(api.url, 3, 200);
  const paymentsPage = await timeGets(api.url, pages);
  await api.close();
  await sqlite.close();
  say(`  contributor summary p95 ${p95(summary)} ms; payments page p95 ${p95(paymentsPage)} ms`);

  say("PostgreSQL:");
  let pgUrl = process.env.PG_TEST_URL;
  let started = false;
  if (!pgUrl) {
    pgUrl = execFileSync("bash", ["scripts/pg-test-cluster.sh", "start"], { encoding: "utf8" }).trim();
    started = true;
  }
  const admin = await openDatabase(pgUrl);
  const name = `ix_bench_${process.pid}`;
  await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const pg = await openDatabase(url.toString());
  const postgres = await catchUp(pg, "postgres");
  await pg.close();
  await admin.exec(`DROP DATABASE ${name}`);
  await admin.close();
  if (started) execFileSync("bash", ["scripts/pg-test-cluster.sh", "stop"], { stdio: "ignore" });

  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const loadAfter = loadavg();
  console.log(
    JSON.stringify({
      embeddedEventsPerSecond: embedded.rate,
      postgresEventsPerSecond: postgres.rate,
      summaryP95Ms: p95(summary),
      paymentsPageP95Ms: p95(paymentsPage),
      peakRssMB,
      events,
      embeddedSeconds: Math.round(embedded.seconds * 10) / 10,
      postgresSeconds: Math.round(postgres.seconds * 10) / 10,
      loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
      loadAverageAfter: loadAfter.map((l) => Math.round(l * 100) / 100),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
