/**
 * The index over HTTP on 127.0.0.1: JSON, read-only, every list paginated (`?limit=&after=`, the
 * answer's `next` is the following page's `after`; `?form=rows` gives a page in the compact form,
 * the columns once and each item an array of values). Errors are JSON `{ "error": "<one line>" }`
 * with 400 (bad parameter), 404 (unknown route or id) or 503 (the database is unreachable).
 *
 *   GET /status
 *   GET /events?contract=&name=&except=               raw decoded events, chain order (`except`: contracts left out, comma-separated), pages of up to 10,000
 *   GET /datanets                 GET /datanets/:id   (versions, curators and currentCurators, counts by status)
 *   GET /datanets/:id/contributions                   the datanet's contributions in submission order, pages of up to 10,000;
 *                                                     form=ndjson: the whole datanet in one streamed answer (`contributionLines`),
 *                                                     or with status= and limit= its first limit contributions of that status
 *   GET /contributions?datanet=&contributor=&status=
 *   GET /contributions/:datanetId/:contributionId      (status history)
 *   GET /versions?datanet=
 *   GET /models                   GET /models/:id     (versions, training inputs, lineage, derivatives)
 *   GET /payments?model=&payer=&epoch=                 GET /payments/:txHash (split, royalties)
 *   GET /commitments?model=&epoch=&status=             GET /challenges?model=&epoch=
 *   GET /finalisations?model=&epoch=                   GET /roll-forwards?model=
 *   GET /settlements              each posted root with status (pending/activated/rejected), window end, disputes
 *   GET /settlements/:id          every root posted under that number, with status, rejection and disputes
 *   GET /settlements/disputes?root=&operator=&disputer=   proven disputes: fault, account, slash, reward
 *   GET /settlements/window       the dispute window's changes
 *   GET /claims?account=&path=    GET /withdrawals?kind=&model=
 *   GET /usage/payers/:address    escrow balance, pending withdrawal, deposits, redeemed vouchers, withdrawals
 *   GET /usage/models/:id         voucher revenue per epoch, units and payers
 *   GET /usage/vouchers?payer=&model=&root=           redeemed vouchers with their usage roots
 *   GET /usage/deposits?payer=    GET /usage/withdrawals?payer=&kind=
 *   GET /contributors/:address    summary: contributions, models that used them, earnings, claimable + proof
 *   GET /contributors/:address/used-by    the model versions trained on its contributions (?usedBy=false leaves them out of the summary)
 *   GET /contributors/:address/earnings   per (model, epoch): amount, covered by the settlement, direct proof
 *   GET /files/:keccak256         a published table or settlement dump (indexer --files <dir>)
 *   GET /totals                                       counts and every amount in or out of the distributor
 *   GET /contributions/:datanetId/:contributionId/proofs   inclusion proof in each version
 *   GET /models/:id/epochs        payments per epoch with commitment, challenge and finalisation state
 *   GET /models/:id/epochs/:epoch/attribution   the committed table's top contributors with leaf proofs
 *   GET /tx/:hash                 every decoded event of a transaction
 *   GET /search?q=                what an address, id, content hash or transaction hash names
 *   GET /staking/operators        GET /staking/operators/:address   each pool as its events made it
 *   GET /staking/stakes?operator=&account=            GET /staking/unstakes?operator=&account=
 *   GET /staking/withdrawals?operator=&account=       GET /staking/claims?operator=&account=&kind=
 *   GET /staking/slashes?operator=&beneficiary=       GET /staking/bonds?operator=
 *   GET /staking/pool-rewards?operator=               GET /staking/commission?operator=
 *   GET /staking/accounts/:address                    one staker's positions per operator
 *   GET /token/transfers?from=&to=                    GET /token/balances/:address
 *
 * With `corsOrigins`, answers carry Access-Control-Allow-Origin for those origins ("*" for any),
 * so an explorer built statically and served from another origin can read the API.
 */
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { keccak256 } from "ethers";
import { DatabaseUnreachableError, type SqlDatabase, type SqlValue } from "./db.js";
import {
  contributionLines,
  contributionView,
  contributorSummary,
  CONTRIBUTION_COLUMNS,
  datanetView,
  listPage,
  listRowsPage,
  MAX_BULK_PAGE,
  modelView,
  paymentView,
  QueryError,
  status,
  usedByModels,
  type Filters,
  type ListOptions,
} from "./queries.js";
import {
  accountEarnings,
  attributionView,
  contributionProofs,
  modelEpochs,
  search,
  totals,
  transactionView,
} from "./views.js";
import { operatorsView, operatorView, stakerView, tokenBalance } from "./staking.js";
import { disputeWindowChanges, settlementsPage, settlementView } from "./settlements.js";
import { modelUsage, payerView } from "./usage.js";

