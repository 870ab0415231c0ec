/**
 * The SDK's side of the indexer: reads the suite's events from a running indexer's API instead of
 * the node's logs (one HTTP page per 1,000 events instead of every `eth_getLogs` since block 0), in
 * the `SuiteEvent` shape `buildLedger` folds. Used by `readSuiteEvents` when an indexer is
 * configured (`OPENLEDGER_INDEXER` or the `indexer` option), and by the verifier to compare an index
 * with the chain (`compareIndexWithChain`).
 */
import { getAddress, type EventFragment, type Interface, type ParamType } from "ethers";
import type { SuiteEvent } from "./events.js";
import type { ContributionNode, DatanetNode } from "./ledger.js";
import type { ContributionStatusName } from "../constants.js";
import { suiteInterfaces, type SuiteAddresses, type SuiteContractName } from "../suite.js";

/** Environment variable naming the indexer the SDK and the CLI read from. */
export const INDEXER_ENV = "OPENLEDGER_INDEXER";

/** The indexer could not be used as asked: one line saying why and what to do. */
export class IndexerClientError extends Error {
  override name = "IndexerClientError";
}

/** The configured indexer URL: the explicit option, else `OPENLEDGER_INDEXER`, else none. */
export function configuredIndexer(explicit?: string): string | undefined {
  const url = explicit || process.env[INDEXER_ENV] || undefined;
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new IndexerClientError(
      `indexer "${url}" is not an http(s) URL: pass --indexer http://127.0.0.1:8642 or unset ${INDEXER_ENV}`,
    );
  }
  return url.replace(/\/+$/, "");
}

/**
 * Runs `body` with the SDK's event reads of this process going to `explicit` (a CLI's `--indexer`),
 * checked as `configuredIndexer` checks it, and restores the previous setting after; without
 * `explicit`, `OPENLEDGER_INDEXER` (or the logs) stays in force.
 */
export async function withIndexer<T>(explicit: string | undefined, body: () => Promise<T>): Promise<T> {
  if (!explicit) return body();
  const previous = process.env[INDEXER_ENV];
  process.env[INDEXER_ENV] = configuredIndexer(explicit);
  try {
    return await body();
  } finally {
    if (previous === undefined) delete process.env[INDEXER_ENV];
    else process.env[INDEXER_ENV] = previous;
  }
}

let interfaces: Record<string, Interface> | undefined;
/** Event fragments by `contract.name` (ethers' `getEvent` searches the ABI on every call). */
const eventFragments = new Map<string, EventFragment | null>();
/**
 * Checksummed addresses by their lower-case form: an index holds addresses lower-case, and a
 * ledger names the same few accounts again and again (a checksum is a keccak of the address).
 */
const checksummed = new Map<string, string>();
const checksum = (address: string): string => {
  let out = checksummed.get(address);
  if (out === undefined) checksummed.set(address, (out = getAddress(address)));
  return out;
};

/** A JSON value of the index (integers as decimal strings) as ethers decodes it: bigints, checksummed addresses. */
function revive(type: ParamType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (type.isArray()) return (value as unknown[]).map((v) => revive(type.arrayChildren, v));
  if (type.isTuple()) {
    const out: Record<string, unknown> = {};
    type.components.forEach((c, i) => {
      const key = c.name || String(i);
      out[key] = revive(c, (value as Record<string, unknown>)[key]);
    });
    return out;
  }
  if (type.baseType.startsWith("uint") || type.baseType.startsWith("int")) return BigInt(value as string);
  if (type.baseType === "address") return checksum(value as string);
  return value;
}

/** The event's arguments typed as `readSuiteEvents` gives them from the logs (TypeChain's shapes). */
export function reviveArgs(
  contract: string,
  name: string,
  args: Record<string, unknown>,
): Record<string, unknown> {
  interfaces ??= suiteInterfaces();
  const key = `${contract}.${name}`;
  let event = eventFragments.get(key);
  if (event === undefined) eventFragments.set(key, (event = interfaces[contract]?.getEvent(name) ?? null));
  if (!event) return args;
  const out: Record<string, unknown> = { ...args };
  event.inputs.forEach((input, i) => {
    const key = input.name || String(i);
    out[key] = revive(input, args[key]);
  });
  return out;
}

