/**
 * Transport faults: which JSON-RPC failures are the connection's (retried for reads) and which are
 * the chain's answer (a revert, bad input: never retried), and the bounded exponential backoff
 * reads are retried with. No transaction is ever re-sent here: writes are `writes.ts`'s business.
 */

/** How many times a read is tried and how long to wait between tries. */
export interface RetryPolicy {
  /** Total attempts, the first included (>= 1). */
  attempts: number;
  /** Wait before the 2nd attempt; doubled each time after. */
  baseDelayMs: number;
  /** Cap of one wait. */
  maxDelayMs: number;
}

function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  return text !== undefined && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : fallback;
}

/** 5 attempts, waits 250 ms, 500 ms, 1 s, 2 s; `RPC_RETRY_ATTEMPTS` / `RPC_RETRY_DELAY_MS` override. */
export function defaultRetryPolicy(): RetryPolicy {
  return {
    attempts: envInt("RPC_RETRY_ATTEMPTS", 5),
    baseDelayMs: envInt("RPC_RETRY_DELAY_MS", 250),
    maxDelayMs: 4_000,
  };
}

/** Wait before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Methods that only read: answering them twice changes nothing, so a transport failure is retried.
 * Anything else (eth_sendTransaction, eth_sendRawTransaction, evm_*, hardhat_*, signing) goes out
 * once.
 */
export const READ_METHODS: ReadonlySet<string> = new Set([
  "eth_accounts",
  "eth_blockNumber",
  "eth_call",
  "eth_chainId",
  "eth_estimateGas",
  "eth_feeHistory",
  "eth_gasPrice",
  "eth_getBalance",
  "eth_getBlockByHash",
  "eth_getBlockByNumber",
  "eth_getBlockReceipts",
  "eth_getBlockTransactionCountByNumber",
  "eth_getCode",
  "eth_getLogs",
  "eth_getProof",
  "eth_getStorageAt",
  "eth_getTransactionByHash",
  "eth_getTransactionCount",
  "eth_getTransactionReceipt",
  "eth_maxPriorityFeePerGas",
  "eth_syncing",
  "hardhat_metadata",
  "net_version",
  "web3_clientVersion",
]);

/** Whether a JSON-RPC method only reads (and so may be retried). */
export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method);
}

const NODE_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "timed out",
  ECONNABORTED: "connection aborted",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EAI_AGAIN: "DNS lookup failed",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CLOSED: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
  UND_ERR_HEADERS_TIMEOUT: "timed out",
  UND_ERR_BODY_TIMEOUT: "timed out",
};

/** Hardhat's network errors (HardhatError numbers) that are the transport's, not the chain's. */
const HARDHAT_NUMBERS: Record<number, string> = {
  702: "invalid response",
  703: "connection refused",
  704: "timed out",
};

function* causes(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (typeof e === "object" && e !== null && !seen.has(e) && seen.size < 8) {
    seen.add(e);
    yield e as Record<string, unknown>;
    const rec = e as Record<string, unknown>;
    e = rec.cause ?? rec.error ?? rec.parent;
  }
}

function httpStatusReason(status: unknown): string | undefined {
  if (typeof status !== "number") return undefined;
  if (status === 429) return "rate limited (HTTP 429)";
  if (status >= 500 && status <= 599) return `HTTP ${status}`;
  return undefined;
}

/**
 * Why `error` is a transient transport failure ("connection refused", "timed out", "HTTP 503"...),
 * or undefined when it is not (a revert, bad input, a rejected transaction: the node answered).
 */
