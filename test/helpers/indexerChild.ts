/**
 * A child process that indexes the synthetic chain into `argv[2]` (SQLite path or postgres URL)
 * with small ranges, so a test can SIGKILL it at any moment and check the resumed index.
 * Prints "range <to>" after each committed range.
 *
 * Mocha loads every file under test/ (the coverage run does), so the body runs only when this file
 * is the process's entry point.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../../src/indexer/db.js";
import { Indexer } from "../../src/indexer/sync.js";
import { SYNTHETIC_ADDRESSES, SyntheticLogSource } from "../../src/indexer/synthetic.js";

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [database, events, perBlock] = process.argv.slice(2);
  const db = await openDatabase(database);
  const source = new SyntheticLogSource({ events: Number(events), eventsPerBlock: Number(perBlock) });
  const indexer = await Indexer.open({
    db,
    source,
    addresses: SYNTHETIC_ADDRESSES,
    chunk: 3,
    maxChunk: 3,
    progressEveryMs: 0,
  });
  for (;;) {
    const r = await indexer.step();
    if (r === undefined) break;
    if (r !== "reorg") process.stdout.write(`range ${r.to}\n`);
  }
  await db.close();
  process.stdout.write("done\n");
}
