/**
 * Reading published tables, dumps and contributed texts: `file://` URLs, plain local paths, and
 * http(s) URLs under one network policy ({@link FetchPolicy}, docs/cli.md "Fetching published
 * files", SECURITY.md):
 *
 * - `https://` to any public host;
 * - plain `http://` only to a loopback host (127.0.0.0/8, localhost, ::1), unless
 *   `OPENLEDGER_ALLOW_HTTP=1` (plain http can be altered in transit);
 * - never to a private, link-local or otherwise non-public address (10/8, 172.16/12,
 *   192.168/16, 169.254/16 such as cloud metadata, fc00::/7, fe80::/10, ...), whether the URL
 *   names it or a host name resolves to it, unless `OPENLEDGER_ALLOW_PRIVATE=1`: URIs come from
 *   the chain, so anyone could otherwise point a verifier or an indexer at an internal service;
 * - redirects are followed (at most {@link MAX_REDIRECTS}), each hop under the same rules, and
 *   never from a public host to a loopback or private one;
 * - at most `OPENLEDGER_FETCH_MAX_MB` MiB (default 512) and no silence longer than
 *   {@link FETCH_TIMEOUT_MS} (30 s) nor a transfer longer than {@link FETCH_DEADLINE_MS} (10 min);
 * - a URL whose last segment is a keccak256 (`--publish-url`) is content-addressed: the bytes
 *   must hash to it. Whatever the URL, what is read is then checked against the chain (a table
 *   against its committed root, a dump against the settlement root).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { readFile } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { keccak256 } from "ethers";

/** Raised for a URI the policy will not read; the message says why and what to do. */
export class UriRefusedError extends Error {
  override name = "UriRefusedError";
}

/** Reads the text a URI points to. */
export type FetchText = (uri: string) => Promise<string>;
/** Reads the bytes a URI points to (contributed texts and outputs, whose keccak256 is checked). */
export type FetchBytes = (uri: string) => Promise<Uint8Array>;

/** Most silence allowed while connecting or reading, in milliseconds. */
export const FETCH_TIMEOUT_MS = 30_000;
/** Longest a whole transfer may take, in milliseconds. */
export const FETCH_DEADLINE_MS = 600_000;
/** Largest file read by default, in bytes (512 MiB: about a 1,000,000-account settlement dump). */
export const FETCH_MAX_BYTES = 512 * 1024 * 1024;
/** Most redirects followed. */
export const MAX_REDIRECTS = 5;

/** The network policy of the http(s) reader. */
export interface FetchPolicy {
  /** Plain http to hosts other than loopback (`OPENLEDGER_ALLOW_HTTP=1`). */
  allowHttp: boolean;
  /** Private, link-local and other non-public addresses (`OPENLEDGER_ALLOW_PRIVATE=1`). */
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  deadlineMs: number;
  maxRedirects: number;
}

/** The policy from the environment: the defaults above unless `OPENLEDGER_*` says otherwise. */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): FetchPolicy {
  const flag = (name: string) => /^(1|true|yes)$/i.test(env[name] ?? "");
  const mb = Number(env.OPENLEDGER_FETCH_MAX_MB);
  return {
    allowHttp: flag("OPENLEDGER_ALLOW_HTTP"),
    allowPrivate: flag("OPENLEDGER_ALLOW_PRIVATE"),
    maxBytes: Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : FETCH_MAX_BYTES,
    timeoutMs: FETCH_TIMEOUT_MS,
    deadlineMs: FETCH_DEADLINE_MS,
    maxRedirects: MAX_REDIRECTS,
  };
}

/** Where an address or host name points: this machine, a non-public network, or anywhere. */
export type HostScope = "loopback" | "private" | "public";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Not reachable on the public internet: RFC 1918, CGNAT, link-local, unspecified, multicast, reserved, ULA. */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  NON_PUBLIC.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  NON_PUBLIC.addSubnet(net, bits, "ipv6");

