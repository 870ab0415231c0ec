/**
 * One indexer catch-up in a process of its own (bench/indexer-node.ts runs it as a child), so its
 * peak RSS is the indexer's alone: not the filler's, not the node's, not the database server's.
 * Indexes the suite at `--addresses` (a JSON file of `SuiteAddresses`) from block 0 over JSON-RPC
 * at `--rpc` into `--database` (an SQLite path or a postgres:// URL) and prints one JSON line:
 *   { events, blocks, seconds, eventsPerSecond, peakRssMB }
 * where peakRssMB is this process's `process.resourceUsage().maxRSS` after the catch-up.
 *
 *   npx tsx bench/indexer-catchup.ts --rpc http://127.0.0.1:8747 --addresses a.json --database /tmp/i.sqlite
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/indexer/db.js";
import { MAX_LOGS_ANSWER_BYTES, RpcLogSource } from "../src/indexer/source.js";
import { Indexer } from "../src/indexer/sync.js";
import type { SuiteAddresses } from "../src/sdk/suite.js";
import { connectResilient } from "../src/sdk/transport/provider.js";

const { values: args } = parseArgs({
  options: {
    rpc: { type: "string" },
    addresses: { type: "string" },
    database: { type: "string" },
    label: { type: "string", default: "catch-up" },
    quiet: { type: "boolean", default: false },
  },
});
if (!args.rpc || !args.addresses || !args.database) {
  console.error("indexer-catchup: give --rpc <url> --addresses <file.json> --database <path|postgres://...>");
  process.exit(2);
}
const say = (line: string) => {
  if (!args.quiet) console.error(`  ${args.label}: ${line}`);
};

const addresses = JSON.parse(readFileSync(args.addresses, "utf8")) as SuiteAddresses;
const db = await openDatabase(args.database);
try {
  // The provider `npm run indexer` uses (src/indexer/run.ts): the SDK's retrying one.
  const source = new RpcLogSource(
    await connectResilient(args.rpc, { maxResponseBytes: MAX_LOGS_ANSWER_BYTES }),
    args.rpc,
  );
  const indexer = await Indexer.open({ db, source, addresses, log: say, progressEveryMs: 10_000 });
  const stats = await indexer.catchUp();
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  say(
    `${stats.events} events from ${stats.blocks} blocks in ${stats.seconds.toFixed(1)} s, peak RSS ${peakRssMB} MB`,
  );
  console.log(
    JSON.stringify({
      events: stats.events,
      blocks: stats.blocks,
      seconds: Math.round(stats.seconds * 10) / 10,
      eventsPerSecond: Math.round(stats.events / stats.seconds),
      peakRssMB,
    }),
  );
} finally {
  await db.close();
}
