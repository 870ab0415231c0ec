/**
 * ethers' Node HTTP transport (`FetchRequest`'s default `getUrlFunc`) with the answer's body
 * gathered in linear time. ethers copies the whole body so far on every chunk it receives
 * (quadratic: a 150 MB `eth_getLogs` answer arrives in ~2,300 chunks of 64 kB and costs ~170 GB of
 * copying, minutes of CPU); this keeps the chunks and joins them once. Everything else is as
 * ethers does it (same request, timeout, cancellation, gzip and errors), so callers and the retry
 * policy see the same failures.
 */
import http from "node:http";
import https from "node:https";
import { gunzipSync } from "node:zlib";
import {
  makeError,
  type FetchCancelSignal,
  type FetchGetUrlFunc,
  type FetchRequest,
  type GetUrlResponse,
} from "ethers";

export function linearGetUrl(req: FetchRequest, signal?: FetchCancelSignal): Promise<GetUrlResponse> {
  return getUrlUpTo(undefined, req, signal);
}

/**
 * `linearGetUrl` that refuses an answer longer than `maxBytes` (stops reading it, closes the
 * connection, and fails with a BUFFER_OVERRUN error whose message names the "response size limit",
 * which the indexer takes as "ask for a smaller range"): what one answer may hold in memory.
 */
export function limitedGetUrl(maxBytes: number): FetchGetUrlFunc {
  return (req, signal) => getUrlUpTo(maxBytes, req, signal);
}

async function getUrlUpTo(
  maxBytes: number | undefined,
  req: FetchRequest,
  signal?: FetchCancelSignal,
): Promise<GetUrlResponse> {
  const protocol = req.url.split(":")[0].toLowerCase();
  if (protocol !== "http" && protocol !== "https")
    throw makeError(`unsupported protocol ${protocol}`, "UNSUPPORTED_OPERATION", {
      info: { protocol },
      operation: "request",
    });
  if (protocol === "http" && req.credentials && !req.allowInsecureAuthentication)
    throw makeError("insecure authorized connections unsupported", "UNSUPPORTED_OPERATION", {
      operation: "request",
    });
  const request = (protocol === "http" ? http : https).request(req.url, {
    method: req.method,
    headers: { ...req.headers },
  });
  request.setTimeout(req.timeout);
  if (req.body) request.write(Buffer.from(req.body));
  request.end();
  return new Promise<GetUrlResponse>((resolve, reject) => {
    signal?.addListener(() => {
      request.destroy();
      reject(makeError("request cancelled", "CANCELLED"));
    });
    request.on("timeout", () => reject(makeError("request timeout", "TIMEOUT")));
    request.once("response", (resp: http.IncomingMessage) => {
      const statusCode = resp.statusCode ?? 0;
      const statusMessage = resp.statusMessage ?? "";
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(resp.headers))
        headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
      const chunks: Buffer[] = [];
      let received = 0;
      resp.on("data", (chunk: Buffer) => {
        try {
          signal?.checkSignal();
        } catch (error) {
          reject(error as Error);
          return;
        }
        received += chunk.length;
        if (maxBytes !== undefined && received > maxBytes) {
          chunks.length = 0;
          resp.removeAllListeners("data");
          resp.destroy();
          request.destroy();
          reject(
            makeError(
              `the node's answer is over the response size limit of ${maxBytes} bytes: ask for less`,
              "BUFFER_OVERRUN",
              { buffer: new Uint8Array(0), length: received, offset: maxBytes },
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      resp.on("end", () => {
        try {
          let body: Uint8Array | null = chunks.length ? Buffer.concat(chunks) : null;
          if (headers["content-encoding"] === "gzip" && body) body = new Uint8Array(gunzipSync(body));
          resolve({ statusCode, statusMessage, headers, body });
        } catch (error) {
          reject(
            makeError("bad response data", "SERVER_ERROR", { request: req, info: { response: resp, error } }),
          );
        }
      });
      resp.on("error", (error: Error & { response?: unknown }) => {
        error.response = {
          statusCode,
          statusMessage,
          headers,
          body: chunks.length ? Buffer.concat(chunks) : null,
        };
        reject(error);
      });
    });
    request.on("error", (error) => reject(error));
  });
}