export function transientReason(error: unknown): string | undefined {
  if (error instanceof NodeUnreachableError) return error.reason;
  for (const e of causes(error)) {
    // A JSON-RPC error with revert data, or an ethers CALL_EXCEPTION, is the chain's answer.
    if (e.code === "CALL_EXCEPTION" || (typeof e.data === "string" && e.data.startsWith("0x")))
      return undefined;
    const code = e.code;
    if (typeof code === "string" && NODE_CODES[code]) return NODE_CODES[code];
    if (code === "TIMEOUT") return "timed out";
    if (code === "NETWORK_ERROR") return "network error";
    if (code === "SERVER_ERROR") {
      const info = e.info as { responseStatus?: string } | undefined;
      const m = /^(\d{3})/.exec(info?.responseStatus ?? "");
      // A status other than 429/5xx (e.g. 400) is the node's answer; no status at all is the transport's.
      return m ? httpStatusReason(Number(m[1])) : "server error";
    }
    if (typeof e.statusCode === "number" && httpStatusReason(e.statusCode))
      return httpStatusReason(e.statusCode);
    const number = (e.descriptor as { number?: unknown } | undefined)?.number ?? e.number;
    if (typeof number === "number" && HARDHAT_NUMBERS[number]) return HARDHAT_NUMBERS[number];
    // Hardhat's LimitExceededError (429 after its own retries) and UnknownError (socket errors).
    if (code === -32005) return "rate limited (HTTP 429)";
    const message = typeof e.message === "string" ? e.message : "";
    if (/\bHHE70[234]\b/.test(message)) return HARDHAT_NUMBERS[Number(/HHE(70\d)/.exec(message)![1])];
    if (/other side closed|socket hang up|fetch failed|ECONNRESET|ECONNREFUSED/i.test(message))
      return /REFUSED/i.test(message) ? "connection refused" : "connection closed";
  }
  return undefined;
}

/** Whether an error is a transport failure worth retrying (see `transientReason`). */
export function isTransient(error: unknown): boolean {
  return transientReason(error) !== undefined;
}

/** Where the node is and what to tell the user, for one-line messages. */
export interface Endpoint {
  /** e.g. `http://127.0.0.1:8545` (never a URL that may hold a key: pass the network name then). */
  where: string;
  /** e.g. "start it or set LOCALHOST_RPC_URL". */
  hint?: string;
}

/** The node did not answer after every attempt: one line saying what failed and what to do. */
export class NodeUnreachableError extends Error {
  override name = "NodeUnreachableError";
  constructor(
    readonly endpoint: Endpoint,
    readonly method: string,
    readonly attempts: number,
    readonly reason: string,
    options?: { cause?: unknown; message?: string },
  ) {
    super(
      options?.message ??
        `node at ${endpoint.where} unreachable after ${attempts} attempt${attempts === 1 ? "" : "s"} (${method}: ${reason}): ${endpoint.hint ?? "start it or check the network's url"}`,
      options,
    );
  }
}

/**
 * Runs `fn` until it succeeds, retrying transient transport failures with bounded exponential
 * backoff; any other error (a revert, bad input) is thrown at once, untouched.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  context: {
    method: string;
    endpoint: Endpoint;
    policy?: RetryPolicy;
    onRetry?: (attempt: number, reason: string) => void;
    /** Which errors to retry, and why (default `transientReason`). */
    classify?: (error: unknown) => string | undefined;
  },
): Promise<T> {
  const policy = context.policy ?? defaultRetryPolicy();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const reason = (context.classify ?? transientReason)(error);
      if (reason === undefined) throw error;
      if (attempt >= policy.attempts)
        throw new NodeUnreachableError(context.endpoint, context.method, attempt, reason, { cause: error });
      context.onRetry?.(attempt, reason);
      await sleep(backoffDelay(attempt, policy));
    }
  }
}

/** The EIP-1193 shape (Hardhat's providers, browser wallets). */
export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

/**
 * An EIP-1193 provider whose reads are retried on transport failures (see `retryTransient`);
 * writes go through exactly once. Wrap any provider with it, e.g. `new BrowserProvider(retryReads(p, ...))`.
 */
export function retryReads<P extends Eip1193>(provider: P, endpoint: Endpoint, policy?: RetryPolicy): P {
  return new Proxy(provider, {
    get(target, key, receiver) {
      if (key !== "request") return Reflect.get(target, key, receiver) as unknown;
      return (args: { method: string; params?: unknown[] | object }) =>
        isReadMethod(args.method)
          ? retryTransient(() => target.request(args), { method: args.method, endpoint, policy })
          : target.request(args);
    },
  });
}
