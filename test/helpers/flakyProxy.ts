/**
 * A tiny JSON-RPC proxy on 127.0.0.1 in front of a real node, that misbehaves on request: closes
 * the connection of a matching request before forwarding it, forwards it but drops the response
 * (the node acted, the client sees a failure), answers HTTP 503 or 429, delays the response, or stops
 * listening altogether (connection refused). Every request is logged with what was done to it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export type Fault = "close" | "drop-response" | "http-503" | "http-429" | "delay";

interface Rule {
  method: string;
  fault: Fault;
  remaining: number;
  delayMs: number;
}

export interface LoggedRequest {
  method: string;
  /** What the proxy did: forwarded normally, or the fault it injected. */
  outcome: "forwarded" | Fault;
  /** The node's result when it was forwarded (e.g. the hash of an eth_sendTransaction). */
  result?: unknown;
}

export class FlakyProxy {
  readonly log: LoggedRequest[] = [];
  private rules: Rule[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  private constructor(
    public target: string,
    readonly port: number,
  ) {}

  /** Starts a proxy to `target` on a free port of 127.0.0.1. */
  static async start(target: string): Promise<FlakyProxy> {
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, "127.0.0.1", () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise((r) => probe.close(r));
    const proxy = new FlakyProxy(target, port);
    await proxy.up();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Injects `fault` into the next `times` requests of `method`. */
  fail(method: string, fault: Fault, options: { times?: number; delayMs?: number } = {}): void {
    this.rules.push({ method, fault, remaining: options.times ?? 1, delayMs: options.delayMs ?? 0 });
  }

  /** Forgets the log and the pending faults. */
  reset(): void {
    this.log.length = 0;
    this.rules = [];
  }

  /** Requests of `method` in the log (optionally only those with `outcome`). */
  count(method: string, outcome?: LoggedRequest["outcome"]): number {
    return this.log.filter((l) => l.method === method && (outcome === undefined || l.outcome === outcome))
      .length;
  }

  /** Starts listening (again) on the same port. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1_000;
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  /** Stops listening and cuts every open connection: clients get "connection refused". */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((r) => server.close(r));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private take(method: string): Rule | undefined {
    const rule = this.rules.find((r) => r.method === method && r.remaining > 0);
    if (rule) rule.remaining--;
    return rule;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let method = "?";
    try {
      const parsed = JSON.parse(body) as { method?: string } | { method?: string }[];
      method = (Array.isArray(parsed) ? parsed[0]?.method : parsed.method) ?? "?";
    } catch {
      // not JSON: forwarded as is
    }
    const rule = this.take(method);
    const entry: LoggedRequest = { method, outcome: rule?.fault ?? "forwarded" };
    this.log.push(entry);
    if (rule?.fault === "close") {
      req.socket.destroy();
      return;
    }
    if (rule?.fault === "http-429") {
      res.writeHead(429, { "content-type": "text/plain", "retry-after": "0" }).end("too many requests");
      return;
    }
    if (rule?.fault === "http-503") {
      res.writeHead(503, { "content-type": "text/plain" }).end("service unavailable");
      return;
    }
    if (rule?.fault === "delay") await new Promise((r) => setTimeout(r, rule.delayMs));
    let status: number;
    let text: string;
    try {
      const upstream = await fetch(this.target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      status = upstream.status;
      text = await upstream.text();
    } catch {
      req.socket.destroy(); // the node is down: the client sees the connection fail
      return;
    }
    try {
      entry.result = (JSON.parse(text) as { result?: unknown }).result;
    } catch {
      // keep no result
    }
    if (rule?.fault === "drop-response") {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" }).end(text);
  }
}