/** GET `path` of the indexer at `base`; an indexer that cannot be reached is one line. */
async function request(base: string, path: string): Promise<Response> {
  try {
    return await fetch(base + path, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new IndexerClientError(
      `indexer at ${base} unreachable (${cause}): start it (npm run indexer) or unset ${INDEXER_ENV} to read the logs`,
    );
  }
}

/** Throws the one line of an answer that is not a success (its JSON `error`, when it has one). */
async function failed(base: string, path: string, res: Response): Promise<never> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  throw new IndexerClientError(
    `indexer at ${base} answered ${res.status} to ${path}: ${body.error ?? "no detail"}`,
  );
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const res = await request(base, path);
  if (!res.ok) await failed(base, path, res);
  return (await res.json().catch(() => ({}))) as T;
}

/** What `/status` says. */
export interface IndexerStatus {
  schemaVersion: number;
  chainId: string;
  addresses: Record<string, string>;
  startBlock: number;
  cursor: { number: number; hash: string; timestamp: number } | null;
  events: number;
}

export function indexerStatus(base: string): Promise<IndexerStatus> {
  return getJson<IndexerStatus>(base, "/status");
}

/** The index's `/status` after checking that it indexes this chain and these addresses. */
async function checkedStatus(
  base: string,
  expected: { chainId: bigint; addresses: SuiteAddresses },
): Promise<IndexerStatus> {
  return checkStatus(base, await indexerStatus(base), expected);
}

/** `status` when it says the index is of this chain and these addresses; else a one-line error. */
function checkStatus(
  base: string,
  status: IndexerStatus,
  expected: { chainId: bigint; addresses: SuiteAddresses },
): IndexerStatus {
  if (BigInt(status.chainId) !== expected.chainId)
    throw new IndexerClientError(
      `indexer at ${base} indexes chain ${status.chainId}, not ${expected.chainId}: point ${INDEXER_ENV} at this network's indexer`,
    );
  for (const name of ["datanets", "models", "attribution", "distributor", "staking", "token"] as const) {
    if (status.addresses[name] !== expected.addresses[name].toLowerCase())
      throw new IndexerClientError(
        `indexer at ${base} indexes another deployment (${name} ${status.addresses[name]}, not ${expected.addresses[name].toLowerCase()}): point ${INDEXER_ENV} at this deployment's indexer`,
      );
  }
  return status;
}

/**
 * Every indexed event of the suite, in chain order, after checking that the index is of this
 * chain and these addresses. `toBlock` bounds the read (default: everything indexed).
 */
export async function readIndexedEvents(
  base: string,
  expected: { chainId: bigint; addresses: SuiteAddresses },
  options: {
    toBlock?: number;
    fromBlock?: number;
    /** Contracts whose events are left out (read by other means: `readIndexedDatanet`). */
    exceptContracts?: readonly SuiteContractName[];
    /**
     * The index holds every OPEN transfer; only the Transfer events from or to one of these
     * addresses are given (as `readSuiteEvents` reads them from the logs), none by default.
     */
    tokenTransfersOf?: readonly string[];
  } = {},
): Promise<{ events: SuiteEvent[]; indexedTo: number }> {
  const status = await checkedStatus(base, expected);
  const indexedTo = status.cursor?.number ?? -1;
  const toBlock = Math.min(options.toBlock ?? indexedTo, indexedTo);
  const events: SuiteEvent[] = [];
  const watched = new Set((options.tokenTransfersOf ?? []).map((a) => a.toLowerCase()));
  // No watched address: the OPEN transfers are all dropped, so the index need not send them.
  const except = [...(options.exceptContracts ?? []), ...(watched.size === 0 ? ["token"] : [])];
  const path = except.length ? `/events?except=${except.join(",")}` : "/events";
  const from = options.fromBlock ? `${options.fromBlock - 1}.999999999` : null;
  for await (const e of listItems<{
    contract: string;
    name: string;
    args: Record<string, unknown>;
    blockNumber: number;
    logIndex: number;
    txHash: string;
  }>(base, path, 10_000, from)) {
    if (e.blockNumber > toBlock) break;
    if (e.contract === "token") {
      const a = e.args as { from?: string; to?: string };
      if (e.name !== "Transfer" || !(watched.has(String(a.from)) || watched.has(String(a.to)))) continue;
    }
    events.push({
      contract: e.contract as SuiteContractName,
      name: e.name,
      args: reviveArgs(e.contract, e.name, e.args),
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      transactionHash: e.txHash,
    });
  }
  return { events, indexedTo: toBlock };
}