type Params = URLSearchParams;
type Handler = (db: SqlDatabase, match: RegExpExecArray, query: Params) => Promise<unknown>;

/** Reads one query parameter, checked: undefined when absent, a one-line 400 when malformed. */
type Param<T> = (query: Params) => T | undefined;

/** A query parameter read by `parse` (which throws a QueryError when it is malformed); absent or empty: undefined. */
const param =
  <T>(name: string, parse: (v: string) => T): Param<T> =>
  (query) => {
    const v = query.get(name);
    return v === null || v === "" ? undefined : parse(v);
  };
const intParam = (name: string) =>
  param(name, (v) => {
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
      throw new QueryError(`${name} must be a whole number (got "${v}")`);
    return Number(v);
  });
/** `0x` and `digits` hex digits (an address, a hash), lower-cased. */
const hexParam = (name: string, digits: number, what: string) =>
  param(name, (v) => {
    if (!new RegExp(`^0x[0-9a-fA-F]{${digits}}$`).test(v))
      throw new QueryError(`${name} must be ${what} (0x + ${digits} hex digits, got "${v}")`);
    return v.toLowerCase();
  });
const addressParam = (name: string) => hexParam(name, 40, "an address");
const hashParam = (name: string) => hexParam(name, 64, "a 32-byte hash");
const choiceParam = (name: string, allowed: readonly string[]) =>
  param(name, (v) => {
    if (!allowed.includes(v))
      throw new QueryError(`${name} must be one of ${allowed.join(", ")} (got "${v}")`);
    return v;
  });
/** The parameter as given (an empty one included). */
const textParam =
  (name: string): Param<string> =>
  (query) =>
    query.get(name) ?? undefined;
/** `except=datanets,token`: the contracts whose events a list leaves out. */
const exceptParam = (query: Params): string[] | undefined =>
  query
    .get("except")
    ?.split(",")
    .map((c) => c.trim())
    .filter(Boolean);
const page = (query: Params) => ({ limit: intParam("limit")(query), after: textParam("after")(query) });
const pathInt = (v: string, what: string) => {
  if (!Number.isSafeInteger(Number(v))) throw new QueryError(`${what} must be a whole number (got "${v}")`);
  return Number(v);
};

/** `form=rows`: a list's page in the compact form (`RowsPage`: the columns once, each item an array). */
const formParam = choiceParam("form", ["objects", "rows"]);

/**
 * A list route: a page of `table` filtered by `filters` (each read from the query string, or from
 * the path's match), with `options` (or the options a request's query gives).
 */
const list =
  (
    table: string,
    filters: Record<string, (query: Params, match: RegExpExecArray) => SqlValue | undefined> = {},
    columns?: string,
    options: ListOptions | ((query: Params) => ListOptions) = {},
  ): Handler =>
  (db, m, q) => {
    const where: Filters = {};
    for (const [column, param] of Object.entries(filters)) where[column] = param(q, m);
    const listOptions = typeof options === "function" ? options(q) : options;
    return formParam(q) === "rows"
      ? listRowsPage(db, table, where, page(q), columns, listOptions)
      : listPage(db, table, where, page(q), columns, listOptions);
  };

/** A contribution's status as the lists take it. */
const contributionStatus = choiceParam("status", ["Pending", "Accepted", "Rejected", "Withdrawn"]);

const NOT_FOUND = Symbol("not found");
const orNotFound = <T>(v: T | undefined) => (v === undefined ? NOT_FOUND : v);

const byOperatorAndAccount = { operator: addressParam("operator"), account: addressParam("account") };
const byModel = { model_id: intParam("model") };
const byModelAndEpoch = { ...byModel, epoch: intParam("epoch") };

