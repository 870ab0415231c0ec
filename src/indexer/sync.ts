/**
 * The sync loop: from the last indexed block to the node's head minus `confirmations`, range by
 * range, each range's rows and the cursor written in ONE transaction (a killed process leaves
 * either the whole range or none of it, so a resumed sync equals a fresh one row for row).
 *
 * Reorgs: the hash of every block that had events, and of every range's last block, is kept. Before
 * each range the cursor's hash is compared with the node's; when the node has replaced it, the
 * newest kept block the node still has is the common ancestor, every row above it is deleted (one
 * transaction), the derived columns are recomputed, and those blocks are indexed again from the node.
 * With `confirmations` N only blocks N deep are indexed, so a reorg the indexer has to undo is by
 * definition deeper than N: it says so in one line.
 */
import { NodeUnreachableError } from "../sdk/transport/retry.js";
import type { SqlDatabase, SqlValue } from "./db.js";
import { DERIVED, refreshSql } from "./derived.js";
import { EVENT_ROWS, plainJson, type DecodedEvent, type RowValues } from "./mapping.js";
import { ensureSchema, insertColumns, TABLE_BY_NAME, TABLES, type IndexIdentity } from "./schema.js";
import {
  isRangeTooLarge,
  presentContracts,
  SuiteDecoder,
  type BlockRef,
  type IndexedAddresses,
  type LogSource,
} from "./source.js";

export interface IndexerOptions {
  db: SqlDatabase;
  source: LogSource;
  addresses: IndexedAddresses;
  /** Blocks behind the head that are not indexed yet (default 0). */
  confirmations?: number;
  /** First block to index (the deployment block; default 0). */
  startBlock?: number;
  /** Blocks in the first range (default 100); adapted to aim at `targetEvents` per range. */
  chunk?: number;
  /** Largest range (default 10,000 blocks). */
  maxChunk?: number;
  /** Events aimed at per range, i.e. per transaction (default 5,000). */
  targetEvents?: number;
  /** Where progress and warnings go (one line each). */
  log?: (line: string) => void;
  /** Progress line interval during catch-up (default 2 s; 0 = none). */
  progressEveryMs?: number;
}

/** The last indexed block. `hash` is null before the first range. */
export interface Cursor {
  number: number;
  hash: string | null;
  timestamp: number | null;
}

export interface CatchUpStats {
  fromBlock: number;
  toBlock: number;
  blocks: number;
  events: number;
  seconds: number;
  reorgs: number;
}

