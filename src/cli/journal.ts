/**
 * A small append-only journal of a script's writes, so a run killed midway can be re-run: a step
 * whose transaction landed is skipped (its recorded result is reused), a step whose transaction
 * was sent but not confirmed is looked up on chain by (from, nonce) before anything is sent again.
 *
 * One JSON object per line: `{"key", "status": "sent", "from", "nonce", "startBlock", "to", "data"}`
 * written (and flushed to disk) before the transaction leaves, then
 * `{"key", "status": "done", "hash", "blockNumber", "result"}` once it has a receipt.
 */
import { mkdirSync, openSync, closeSync, fsyncSync, writeSync, existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Provider, TransactionReceipt } from "ethers";
import { NodeStateLostError, NonceTakenError, waitLanded, type SendOptions } from "../sdk/send/writes.js";

export interface SentEntry {
  key: string;
  status: "sent";
  from: string;
  nonce: number;
  startBlock: number;
  to: string;
  data: string;
}

export interface DoneEntry {
  key: string;
  status: "done";
  hash: string;
  blockNumber: number;
  result?: unknown;
}

export type JournalEntry = SentEntry | DoneEntry;

export class Journal {
  private readonly sent = new Map<string, SentEntry>();
  private readonly done = new Map<string, DoneEntry>();
  /** The file ends mid-line (a crash while writing): the next entry starts on a new line. */
  private tornTail = false;

  private constructor(readonly path: string) {}

  /** Opens (or starts) the journal at `path`; a torn last line (a crash mid-write) is ignored. */
  static open(path: string): Journal {
    const journal = new Journal(path);
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8");
      journal.tornTail = text.length > 0 && !text.endsWith("\n");
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          continue;
        }
        if (entry.status === "sent") journal.sent.set(entry.key, entry);
        else if (entry.status === "done") journal.done.set(entry.key, entry);
      }
    }
    return journal;
  }

  /** The completed step of `key`, if any. */
  completed(key: string): DoneEntry | undefined {
    return this.done.get(key);
  }

  /** Every completed step, in the order first recorded. */
  completedSteps(): DoneEntry[] {
    return [...this.done.values()];
  }

  /** Steps sent but not confirmed (a previous run was cut off while waiting). */
  unconfirmed(): SentEntry[] {
    return [...this.sent.values()].filter((e) => !this.done.has(e.key));
  }

  /** Appends one entry and flushes it to disk before returning. */
  append(entry: JournalEntry): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, "a");
    try {
      if (this.tornTail) writeSync(fd, "\n");
      this.tornTail = false;
      writeSync(
        fd,
        JSON.stringify(entry, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) + "\n",
      );
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (entry.status === "sent") this.sent.set(entry.key, entry);
    else this.done.set(entry.key, entry);
  }

  /**
   * Resolves a step a previous run sent but did not confirm: its receipt if its transaction is on
   * chain (or lands while we wait), `undefined` if it did not land (the node never got it, or the
   * nonce went to another transaction): then it is safe to send the step again.
   */
  async recover(
    provider: Provider,
    entry: SentEntry,
    options: SendOptions = {},
  ): Promise<TransactionReceipt | undefined> {
    try {
      return await waitLanded(
        provider,
        { from: entry.from, nonce: entry.nonce, startBlock: entry.startBlock },
        { ...options, expect: { to: entry.to, data: entry.data } },
      );
    } catch (error) {
      if (error instanceof NonceTakenError) return undefined;
      throw error;
    }
  }

  /**
   * Runs step `key` exactly once across runs: returns the journaled result when it already
   * completed, else recovers an unconfirmed send, else sends through `sendStep` (which must pass
   * the given options on to `send`/`sendOnce`, so the step is journaled before it leaves), then
   * records `result(receipt)`.
   */
  async step<T>(
    key: string,
    provider: Provider,
    sendStep: (options: SendOptions) => Promise<TransactionReceipt>,
    result: (receipt: TransactionReceipt) => T,
    options: SendOptions = {},
  ): Promise<{ value: T; hash: string; resumed: boolean }> {
    const done = this.done.get(key);
    if (done) {
      if ((await provider.getTransactionReceipt(done.hash)) === null)
        throw new NodeStateLostError(
          `transaction ${done.hash} of step ${key} in the journal ${this.path} is not on this chain: the node lost its state or this is another chain`,
        );
      return { value: done.result as T, hash: done.hash, resumed: true };
    }
    const pending = this.sent.get(key);
    const recovered = pending ? await this.recover(provider, pending, options) : undefined;
    const receipt =
      recovered ??
      (await sendStep({
        ...options,
        beforeSend: async (tx, record) => {
          this.append({
            key,
            status: "sent",
            from: tx.from,
            nonce: tx.nonce,
            startBlock: record.startBlock,
            to: tx.to,
            data: tx.data,
          });
          await options.beforeSend?.(tx, record);
        },
      }));
    const value = result(receipt);
    this.append({ key, status: "done", hash: receipt.hash, blockNumber: receipt.blockNumber, result: value });
    return { value, hash: receipt.hash, resumed: recovered !== undefined };
  }
}

/**
 * The error to report when a journaled run fails: a lost chain state also names the journal,
 * which describes the old chain and must be deleted after redeploying; any other error as is.
 */
export function journalOfOldChain(error: unknown, journalPath: string): unknown {
  return error instanceof NodeStateLostError
    ? new NodeStateLostError(
        `${error.message} (the journal ${journalPath} describes the old chain: delete it after redeploying)`,
      )
    : error;
}
