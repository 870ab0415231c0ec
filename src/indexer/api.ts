/**
 * The index over HTTP on 127.0.0.1: JSON, read-only, every list paginated (`?limit=&after=`, the
 * answer's `next` is the following page's `after`). Errors are JSON `{ "error": "<one line>" }`
 * with 400 (bad parameter), 404 (unknown route or id) or 503 (the database is unreachable).
 *
 *   GET /status
 *   GET /events?contract=&name=                       raw decoded events, chain order
 *   GET /datanets                 GET /datanets/:id   (versions, curators, counts by status)
 *   GET /contributions?datanet=&contributor=&status=
 *   GET /contributions/:datanetId/:contributionId      (status history)
 *   GET /versions?datanet=
 *   GET /models                   GET /models/:id     (versions, training inputs, lineage, derivatives)
 *   GET /payments?model=&payer=&epoch=                 GET /payments/:txHash (split, royalties)
 *   GET /commitments?model=&epoch=&status=             GET /challenges?model=&epoch=
 *   GET /finalisations?model=&epoch=                   GET /roll-forwards?model=
 *   GET /settlements              GET /claims?account=&path=          GET /withdrawals?kind=&model=
 *   GET /contributors/:address    summary: contributions, models that used them, earnings, claimable + proof
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { DatabaseUnreachableError, type SqlDatabase } from "./db.js";
import {
  contributionView,
  contributorSummary,
  datanetView,
  listPage,
  modelView,
  paymentView,
  QueryError,
  status,
  type Filters,
} from "./queries.js";

type Params = URLSearchParams;
type Handler = (db: SqlDatabase, match: RegExpExecArray, query: Params) => Promise<unknown>;

const intParam = (query: Params, name: string): number | undefined => {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
    throw new QueryError(`${name} must be a whole number (got "${v}")`);
  return Number(v);
};
const addressParam = (query: Params, name: string): string | undefined => {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  if (!/^0x[0-9a-fA-F]{40}$/.test(v))
    throw new QueryError(`${name} must be an address (0x + 40 hex digits, got "${v}")`);
  return v.toLowerCase();
};
const choiceParam = (query: Params, name: string, allowed: readonly string[]): string | undefined => {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  if (!allowed.includes(v)) throw new QueryError(`${name} must be one of ${allowed.join(", ")} (got "${v}")`);
  return v;
};
const page = (query: Params) => ({ limit: intParam(query, "limit"), after: query.get("after") ?? undefined });
const pathInt = (v: string, what: string) => {
  if (!Number.isSafeInteger(Number(v))) throw new QueryError(`${what} must be a whole number (got "${v}")`);
  return Number(v);
};

const list =
  (table: string, filters: (q: Params) => Filters, columns?: string): Handler =>
  (db, _m, q) =>
    listPage(db, table, filters(q), page(q), columns);

const NOT_FOUND = Symbol("not found");
const orNotFound = <T>(v: T | undefined) => (v === undefined ? NOT_FOUND : v);

const ROUTES: [RegExp, Handler][] = [
  [/^\/status$/, (db) => status(db)],
  [
    /^\/events$/,
    list("events", (q) => ({ contract: q.get("contract") ?? undefined, name: q.get("name") ?? undefined })),
  ],
  [/^\/datanets$/, list("datanets", () => ({}))],
  [/^\/datanets\/(\d+)$/, async (db, m) => orNotFound(await datanetView(db, pathInt(m[1], "datanet id")))],
  [
    /^\/contributions$/,
    list("contributions", (q) => ({
      datanet_id: intParam(q, "datanet"),
      contributor: addressParam(q, "contributor"),
      status: choiceParam(q, "status", ["Pending", "Accepted", "Rejected", "Withdrawn"]),
    })),
  ],
  [
    /^\/contributions\/(\d+)\/(0x[0-9a-fA-F]{64})$/,
    async (db, m) => orNotFound(await contributionView(db, pathInt(m[1], "datanet id"), m[2])),
  ],
  [/^\/versions$/, list("versions", (q) => ({ datanet_id: intParam(q, "datanet") }))],
  [/^\/models$/, list("models", () => ({}))],
  [/^\/models\/(\d+)$/, async (db, m) => orNotFound(await modelView(db, pathInt(m[1], "model id")))],
  [
    /^\/payments$/,
    list("payments", (q) => ({
      model_id: intParam(q, "model"),
      payer: addressParam(q, "payer"),
      epoch: intParam(q, "epoch"),
    })),
  ],
  [/^\/payments\/(0x[0-9a-fA-F]{64})$/, async (db, m) => orNotFound(await paymentView(db, m[1]))],
  [
    /^\/commitments$/,
    list("commitments", (q) => ({
      model_id: intParam(q, "model"),
      epoch: intParam(q, "epoch"),
      status: choiceParam(q, "status", ["Committed", "Challenged", "Voided"]),
    })),
  ],
  [
    /^\/challenges$/,
    list("challenges", (q) => ({ model_id: intParam(q, "model"), epoch: intParam(q, "epoch") })),
  ],
  [
    /^\/finalisations$/,
    list("finalisations", (q) => ({ model_id: intParam(q, "model"), epoch: intParam(q, "epoch") })),
  ],
  [/^\/roll-forwards$/, list("roll_forwards", (q) => ({ model_id: intParam(q, "model") }))],
  [/^\/settlements$/, list("settlements", () => ({}))],
  [
    /^\/claims$/,
    list("claims", (q) => ({
      account: addressParam(q, "account"),
      path: choiceParam(q, "path", ["settlement", "direct"]),
    })),
  ],
  [
    /^\/withdrawals$/,
    list("withdrawals", (q) => ({
      kind: choiceParam(q, "kind", ["owner", "treasury", "foreign"]),
      model_id: intParam(q, "model"),
    })),
  ],
  [
    /^\/contributors\/(0x[0-9a-fA-F]{40})$/,
    (db, m, q) => contributorSummary(db, m[1], { contributionsLimit: intParam(q, "limit") }),
  ],
];

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = json(body);
  res.writeHead(code, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

/** Answers one request against `db` (exported for tests that skip the socket). */
export async function handle(
  db: SqlDatabase,
  method: string,
  rawUrl: string,
): Promise<{ code: number; body: unknown }> {
  if (method !== "GET" && method !== "HEAD")
    return { code: 405, body: { error: `${method} is not allowed: the API is read-only (GET)` } };
  const url = new URL(rawUrl, "http://127.0.0.1");
  for (const [pattern, handler] of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    try {
      const body = await handler(db, match, url.searchParams);
      if (body === NOT_FOUND) return { code: 404, body: { error: `nothing at ${url.pathname}` } };
      return { code: 200, body };
    } catch (error) {
      if (error instanceof QueryError) return { code: 400, body: { error: error.message } };
      if (error instanceof DatabaseUnreachableError) return { code: 503, body: { error: error.message } };
      throw error;
    }
  }
  return {
    code: 404,
    body: { error: `no route ${url.pathname}: see GET /status and the list in docs/indexer.md` },
  };
}

/** Starts the API on 127.0.0.1:`port` (0 = any free port); resolves once it listens. */
export async function startApi(
  db: SqlDatabase,
  port: number,
  log: (line: string) => void = () => undefined,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(db, req.method ?? "GET", req.url ?? "/").then(
      ({ code, body }) => send(res, code, body),
      (error: unknown) => {
        log(`api: ${req.url}: ${(error as Error).message}`);
        send(res, 500, { error: `internal error: ${(error as Error).message.split("\n")[0]}` });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === "EADDRINUSE"
            ? `port ${port} on 127.0.0.1 is in use: pass another --port`
            : `cannot listen on 127.0.0.1:${port} (${e.message})`,
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
