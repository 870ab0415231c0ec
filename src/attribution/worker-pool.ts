/**
 * A small pool of worker threads for the attribution engine (index building and span credit):
 * requests carry an `id`, the first free worker takes the next queued request, and the reply
 * with that id settles its promise. A worker that throws fails every pending and later request.
 */
import { availableParallelism } from "node:os";
import { Worker, type Transferable } from "node:worker_threads";

/** Default number of workers: one per core the process may use. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** What every request and reply carries: the request's id; a reply may carry an error instead. */
export interface PoolMessage {
  id: number;
  /** Set by the worker when the request failed: the error's one-line message. */
  error?: string;
  /** The error was the input's fault (an AttributionInputError), not a bug. */
  inputError?: boolean;
}

/** A pool of `size` workers running the module at `url`, each given `workerData`. */
export class WorkerPool<Req extends PoolMessage, Rep extends PoolMessage> {
  private readonly _workers: Worker[] = [];
  /** Workers waiting for a request. */
  private readonly _idle: Worker[] = [];
  /** Requests waiting for a worker, in order, with what they transfer. */
  private readonly _queue: { req: Req; transfer: Transferable[] }[] = [];
  private readonly _pending = new Map<number, { resolve: (r: Rep) => void; reject: (e: Error) => void }>();
  private _next = 0;
  /** Set when a worker failed: later requests are refused with it. */
  private _failure: Error | undefined;

  constructor(
    url: URL,
    workerData: unknown,
    readonly size: number,
    /** Turns a reply's error into the error its promise rejects with. */
    private readonly _toError: (reply: Rep) => Error = (reply) =>
      new Error(`attribution worker: ${reply.error}`),
  ) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`workers must be an integer >= 1, got ${size}`);
    for (let w = 0; w < size; w++) {
      const worker = new Worker(url, { workerData, execArgv: ["--import", "tsx"] });
      worker.on("message", (reply: Rep) => {
        // The worker is free: give it the next request before settling this one.
        this._dispatch(worker);
        const p = this._pending.get(reply.id);
        if (!p) return;
        this._pending.delete(reply.id);
        if (reply.error !== undefined) p.reject(this._toError(reply));
        else p.resolve(reply);
      });
      worker.on("error", (error) => {
        this._failure = error;
        for (const p of this._pending.values()) p.reject(error);
        this._pending.clear();
        this._queue.length = 0;
      });
      this._workers.push(worker);
      this._idle.push(worker);
    }
  }

  /** A fresh request id. */
  nextId(): number {
    return this._next++;
  }

  /**
   * Queues `req` for the first free worker (moving `transfer` to it); resolves to its reply.
   * Requests queue while every worker is busy, so the caller can prepare the next ones meanwhile.
   */
  submit(req: Req, transfer: Transferable[] = []): Promise<Rep> {
    if (this._failure !== undefined) return Promise.reject(this._failure);
    const reply = new Promise<Rep>((resolve, reject) => {
      this._pending.set(req.id, { resolve, reject });
    });
    this._queue.push({ req, transfer });
    const worker = this._idle.pop();
    if (worker !== undefined) this._dispatch(worker);
    return reply;
  }

  /** Sends the next queued request to `worker`, or marks it idle. */
  private _dispatch(worker: Worker): void {
    const next = this._queue.shift();
    if (next === undefined) {
      if (!this._idle.includes(worker)) this._idle.push(worker);
      return;
    }
    worker.postMessage(next.req, next.transfer);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this._workers.map((w) => w.terminate()));
    this._workers.length = 0;
    this._idle.length = 0;
  }
}
