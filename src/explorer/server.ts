/**
 * The explorer's one server on 127.0.0.1: the built app (explorer/dist), the indexer's read API
 * under /api, the node's read-only JSON-RPC under /rpc, and /config.json telling the app where
 * both are. Every answer carries a Content-Security-Policy that allows scripts, styles and
 * connections to this origin only: whatever a chain record holds (a URI, a metadata string) cannot
 * run as script or load anything, even if a rendering bug let it into the page as markup.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { handle, listenOnLoopback } from "../indexer/api.js";
import type { SqlDatabase } from "../indexer/db.js";

/** The policy on every answer of `npm run explorer`. */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": EXPLORER_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * JSON-RPC methods /rpc forwards: reads only. A local node has unlocked accounts; sending,
 * signing and node control (evm_*, hardhat_*) are never reachable through the explorer.
 */
export const READ_METHODS = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_call",
  "eth_getBalance",
  "eth_getCode",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getLogs",
]);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

const MAX_RPC_BODY = 1 << 20;

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  res.writeHead(code, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RPC_BODY) throw new Error(`request body over ${MAX_RPC_BODY} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

type RpcCall = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown };

/** Sends one JSON-RPC call to a chain that is not behind a URL (Hardhat's in-process network). */
export type RpcSend = (method: string, params: unknown[]) => Promise<unknown>;

async function forward(rpc: string | RpcSend, calls: RpcCall[]): Promise<RpcCall[]> {
  if (typeof rpc === "string") {
    const res = await fetch(rpc, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(calls),
    });
    const out = (await res.json()) as RpcCall | RpcCall[];
    return Array.isArray(out) ? out : [out];
  }
  return Promise.all(
    calls.map(async (c) => {
      try {
        return {
          jsonrpc: "2.0",
          id: c.id,
          result: await rpc(String(c.method), (c.params as unknown[]) ?? []),
        };
      } catch (error) {
        const e = error as { code?: unknown; message?: string; data?: unknown };
        return {
          jsonrpc: "2.0",
          id: c.id,
          error: { code: typeof e.code === "number" ? e.code : -32603, message: e.message, data: e.data },
        };
      }
    }),
  );
}

/** Forwards read calls to the node; anything else is answered with a JSON-RPC error, not forwarded. */
async function proxyRpc(rpc: string | RpcSend, body: string): Promise<unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "parse error: the body is not JSON" },
    };
  }
  const calls = (Array.isArray(parsed) ? parsed : [parsed]) as RpcCall[];
  const refused = (c: RpcCall) => ({
    jsonrpc: "2.0",
    id: c?.id ?? null,
    error: {
      code: -32601,
      message: `${String(c?.method)} is not forwarded: the explorer's /rpc serves chain reads only (send transactions through your wallet)`,
    },
  });
  const allowed = calls.filter((c) => typeof c?.method === "string" && READ_METHODS.has(c.method));
  const answers = allowed.length > 0 ? await forward(rpc, allowed) : [];
  const byId = new Map(answers.map((a) => [JSON.stringify(a.id), a]));
  const results = calls.map((c) =>
    allowed.includes(c) ? (byId.get(JSON.stringify(c.id)) ?? refused(c)) : refused(c),
  );
  return Array.isArray(parsed) ? results : results[0];
}

async function serveFile(res: ServerResponse, file: string, immutable: boolean): Promise<void> {
  const info = await stat(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
  });
  createReadStream(file).pipe(res);
}

export interface ExplorerServerOptions {
  /** The built app (`vite build` output). */
  distDir: string;
  /** The node's JSON-RPC URL (or a function sending a call to it), for /rpc. */
  rpc: string | RpcSend;
  log?: (line: string) => void;
}

/** Serves the explorer on 127.0.0.1:`port` (0 = any free port); resolves once it listens. */
export async function startExplorerServer(
  db: SqlDatabase,
  port: number,
  options: ExplorerServerOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const log = options.log ?? (() => undefined);
  const dist = resolve(options.distDir);
  const index = join(dist, "index.html");
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const answer = async () => {
      if (path === "/api" || path.startsWith("/api/")) {
        const { code, body } = await handle(db, req.method ?? "GET", path.slice(4) + url.search || "/");
        return sendJson(res, code, body);
      }
      if (path === "/rpc") {
        if (req.method !== "POST") return sendJson(res, 405, { error: "POST JSON-RPC to /rpc" });
        return sendJson(res, 200, await proxyRpc(options.rpc, await readBody(req)));
      }
      if (path === "/config.json") return sendJson(res, 200, { indexer: "/api", rpc: "/rpc" });
      if (req.method !== "GET" && req.method !== "HEAD")
        return sendJson(res, 405, { error: `${req.method} is not allowed here` });
      const file = normalize(join(dist, decodeURIComponent(path)));
      if (file.startsWith(dist + sep) && extname(file) !== "") {
        const found = await stat(file).then(
          (s) => s.isFile(),
          () => false,
        );
        if (found) return serveFile(res, file, path.startsWith("/assets/"));
        return sendJson(res, 404, { error: `no file ${path}` });
      }
      // Every other path is a page of the app: its router reads the URL.
      return serveFile(res, index, false);
    };
    answer().catch((error: unknown) => {
      log(`explorer: ${req.method} ${path}: ${(error as Error).message}`);
      if (!res.headersSent) sendJson(res, 502, { error: `${(error as Error).message.split("\n")[0]}` });
      else res.end();
    });
  });
  await listenOnLoopback(server, port);
  const address = server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