/** The scope of an IP address (IPv4-mapped IPv6 as its IPv4). */
export function addressScope(address: string): HostScope {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(bare);
  const ip = mapped ? mapped[1] : bare;
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (LOOPBACK.check(ip, family)) return "loopback";
  if (NON_PUBLIC.check(ip, family)) return "private";
  return "public";
}

/** True for 127.0.0.0/8, localhost (and *.localhost) and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return isIP(host) !== 0 && addressScope(host) === "loopback";
}

/** The scope a URL's host names before any lookup: a literal address's, localhost's, or public for a name. */
export function hostScope(hostname: string): HostScope {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isLoopbackHost(host)) return "loopback";
  return isIP(host) !== 0 ? addressScope(host) : "public";
}

/** What kind of location a URI is, without reading it. */
export function classifyUri(uri: string): "file" | "http" | "path" | "refused" {
  if (/^file:/i.test(uri)) return "file";
  if (/^https?:/i.test(uri)) return "http";
  // Any other scheme (ipfs:, ar:, ...) is not something we read: publish through an https gateway.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return "refused";
  return "path";
}

/** The keccak256 an http(s) URL names as its last path segment (`.../0x<64 hex>`), if any. */
export function contentAddress(url: URL): string | undefined {
  const last = url.pathname.split("/").at(-1) ?? "";
  return /^0x[0-9a-fA-F]{64}$/.test(last) ? last.toLowerCase() : undefined;
}

const ALLOW_PRIVATE_HINT =
  "set OPENLEDGER_ALLOW_PRIVATE=1 if you mean to read from your own network, or download the file and pass a local path";

/**
 * Checks an http(s) URL against the policy before any connection; `from` is the URL that
 * redirected to it. Sends nothing.
 * @throws UriRefusedError saying why and what to do.
 */
export function checkFetchUrl(uri: string, policy: FetchPolicy = policyFromEnv(), from?: URL): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new UriRefusedError(`refusing to read "${uri}": not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UriRefusedError(
      `refusing to read "${uri}": only file:// URLs, local paths and http(s) URLs are read (an ipfs:// file: its https gateway URL)`,
    );
  const scope = hostScope(url.hostname);
  if (from && hostScope(from.hostname) === "public" && scope !== "public")
    throw new UriRefusedError(
      `refusing to read "${uri}": ${from.host} redirected to a ${scope} address; download the file and pass a local path`,
    );
  if (scope === "private" && !policy.allowPrivate)
    throw new UriRefusedError(
      `refusing to read "${uri}": host "${url.hostname}" is a private or link-local address; ${ALLOW_PRIVATE_HINT}`,
    );
  if (url.protocol === "http:" && scope !== "loopback" && !policy.allowHttp)
    throw new UriRefusedError(
      `refusing to read "${uri}": plain http, and host "${url.hostname}" is not a loopback address (plain http can be altered in transit); publish it over https, or set OPENLEDGER_ALLOW_HTTP=1 to read it anyway (what is read is still checked against the chain)`,
    );
  return url;
}

/**
 * Checks the addresses a host name resolved to: a public name must not lead to this machine or
 * a private network (DNS can say anything), unless the policy allows private addresses.
 * @throws UriRefusedError naming the address.
 */
export function checkResolvedAddress(hostname: string, address: string, policy: FetchPolicy): void {
  const named = hostScope(hostname);
  const actual = addressScope(address);
  if (actual === "public" || actual === named || policy.allowPrivate) return;
  throw new UriRefusedError(
    `refusing to read from "${hostname}": it resolves to ${address}, a ${actual} address; ${ALLOW_PRIVATE_HINT}`,
  );
}

/** A DNS lookup for the http agents that refuses what {@link checkResolvedAddress} refuses. */
function guardedLookup(policy: FetchPolicy) {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      try {
        for (const a of addresses) checkResolvedAddress(hostname, a.address, policy);
      } catch (refused) {
        return callback(refused as Error, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      callback(null, first.address, first.family);
    });
  };
}

