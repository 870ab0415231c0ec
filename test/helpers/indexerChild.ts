/**
 * A child process that indexes the synthetic chain into `argv[2]` (SQLite path or postgres URL)
 * with small ranges, so a test can SIGKILL it at any moment and check the resumed index.
 * Prints "range <to>" after each committed range.
 */
import { openDatabase } from "../../src/indexer/db.js";
import { Indexer } from "../../src/indexer/sync.js";
import { SYNTHETIC_ADDRESSES, SyntheticLogSource } from "../../src/indexer/synthetic.js";

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