/** One range read from the node: its decoded events, its last block, the hashes of its blocks. */
interface RangeRead {
  events: DecodedEvent[];
  last: BlockRef;
  hashes: Map<number, string>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export class Indexer {
  readonly db: SqlDatabase;
  readonly source: LogSource;
  readonly confirmations: number;
  readonly startBlock: number;
  private readonly decoder: SuiteDecoder;
  private chunk: number;
  private readonly maxChunk: number;
  private readonly targetEvents: number;
  private readonly log: (line: string) => void;
  private readonly progressEveryMs: number;
  /** Number of reorgs undone since this object was made. */
  reorgs = 0;

  private constructor(options: IndexerOptions) {
    this.db = options.db;
    this.source = options.source;
    this.confirmations = options.confirmations ?? 0;
    this.startBlock = options.startBlock ?? 0;
    this.decoder = new SuiteDecoder(options.addresses);
    this.chunk = Math.max(1, options.chunk ?? 100);
    this.maxChunk = Math.max(this.chunk, options.maxChunk ?? 10_000);
    this.targetEvents = options.targetEvents ?? 5_000;
    this.log = options.log ?? (() => undefined);
    this.progressEveryMs = options.progressEveryMs ?? 2_000;
    if (!Number.isInteger(this.confirmations) || this.confirmations < 0)
      throw new Error(`confirmations must be a whole number >= 0 (got ${options.confirmations})`);
  }

  /**
   * Checks the node's chain, creates or checks the schema (refusing another chain, another
   * deployment or a schema it cannot migrate, in one line) and returns the indexer.
   */
  static async open(options: IndexerOptions): Promise<Indexer> {
    const indexer = new Indexer(options);
    const chainId = await options.source.chainId();
    const identity: IndexIdentity = {
      chainId,
      addresses: Object.fromEntries(
        presentContracts(options.addresses).map((k) => [k, options.addresses[k]!.toLowerCase()]),
      ),
      startBlock: indexer.startBlock,
    };
    await ensureSchema(options.db, identity);
    return indexer;
  }

  async cursor(): Promise<Cursor> {
    const rows = await this.db.all<{ value: string }>("SELECT value FROM indexer_meta WHERE key = 'cursor'");
    if (rows.length === 0) return { number: this.startBlock - 1, hash: null, timestamp: null };
    return JSON.parse(rows[0].value) as Cursor;
  }

  private async writeCursor(tx: SqlDatabase, cursor: Cursor): Promise<void> {
    await tx.run(
      "INSERT INTO indexer_meta (key, value) VALUES ('cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [JSON.stringify(cursor)],
    );
  }

  /** The block the indexer may index up to now (head minus confirmations). */
  async target(): Promise<{ head: number; target: number }> {
    const head = await this.source.head();
    return { head, target: head - this.confirmations };
  }

  /**
   * Indexes one range (or undoes one reorg). Resolves with the range indexed, "reorg" when it
   * rolled back, or undefined when there was nothing to index. While a range is written, the next
   * one is read from the node (catch-up): the node's work and the decoding overlap the database's.
   */
  async step(): Promise<{ from: number; to: number; events: number } | "reorg" | undefined> {
    const cursor = await this.cursor();
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    if (cursor.hash !== null) {
      const onNode = await this.source.block(cursor.number);
      if (!onNode || onNode.hash !== cursor.hash) {
        await this.undoReorg(cursor);
        return "reorg";
      }
    }
    const { target } = await this.target();
    if (cursor.number >= target) return undefined;
    const from = cursor.number + 1;
    // A range read ahead is used when it starts at the cursor and ends within the target; it was
    // read like any other (its blocks' hashes checked around the read), and a reorg after it is
    // found by the next step's cursor check, as for a range written right after its read.
    let read = prefetched?.from === from ? await prefetched.read : undefined;
    if (read === undefined || read.last.number > target) read = await this.readRange(from, target);
    if (read === undefined) return undefined;
    if (read.last.number < target) {
      const next = read.last.number + 1;
      const ahead = this.readRange(next, target);
      ahead.catch(() => undefined); // an error surfaces when (and if) the next step awaits it
      this.prefetched = { from: next, read: ahead };
    }
    await this.apply(read.events, from, read.last, read.hashes);
    return { from, to: read.last.number, events: read.events.length };
  }

  /** The range read ahead by `step`, while the one before it was written. */
  private prefetched: { from: number; read: Promise<RangeRead | undefined> } | undefined;

  /**
   * Reads and decodes the logs of a range from `from` (its size adapted to aim at `targetEvents`),
   * with the hashes of its blocks; undefined when the node went back below the range meanwhile.
   */
  private async readRange(from: number, target: number): Promise<RangeRead | undefined> {
    for (;;) {
      const to = Math.min(target, from + this.chunk - 1);
      const before = await this.source.block(to);
      if (!before) return undefined; // the node went back below `to` meanwhile: next step sees it
      let logs;
      try {
        logs = await this.source.logs(this.decoder.addresses, from, to);
      } catch (error) {
        // A range the node could not answer in time is likely too large too (a dense stretch).
        const timedOut = error instanceof NodeUnreachableError && error.reason === "timed out";
        if (to > from && (isRangeTooLarge(error) || timedOut)) {
          this.chunk = Math.max(1, Math.floor((to - from + 1) / 2));
          continue;
        }
        throw error;
      }
      // Far more logs than a range should hold (dense blocks after sparse ones grew the range):
      // read a range sized from this density instead, so one transaction and the memory holding
      // its rows stay near `targetEvents` (a node without a result cap answers any range whole).
      if (to > from && logs.length > 4 * this.targetEvents) {
        this.chunk = Math.max(1, Math.floor(((to - from + 1) * this.targetEvents) / logs.length));
        continue;
      }
      const after = await this.source.block(to);
      // A reorg while the logs were read: read the range again.
      if (!after || after.hash !== before.hash) continue;
      const hashes = new Map<number, string>([[to, before.hash]]);
      let consistent = true;
      for (const log of logs) {
        const n = Number(log.blockNumber);
        const h = log.blockHash.toLowerCase();
        if (log.removed || (hashes.has(n) && hashes.get(n) !== h)) consistent = false;
        hashes.set(n, h);
      }
      if (!consistent) continue;
      const events: DecodedEvent[] = [];
      for (const log of logs) {
        const e = this.decoder.decode(log);
        if (e) events.push(e);
      }
      events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      if (logs.length > 2 * this.targetEvents) this.chunk = Math.max(1, Math.floor(this.chunk / 2));
      else if (logs.length < this.targetEvents / 2) this.chunk = Math.min(this.maxChunk, this.chunk * 2);
      return { events, last: before, hashes };
    }
  }

  /** Writes one range: events, their rows, block hashes, derived columns, cursor; one transaction. */
  async apply(
    events: readonly DecodedEvent[],
    from: number,
    last: BlockRef,
    hashes: Map<number, string>,
  ): Promise<void> {
    const byTable = new Map<string, SqlValue[][]>();
    const add = (table: string, values: SqlValue[]) => {
      let list = byTable.get(table);
      if (!list) byTable.set(table, (list = []));
      list.push(values);
    };
    for (const e of events) {
      const position: SqlValue[] = [e.blockNumber, e.logIndex, e.transactionHash];
      add("events", [e.contract, e.name, plainJson(e.args), ...position]);
      const mapper = EVENT_ROWS[`${e.contract}.${e.name}`];
      if (!mapper) continue;
      for (const [table, row] of mapper(e.args)) {
        const spec = TABLE_BY_NAME.get(table);
        if (!spec) throw new Error(`mapping names unknown table ${table}`);
        add(table, [...spec.columns.map((col) => (row as RowValues)[col.name] ?? null), ...position]);
      }
    }
    await this.db.transaction(async (tx) => {
      for (const [table, rows] of byTable)
        await tx.insertMany(table, insertColumns(TABLE_BY_NAME.get(table)!), rows);
      await tx.insertMany(
        "blocks",
        ["number", "hash"],
        [...hashes].map(([n, h]) => [n, h]),
      );
      if (events.length > 0) {
        for (const d of DERIVED) {
          const { sql, marks } = refreshSql(d, "touched", tx.kind);
          await tx.run(sql, Array<SqlValue>(marks).fill(from));
        }
      }
      await this.writeCursor(tx, { number: last.number, hash: last.hash, timestamp: last.timestamp });
    });
  }

  /** Finds the newest kept block the node still has and deletes everything above it. */
  private async undoReorg(cursor: Cursor): Promise<void> {
    let ancestor: { number: number; hash: string | null; timestamp: number | null } = {
      number: this.startBlock - 1,
      hash: null,
      timestamp: null,
    };
    let below = cursor.number;
    let checked = 0;
    search: while (checked < 1_024) {
      const kept = await this.db.all<{ number: number; hash: string }>(
        "SELECT number, hash FROM blocks WHERE number < ? ORDER BY number DESC LIMIT 64",
        [below],
      );
      if (kept.length === 0) break;
      for (const k of kept) {
        checked++;
        const onNode = await this.source.block(k.number);
        if (onNode && onNode.hash === k.hash) {
          ancestor = onNode;
          break search;
        }
        below = k.number;
      }
    }
    const depth = cursor.number - ancestor.number;
    await this.rollback(ancestor);
    this.reorgs++;
    this.log(
      `reorg: block ${cursor.number} (${cursor.hash?.slice(0, 10)}) is no longer on the node; removed the rows of blocks ${ancestor.number + 1}..${cursor.number} (depth ${depth}, deeper than --confirmations ${this.confirmations}: raise it for this chain) and indexing them again`,
    );
  }

  /** Deletes every row above `ancestor` and recomputes the derived columns; one transaction. */
  async rollback(ancestor: { number: number; hash: string | null; timestamp: number | null }): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const t of TABLES) await tx.run(`DELETE FROM ${t.name} WHERE block_number > ?`, [ancestor.number]);
      await tx.run("DELETE FROM blocks WHERE number > ?", [ancestor.number]);
      for (const d of DERIVED) await tx.run(refreshSql(d, "all").sql);
      if (ancestor.hash === null) await tx.run("DELETE FROM indexer_meta WHERE key = 'cursor'");
      else
        await this.writeCursor(tx, {
          number: ancestor.number,
          hash: ancestor.hash,
          timestamp: ancestor.timestamp,
        });
    });
  }

  /**
   * Indexes until the cursor reaches head minus confirmations (as seen at the start, then again
   * until nothing is left), logging progress: blocks/s, events/s, ETA.
   */
  async catchUp(signal?: AbortSignal): Promise<CatchUpStats> {
    const started = performance.now();
    const first = await this.cursor();
    let { target } = await this.target();
    let events = 0;
    let lastProgress = started;
    let last = first.number;
    const reorgsBefore = this.reorgs;
    while (!signal?.aborted) {
      const result = await this.step();
      if (result === undefined) {
        const again = await this.target();
        if ((await this.cursor()).number >= again.target) break;
        target = again.target;
        continue;
      }
      if (result === "reorg") continue;
      events += result.events;
      last = result.to;
      const now = performance.now();
      if (this.progressEveryMs > 0 && now - lastProgress >= this.progressEveryMs) {
        lastProgress = now;
        const seconds = (now - started) / 1000;
        const blocksPerSecond = (last - first.number) / seconds;
        const eta = (target - last) / blocksPerSecond;
        const span = Math.max(1, target - first.number);
        this.log(
          `indexed to block ${last} of ${target} (${((100 * (last - first.number)) / span).toFixed(1)}%): ${Math.round(blocksPerSecond)} blocks/s, ${Math.round(events / seconds)} events/s, ETA ${formatSeconds(eta)}`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      fromBlock: first.number + 1,
      toBlock: last,
      blocks: Math.max(0, last - first.number),
      events,
      seconds,
      reorgs: this.reorgs - reorgsBefore,
    };
  }

  /** Catches up, then follows the head every `pollMs` until `signal` aborts. */
  async follow(options: {
    signal: AbortSignal;
    pollMs?: number;
    onError?: (error: unknown) => void;
  }): Promise<void> {
    while (!options.signal.aborted) {
      try {
        await this.catchUp(options.signal);
      } catch (error) {
        if (!options.onError) throw error;
        options.onError(error);
      }
      await sleep(options.pollMs ?? 1_000);
    }
  }
}