/**
 * The items of a list route of the API, page after page (`next` tokens followed to the end, or
 * as far as the caller reads), from the page token `after` when given.
 */
async function* listItems<T>(
  base: string,
  path: string,
  limit: number,
  after: string | null = null,
): AsyncGenerator<T> {
  const sep = path.includes("?") ? "&" : "?";
  for (;;) {
    const page: { items: T[]; next: string | null } = await getJson(
      base,
      `${path}${sep}limit=${limit}${after ? `&after=${after}` : ""}`,
    );
    yield* page.items;
    if (!page.next) return;
    after = page.next;
  }
}

/** Which of a datanet's contributions to read: the first `limit` (all when undefined) of one `status`. */
export interface ContributionSelection {
  limit?: number;
  status?: ContributionStatusName;
}

/**
 * A datanet's head (its row in the index), how many of its contributions match the selection's
 * status, and the selected contributions, each an array of the values of `columns`, from the API's
 * streamed answer (`GET /datanets/:id/contributions?form=ndjson`): each line is parsed as it
 * arrives, while the indexer reads the next. Undefined when the index has no such datanet; an
 * answer cut short (no end line) is an error.
 */
async function readDatanetLines(
  base: string,
  datanetId: bigint,
  columns: readonly string[],
  selection: ContributionSelection,
): Promise<{ head: Record<string, unknown>; matched: number; rows: unknown[][] } | undefined> {
  const query = [
    "form=ndjson",
    ...(selection.status ? [`status=${selection.status}`] : []),
    ...(selection.limit !== undefined ? [`limit=${selection.limit}`] : []),
  ];
  const path = `/datanets/${datanetId}/contributions?${query.join("&")}`;
  const res = await request(base, path);
  if (res.status === 404) return undefined;
  if (!res.ok || res.body === null) await failed(base, path, res);
  let head: Record<string, unknown> | undefined;
  let matched: number | undefined;
  let at: number[] = [];
  let ended = false;
  const rows: unknown[][] = [];
  const take = (line: string) => {
    if (line === "") return;
    const value = JSON.parse(line) as unknown;
    if (Array.isArray(value)) {
      // The columns asked for lead each row in that order (as the API writes them): taken as they are.
      if (at.every((a, i) => a === i)) for (const row of value as unknown[][]) rows.push(row);
      else for (const row of value as unknown[][]) rows.push(at.map((a) => row[a]));
      return;
    }
    const meta = value as {
      datanet?: Record<string, unknown>;
      columns?: string[];
      matched?: number;
      end?: boolean;
    };
    if (meta.end) ended = true;
    else if (meta.datanet && meta.columns) {
      if (meta.matched === undefined)
        throw new IndexerClientError(
          `indexer at ${base} answered ${path} without the count of matching contributions: update the indexer (npm run indexer)`,
        );
      head = meta.datanet;
      matched = meta.matched;
      at = columns.map((c) => meta.columns!.indexOf(c));
      if (at.includes(-1))
        throw new IndexerClientError(
          `indexer at ${base} answered ${path} without ${columns[at.indexOf(-1)]}: update the indexer (npm run indexer)`,
        );
    }
  };
  // A line spans many chunks: its bytes are joined and decoded once, when its end arrives.
  const pieces: Buffer[] = [];
  const line = () => {
    take(Buffer.concat(pieces).toString("utf8"));
    pieces.length = 0;
  };
  try {
    const reader = res.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = read.value;
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let start = 0;
      for (let end = bytes.indexOf(10); end >= 0; end = bytes.indexOf(10, start)) {
        pieces.push(bytes.subarray(start, end));
        line();
        start = end + 1;
      }
      if (start < bytes.length) pieces.push(bytes.subarray(start));
    }
    line();
  } catch (error) {
    if (error instanceof IndexerClientError) throw error;
    throw new IndexerClientError(
      `indexer at ${base} broke off ${path} (${(error as Error).message}): retry, or unset ${INDEXER_ENV} to read the logs`,
    );
  }
  if (!ended || head === undefined || matched === undefined)
    throw new IndexerClientError(
      `indexer at ${base} ended ${path} early: retry, or unset ${INDEXER_ENV} to read the logs`,
    );
  return { head, matched, rows };
}

