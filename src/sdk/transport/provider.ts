/**
 * A plain ethers provider for SDK users outside Hardhat, with the same read retries as the Hardhat
 * plugin: ethers' own FetchRequest handles the HTTP side (request timeout, HTTP 429 with
 * Retry-After, and HTTP 5xx of reads, through its throttle retries with exponential backoff); the
 * provider adds the retries FetchRequest does not do (connection refused or reset, timeout) for
 * reads only. Sends are never retried here (see `src/sdk/send/writes.ts`).
 */
import {
  FetchRequest,
  JsonRpcProvider,
  makeError,
  Network,
  type JsonRpcPayload,
  type JsonRpcResult,
} from "ethers";
import { limitedGetUrl, linearGetUrl } from "./geturl.js";
import {
  defaultRetryPolicy,
  isReadMethod,
  NodeUnreachableError,
  retryTransient,
  transientReason,
  type Endpoint,
  type RetryPolicy,
} from "./retry.js";

/** Options of `connectResilient`. */
export interface ResilientProviderOptions {
  policy?: RetryPolicy;
  /** Deadline of one request, retries included (default 30 s). */
  timeoutMs?: number;
  /** What to tell the user when the node stays unreachable. */
  hint?: string;
  /** How messages name the node (default: its URL on loopback, "the configured RPC node" elsewhere). */
  where?: string;
  /**
   * Refuse an answer longer than this many bytes (the indexer: one `eth_getLogs` answer held in
   * memory stays under it, a larger range is split; default no limit).
   */
  maxResponseBytes?: number;
}

function readsOnly(body: Uint8Array | null): boolean {
  if (!body) return false;
  try {
    const payload = JSON.parse(new TextDecoder().decode(body)) as { method?: string } | { method?: string }[];
    return (Array.isArray(payload) ? payload : [payload]).every((p) => isReadMethod(String(p.method)));
  } catch {
    return false;
  }
}

class ResilientJsonRpcProvider extends JsonRpcProvider {
  constructor(
    request: FetchRequest,
    network: Network,
    private readonly endpoint: Endpoint,
    private readonly policy: RetryPolicy,
  ) {
    super(request, network, { staticNetwork: network, batchMaxCount: 1 });
  }

  /**
   * JsonRpcProvider's `_send` with the body decoded by the platform's TextDecoder: ethers' own
   * `toUtf8String` builds an array of code points and one string per character, about 40 bytes of
   * heap and 0.1 us per byte of answer (an `eth_getLogs` answer of 40 MB peaked at 1.8 GB and took
   * 5 s to decode; TextDecoder + JSON.parse: 0.4 GB, 0.26 s).
   */
  private async sendDecoded(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const request = this._getConnection();
    request.body = JSON.stringify(payload);
    request.setHeader("content-type", "application/json");
    const response = await request.send();
    response.assertOk();
    let resp: JsonRpcResult | JsonRpcResult[];
    try {
      resp = JSON.parse(new TextDecoder().decode(response.body ?? new Uint8Array())) as
        JsonRpcResult | JsonRpcResult[];
    } catch {
      // What ethers' `bodyJson` throws, so callers see the same error.
      throw makeError("response body is not valid JSON", "UNSUPPORTED_OPERATION", {
        operation: "bodyJson",
        info: { response },
      });
    }
    return Array.isArray(resp) ? resp : [resp];
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const methods = (Array.isArray(payload) ? payload : [payload]).map((p) => p.method);
    if (!methods.every(isReadMethod)) return this.sendDecoded(payload);
    const method = methods.join(",");
    // HTTP 429/5xx were already retried by FetchRequest's throttle: not again here.
    const httpStatus = (error: unknown) => (error as { code?: unknown } | null)?.code === "SERVER_ERROR";
    try {
      return await retryTransient(() => this.sendDecoded(payload), {
        method,
        endpoint: this.endpoint,
        policy: this.policy,
        classify: (error) => (httpStatus(error) ? undefined : transientReason(error)),
      });
    } catch (error) {
      const reason = transientReason(error);
      if (reason !== undefined && httpStatus(error))
        throw new NodeUnreachableError(this.endpoint, method, this.policy.attempts, reason, { cause: error });
      throw error;
    }
  }
}

/**
 * Connects to `url` (asks its chain id, retried like any read: an unreachable node fails with one
 * line instead of ethers' endless "failed to detect network") and returns the provider.
 */
export async function connectResilient(
  url: string,
  options: ResilientProviderOptions = {},
): Promise<JsonRpcProvider> {
  const policy = options.policy ?? defaultRetryPolicy();
  const request = new FetchRequest(url);
  // ethers' transport gathers a body in quadratic time (see geturl.ts): minutes for a 150 MB answer.
  request.getUrlFunc =
    options.maxResponseBytes === undefined ? linearGetUrl : limitedGetUrl(options.maxResponseBytes);
  request.timeout = options.timeoutMs ?? 30_000;
  request.setThrottleParams({ maxAttempts: policy.attempts, slotInterval: policy.baseDelayMs });
  request.processFunc = async (req, response) => {
    if (response.statusCode >= 500 && readsOnly(req.body))
      response.throwThrottleError(`HTTP ${response.statusCode}`);
    return response;
  };
  const endpoint: Endpoint = {
    where:
      options.where ??
      (new URL(url).hostname.match(/^(127\.|localhost$|\[::1\]$)/) ? url : "the configured RPC node"),
    hint: options.hint ?? "start it or check its url",
  };
  const chainId = await retryTransient(
    async () => {
      const probe = request.clone();
      probe.body = { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] };
      const response = await probe.send();
      response.assertOk();
      return BigInt((response.bodyJson as { result: string }).result);
    },
    { method: "eth_chainId", endpoint, policy },
  );
  return new ResilientJsonRpcProvider(request, Network.from(chainId), endpoint, policy);
}