/** GETs `url` under the policy, following redirects; the body in bytes. */
async function httpGet(url: URL, policy: FetchPolicy, redirects = 0): Promise<Uint8Array> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const seconds = (ms: number) => `${ms / 1000} s`;
  const response = await new Promise<IncomingMessage>((done, fail) => {
    const req = request(url, {
      method: "GET",
      lookup: guardedLookup(policy),
      timeout: policy.timeoutMs,
      headers: { accept: "*/*", "user-agent": "openledger-suite" },
    });
    req.on("timeout", () =>
      req.destroy(new Error(`GET ${url.href}: no answer for ${seconds(policy.timeoutMs)}; try again later`)),
    );
    req.on("error", fail);
    req.on("response", done);
    req.end();
  });
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400 && response.headers.location !== undefined) {
    response.resume();
    if (redirects >= policy.maxRedirects)
      throw new Error(
        `GET ${url.href}: more than ${policy.maxRedirects} redirects; fetch the final URL directly`,
      );
    const next = checkFetchUrl(new URL(response.headers.location, url).href, policy, url);
    return httpGet(next, policy, redirects + 1);
  }
  if (status !== 200) {
    response.resume();
    throw new Error(`GET ${url.href} answered HTTP ${status} ${response.statusMessage ?? ""}`.trimEnd());
  }
  const tooLarge = (size: number) =>
    new Error(
      `GET ${url.href}: the file is larger than ${size > policy.maxBytes ? size : policy.maxBytes} bytes, over the limit of ${policy.maxBytes} (set OPENLEDGER_FETCH_MAX_MB to raise it)`,
    );
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > policy.maxBytes) {
    response.destroy();
    throw tooLarge(declared);
  }
  return new Promise<Uint8Array>((done, fail) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const deadline = setTimeout(
      () =>
        response.destroy(
          new Error(
            `GET ${url.href}: the transfer took longer than ${seconds(policy.deadlineMs)}; try again later`,
          ),
        ),
      policy.deadlineMs,
    );
    response.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > policy.maxBytes) response.destroy(tooLarge(length));
      else chunks.push(chunk);
    });
    response.on("error", (error) => {
      clearTimeout(deadline);
      fail(error);
    });
    response.on("end", () => {
      clearTimeout(deadline);
      done(new Uint8Array(Buffer.concat(chunks, length)));
    });
  });
}

/**
 * The default reader: `file://` URLs and local paths from disk (relative to `root`, default the
 * working directory), http(s) under the policy (default: from the environment).
 * @throws UriRefusedError for what the policy refuses, Error for a read or HTTP failure.
 */
export async function fetchText(uri: string, root = process.cwd(), policy?: FetchPolicy): Promise<string> {
  return new TextDecoder().decode(await fetchBytes(uri, root, policy));
}

/** The bytes at a URI, under the rules of {@link fetchText}. */
export async function fetchBytes(
  uri: string,
  root = process.cwd(),
  policy: FetchPolicy = policyFromEnv(),
): Promise<Uint8Array> {
  switch (classifyUri(uri)) {
    case "file":
      return readFile(fileURLToPath(uri));
    case "path":
      return readFile(resolve(root, uri));
    case "http": {
      const url = checkFetchUrl(uri, policy);
      const bytes = await httpGet(url, policy);
      const named = contentAddress(url);
      if (named !== undefined && keccak256(bytes) !== named)
        throw new Error(
          `GET ${uri} answered bytes whose keccak256 is ${keccak256(bytes)}, not the ${named} the URL names: the published file was altered`,
        );
      return bytes;
    }
    default:
      throw new UriRefusedError(
        `refusing to read "${uri}": only file:// URLs, local paths and http(s) URLs are read (an ipfs:// file: its https gateway URL)`,
      );
  }
}