/** Every item of a list route of the API. */
async function readAllPages<T>(base: string, path: string, limit: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of listItems<T>(base, path, limit)) out.push(item);
  return out;
}

/**
 * A read of one datanet from an index: its status before, the datanet (its contributions those
 * selected), how many contributions match the selection's status in all, its status after.
 */
export type DatanetRead = Promise<{
  before: IndexerStatus;
  datanet: DatanetNode | undefined;
  matched: number;
  after: IndexerStatus;
}>;

/**
 * Starts reading datanet `datanetId` from the index at `base` before the chain it must be of is
 * known (`ledger show` starts it while it connects to the node); {@link readIndexedDatanet} takes
 * it, checks the index, and throws what it failed with. Nothing is used unchecked.
 */
export function startDatanetRead(
  base: string,
  datanetId: bigint,
  selection: ContributionSelection = {},
): DatanetRead {
  const read = (async () => {
    const before = await indexerStatus(base);
    const { datanet, matched } = await readDatanetTables(base, datanetId, selection);
    return { before, datanet, matched, after: await indexerStatus(base) };
  })();
  // Its failure is thrown where it is taken; a command that failed first never takes it.
  read.catch(() => undefined);
  return read;
}

/**
 * One datanet as the index holds it at its cursor, as `buildLedger` would have folded it from the
 * events up to that block: its owner, licence, metadata, contributions (in submission order, with
 * their current status; only the first `selection.limit` of `selection.status` when given) and
 * versions; undefined when the index has no such datanet. `matched`: how many of its contributions
 * have that status (all of them without one). The index's tables are read, never its events, so
 * the cost is the selection's size, not the ledger's. The cursor is read before and after: when
 * the index moved meanwhile (it is syncing) the read is repeated, so the datanet is the one of
 * `indexedTo`. `started`: the first read, already under way ({@link startDatanetRead}) with the
 * same selection.
 */
export async function readIndexedDatanet(
  base: string,
  expected: { chainId: bigint; addresses: SuiteAddresses },
  datanetId: bigint,
  started?: DatanetRead,
  selection: ContributionSelection = {},
): Promise<{ datanet: DatanetNode | undefined; matched: number; indexedTo: number }> {
  for (let attempt = 0; ; attempt++) {
    const read = attempt === 0 && started ? started : startDatanetRead(base, datanetId, selection);
    const { before, datanet, matched, after } = await read;
    checkStatus(base, before, expected);
    if (after.cursor?.hash === before.cursor?.hash)
      return { datanet, matched, indexedTo: before.cursor?.number ?? -1 };
    if (attempt === 4)
      throw new IndexerClientError(
        `indexer at ${base} moved on while datanet ${datanetId} was read, five times: retry, or unset ${INDEXER_ENV} to read the logs`,
      );
  }
}