const ROUTES: [RegExp, Handler][] = [
  [/^\/status$/, (db) => status(db)],
  [
    /^\/events$/,
    list("events", { contract: textParam("contract"), name: textParam("name") }, "*", (q) => ({
      except: { contract: exceptParam(q) },
      maxLimit: MAX_BULK_PAGE,
    })),
  ],
  [/^\/datanets$/, list("datanets")],
  [
    /^\/datanets\/(\d+)\/contributions$/,
    list("contributions", { datanet_id: (_q, m) => pathInt(m[1], "datanet id") }, CONTRIBUTION_COLUMNS, {
      maxLimit: MAX_BULK_PAGE,
    }),
  ],
  [/^\/datanets\/(\d+)$/, async (db, m) => orNotFound(await datanetView(db, pathInt(m[1], "datanet id")))],
  [
    /^\/contributions$/,
    list("contributions", {
      datanet_id: intParam("datanet"),
      contributor: addressParam("contributor"),
      contribution_id: hashParam("id"),
      content_hash: hashParam("content"),
      status: contributionStatus,
    }),
  ],
  [
    /^\/contributions\/(\d+)\/(0x[0-9a-fA-F]{64})$/,
    async (db, m) => orNotFound(await contributionView(db, pathInt(m[1], "datanet id"), m[2])),
  ],
  [
    /^\/contributions\/(\d+)\/(0x[0-9a-fA-F]{64})\/proofs$/,
    (db, m) => contributionProofs(db, pathInt(m[1], "datanet id"), m[2]),
  ],
  [/^\/versions$/, list("versions", { datanet_id: intParam("datanet") })],
  [/^\/models$/, list("models")],
  [
    /^\/models\/(\d+)\/epochs\/(\d+)\/attribution$/,
    async (db, m) => orNotFound(await attributionView(db, pathInt(m[1], "model id"), pathInt(m[2], "epoch"))),
  ],
  [/^\/models\/(\d+)\/epochs$/, (db, m) => modelEpochs(db, pathInt(m[1], "model id"))],
  [/^\/models\/(\d+)$/, async (db, m) => orNotFound(await modelView(db, pathInt(m[1], "model id")))],
  [/^\/payments$/, list("payments", { ...byModelAndEpoch, payer: addressParam("payer") })],
  [/^\/payments\/(0x[0-9a-fA-F]{64})$/, async (db, m) => orNotFound(await paymentView(db, m[1]))],
  [
    /^\/commitments$/,
    list("commitments", {
      ...byModelAndEpoch,
      status: choiceParam("status", ["Committed", "Challenged", "Voided"]),
    }),
  ],
  [/^\/challenges$/, list("challenges", byModelAndEpoch)],
  [/^\/finalisations$/, list("finalisations", byModelAndEpoch)],
  [/^\/roll-forwards$/, list("roll_forwards", byModel)],
  [/^\/settlements$/, (db, _m, q) => settlementsPage(db, page(q))],
  [
    /^\/settlements\/disputes$/,
    list("settlement_disputes", {
      root: hashParam("root"),
      operator: addressParam("operator"),
      disputer: addressParam("disputer"),
    }),
  ],
  [/^\/settlements\/window$/, (db) => disputeWindowChanges(db)],
  [
    /^\/settlements\/(\d+)$/,
    async (db, m) => orNotFound(await settlementView(db, pathInt(m[1], "settlement id"))),
  ],
  [/^\/usage\/payers\/(0x[0-9a-fA-F]{40})$/, (db, m, q) => payerView(db, m[1], page(q))],
  [/^\/usage\/models\/(\d+)$/, (db, m) => modelUsage(db, pathInt(m[1], "model id"))],
  [
    /^\/usage\/vouchers$/,
    list("voucher_redemptions", {
      payer: addressParam("payer"),
      ...byModel,
      usage_root: hashParam("root"),
    }),
  ],
  [/^\/usage\/deposits$/, list("usage_deposits", { payer: addressParam("payer") })],
  [
    /^\/usage\/withdrawals$/,
    list("usage_withdrawals", {
      payer: addressParam("payer"),
      kind: choiceParam("kind", ["requested", "cancelled", "withdrawn"]),
    }),
  ],
  [
    /^\/claims$/,
    list("claims", {
      account: addressParam("account"),
      path: choiceParam("path", ["settlement", "direct"]),
    }),
  ],
  [
    /^\/withdrawals$/,
    list("withdrawals", {
      kind: choiceParam("kind", ["owner", "treasury", "foreign"]),
      ...byModel,
    }),
  ],
  [
    /^\/contributors\/(0x[0-9a-fA-F]{40})$/,
    (db, m, q) =>
      contributorSummary(db, m[1], {
        contributionsLimit: intParam("limit")(q),
        usedBy: choiceParam("usedBy", ["true", "false"])(q) !== "false",
      }),
  ],
  [/^\/contributors\/(0x[0-9a-fA-F]{40})\/used-by$/, (db, m) => usedByModels(db, m[1])],
  [/^\/contributors\/(0x[0-9a-fA-F]{40})\/earnings$/, (db, m) => accountEarnings(db, m[1])],
  [/^\/totals$/, (db) => totals(db)],
  [/^\/staking\/operators$/, (db) => operatorsView(db)],
  [/^\/staking\/operators\/(0x[0-9a-fA-F]{40})$/, async (db, m) => orNotFound(await operatorView(db, m[1]))],
  [/^\/staking\/stakes$/, list("stakes", byOperatorAndAccount)],
  [/^\/staking\/unstakes$/, list("unstake_requests", byOperatorAndAccount)],
  [/^\/staking\/withdrawals$/, list("stake_withdrawals", byOperatorAndAccount)],
  [
    /^\/staking\/claims$/,
    list("reward_claims", {
      ...byOperatorAndAccount,
      kind: choiceParam("kind", ["staker", "commission"]),
    }),
  ],
  [
    /^\/staking\/slashes$/,
    list("slashes", {
      operator: addressParam("operator"),
      beneficiary: addressParam("beneficiary"),
    }),
  ],
  [/^\/staking\/bonds$/, list("operator_bonds", { operator: addressParam("operator") })],
  [/^\/staking\/pool-rewards$/, list("pool_rewards", { operator: addressParam("operator") })],
  [/^\/staking\/commission$/, list("commission_changes", { operator: addressParam("operator") })],
  [/^\/staking\/accounts\/(0x[0-9a-fA-F]{40})$/, (db, m) => stakerView(db, m[1])],
  [
    /^\/token\/transfers$/,
    list("token_transfers", {
      from_address: addressParam("from"),
      to_address: addressParam("to"),
    }),
  ],
  [/^\/token\/balances\/(0x[0-9a-fA-F]{40})$/, (db, m) => tokenBalance(db, m[1])],
  [/^\/tx\/(0x[0-9a-fA-F]{64})$/, async (db, m) => orNotFound(await transactionView(db, m[1]))],
  [
    /^\/search$/,
    (db, _m, q) => {
      const term = q.get("q") ?? "";
      if (term.trim() === "")
        throw new QueryError(
          "q is empty: give an address, a model or datanet id, a content hash or a tx hash",
        );
      return search(db, term);
    },
  ],
];