async function readDatanetTables(
  base: string,
  datanetId: bigint,
  selection: ContributionSelection,
): Promise<{ datanet: DatanetNode | undefined; matched: number }> {
  const [datanet, versions] = await Promise.all([
    readDatanetLines(
      base,
      datanetId,
      ["contributionId", "contributor", "contentHash", "uri", "status", "blockNumber"],
      selection,
    ),
    readAllPages<{
      versionNumber: number;
      merkleRoot: string;
      contributionCount: number;
      parentVersion: number;
      uri: string;
      blockNumber: number;
    }>(base, `/versions?datanet=${datanetId}`, 1_000),
  ]);
  if (datanet === undefined) return { datanet: undefined, matched: 0 };
  const head = datanet.head as { owner: string; licence: number; metadataUri: string };
  const contributions = new Map<string, ContributionNode>();
  for (const [contributionId, contributor, contentHash, uri, status, submittedBlock] of datanet.rows)
    contributions.set(contributionId as string, {
      contributionId: contributionId as string,
      datanetId,
      contributor: contributor as string,
      contentHash: contentHash as string,
      uri: uri as string,
      status: status as ContributionStatusName,
      submittedBlock: submittedBlock as number,
    });
  const node: DatanetNode = {
    datanetId,
    owner: head.owner,
    licence: Number(head.licence),
    metadataURI: head.metadataUri,
    contributions,
    versions: versions.map((v) => ({
      datanetId,
      versionNumber: BigInt(v.versionNumber),
      merkleRoot: v.merkleRoot,
      contributionCount: BigInt(v.contributionCount),
      parentVersion: BigInt(v.parentVersion),
      uri: v.uri,
      blockNumber: v.blockNumber,
    })),
  };
  return { datanet: node, matched: datanet.matched };
}

/** One place where an index and the chain's logs disagree. */
export interface IndexDifference {
  kind: "missing" | "extra" | "different";
  blockNumber: number;
  logIndex: number;
  detail: string;
}

/**
 * An array of structs as ethers' `Result.toObject(true)` may give it (an object keyed 0..n-1, or
 * `{ _: item }` for one item) as the array it is.
 */
function arrayLike(v: unknown): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  const indexed = keys.length > 0 && keys.every((k, i) => k === String(i));
  return indexed || (keys.length === 1 && keys[0] === "_") ? Object.values(v) : v;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") return v.toLowerCase();
    return arrayLike(v);
  });

/**
 * Compares the events an indexer holds with the events read from the chain's logs, up to the
 * indexer's cursor: every event missing from the index, every extra one, and every one whose
 * contract, name, transaction or arguments differ.
 */
export function compareEvents(
  fromChain: readonly SuiteEvent[],
  fromIndex: readonly SuiteEvent[],
): IndexDifference[] {
  const key = (e: SuiteEvent) => `${e.blockNumber}:${e.logIndex}`;
  const indexed = new Map(fromIndex.map((e) => [key(e), e]));
  const out: IndexDifference[] = [];
  for (const c of fromChain) {
    const i = indexed.get(key(c));
    indexed.delete(key(c));
    const where = { blockNumber: c.blockNumber, logIndex: c.logIndex };
    if (!i) {
      out.push({
        kind: "missing",
        ...where,
        detail: `${c.contract}.${c.name} of tx ${c.transactionHash} is not in the index`,
      });
      continue;
    }
    if (
      i.contract !== c.contract ||
      i.name !== c.name ||
      i.transactionHash.toLowerCase() !== c.transactionHash.toLowerCase()
    )
      out.push({
        kind: "different",
        ...where,
        detail: `the chain has ${c.contract}.${c.name} (tx ${c.transactionHash}), the index ${i.contract}.${i.name} (tx ${i.transactionHash})`,
      });
    else if (canonical(c.args) !== canonical(i.args))
      out.push({
        kind: "different",
        ...where,
        detail: `${c.contract}.${c.name} arguments differ: chain ${canonical(c.args)}, index ${canonical(i.args)}`,
      });
  }
  for (const i of indexed.values())
    out.push({
      kind: "extra",
      blockNumber: i.blockNumber,
      logIndex: i.logIndex,
      detail: `the index has ${i.contract}.${i.name} (tx ${i.transactionHash}) that the chain's logs do not`,
    });
  return out.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}