/**
 * The body's JSON. Rows reach here formatted (no bigint), and a replacer function costs a call per
 * value (a page of 10,000 contributions: 22-50 ms with it, 11-46 ms without at a load of 7-10): only
 * a value that is a bigint, which plain `JSON.stringify` refuses with a TypeError, needs it.
 */
const json = (value: unknown) => {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
};

function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = json(body);
  res.writeHead(code, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(text);
}

/**
 * Parses `--cors-origins`: a comma-separated list of origins (`https://explorer.example`) or `*`.
 * Each must be an http(s) origin with no path; anything else is refused in one line.
 */
export function parseCorsOrigins(list: string | undefined): string[] {
  if (list === undefined || list.trim() === "") return [];
  const origins = list
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (o === "*") continue;
    let u: URL | undefined;
    try {
      u = new URL(o);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== "http:" && u.protocol !== "https:") || u.origin !== o.replace(/\/$/, ""))
      throw new QueryError(
        `--cors-origins "${o}" is not an origin: give scheme://host[:port] (e.g. https://explorer.example) or *`,
      );
  }
  return origins.map((o) => o.replace(/\/$/, ""));
}

/** The CORS headers for a request from `origin` (none when it is not allowed). */
export function corsHeaders(allowed: readonly string[], origin: string | undefined): Record<string, string> {
  if (!origin || allowed.length === 0) return {};
  const any = allowed.includes("*");
  if (!any && !allowed.includes(origin)) return {};
  return {
    "access-control-allow-origin": any ? "*" : origin,
    "access-control-allow-methods": "GET, HEAD, OPTIONS",
    "access-control-allow-headers": "content-type",
    "access-control-max-age": "600",
    ...(any ? {} : { vary: "Origin" }),
  };
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

const FILE_ROUTE = /^\/files\/(0x[0-9a-fA-F]{64})$/;

/**
 * `GET /datanets/:id/contributions?form=ndjson`: the whole datanet in one streamed answer, or with
 * `status=` and `limit=` (a whole number from 1) its first `limit` contributions of that status.
 */
const NDJSON_ROUTE = /^\/datanets\/(\d+)\/contributions$/;

/**
 * Writes a datanet's contributions as the lines of {@link contributionLines} (404 when there is no
 * such datanet, 400 for a malformed `status` or `limit`, 503 when the database is unreachable
 * before the first line), each line as soon as it is read and only as fast as the client takes
 * them. A failure after the first line cuts the answer short, which the client sees (no end line).
 */
async function streamContributions(
  db: SqlDatabase,
  datanetId: number,
  query: Params,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  let lines: AsyncGenerator<string> | undefined;
  try {
    const limit = intParam("limit")(query);
    if (limit === 0) throw new QueryError(`limit must be a whole number from 1 (got "0")`);
    const status = contributionStatus(query);
    lines = await contributionLines(db, datanetId, { limit, status });
  } catch (error) {
    if (error instanceof QueryError) return send(res, 400, { error: error.message }, headers);
    if (!(error instanceof DatabaseUnreachableError)) throw error;
    return send(res, 503, { error: error.message }, headers);
  }
  if (lines === undefined) return send(res, 404, { error: `nothing at /datanets/${datanetId}` }, headers);
  res.writeHead(200, {
    ...headers,
    "content-type": "application/x-ndjson; charset=utf-8",
    "cache-control": "no-store",
  });
  for await (const line of lines) if (!res.write(line)) await once(res, "drain");
  res.end();
}

/**
 * `GET /files/<keccak256>`: a published table or settlement dump from `filesDir` (written there
 * by `--publish-dir`), served only when its bytes still hash to its name.
 */
export async function serveFile(
  filesDir: string | undefined,
  pathname: string,
): Promise<{ code: number; bytes?: Uint8Array; body?: unknown } | undefined> {
  const match = FILE_ROUTE.exec(pathname);
  if (!match) return undefined;
  if (filesDir === undefined)
    return {
      code: 404,
      body: { error: "this API publishes no files: start the indexer with --files <dir>" },
    };
  const hash = match[1]!.toLowerCase();
  const bytes = await readFile(join(filesDir, hash)).catch(() => undefined);
  if (bytes === undefined) return { code: 404, body: { error: `no published file ${hash}` } };
  if (keccak256(bytes) !== hash)
    return { code: 500, body: { error: `published file ${hash} no longer hashes to its name` } };
  return { code: 200, bytes };
}

/** Listens on 127.0.0.1:`port` (0 = any free port); a port in use is refused in one line. */
export async function listenOnLoopback(server: Server, port: number): Promise<void> {
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
}

/**
 * Starts the API on 127.0.0.1:`port` (0 = any free port); resolves once it listens. With
 * `filesDir`, it also serves the files published there (`GET /files/<keccak256>`).
 */
export async function startApi(
  db: SqlDatabase,
  port: number,
  log: (line: string) => void = () => undefined,
  options: { filesDir?: string; corsOrigins?: readonly string[] } = {},
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const allowed = options.corsOrigins ?? [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { pathname, searchParams: query } = new URL(req.url ?? "/", "http://127.0.0.1");
    const cors = corsHeaders(allowed, req.headers.origin);
    if (req.method === "OPTIONS") {
      // A preflight: allowed origins get the CORS headers, others a bare 204 the browser refuses.
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (FILE_ROUTE.test(pathname) && (req.method === "GET" || req.method === "HEAD")) {
      serveFile(options.filesDir, pathname).then(
        (file) => {
          if (file?.bytes === undefined) return send(res, file?.code ?? 404, file?.body, cors);
          res.writeHead(200, {
            ...cors,
            "content-type": "application/octet-stream",
            "cache-control": "no-store",
          });
          res.end(req.method === "HEAD" ? undefined : file.bytes);
        },
        (error: unknown) => send(res, 500, { error: (error as Error).message.split("\n")[0] }, cors),
      );
      return;
    }
    const ndjson = NDJSON_ROUTE.exec(pathname);
    if (ndjson && req.method === "GET" && query.get("form") === "ndjson") {
      streamContributions(db, Number(ndjson[1]), query, res, cors).catch((error: unknown) => {
        log(`api: ${req.url}: ${(error as Error).message}`);
        if (!res.headersSent)
          send(res, 500, { error: `internal error: ${(error as Error).message.split("\n")[0]}` }, cors);
        else res.destroy();
      });
      return;
    }
    handle(db, req.method ?? "GET", req.url ?? "/").then(
      ({ code, body }) => send(res, code, body, cors),
      (error: unknown) => {
        log(`api: ${req.url}: ${(error as Error).message}`);
        send(res, 500, { error: `internal error: ${(error as Error).message.split("\n")[0]}` }, cors);
      },
    );
  });
  await listenOnLoopback(server, port);
  const address = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
