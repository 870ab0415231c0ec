/**
 * Reading published tables and settlement dumps: `file://` URLs, plain local paths, and http(s)
 * URLs on a loopback host only (127.0.0.0/8, localhost, ::1). Any other host is refused before a
 * connection is opened; redirects are refused too (a loopback server could redirect elsewhere).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Raised for a URI the verifier will not read; the message says why and what is allowed. */
export class UriRefusedError extends Error {
  override name = "UriRefusedError";
}

/** Reads the text a URI points to. */
export type FetchText = (uri: string) => Promise<string>;
/** Reads the bytes a URI points to (contributed texts and outputs, whose keccak256 is checked). */
export type FetchBytes = (uri: string) => Promise<Uint8Array>;

/** True for 127.0.0.0/8, localhost (and *.localhost) and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/** What kind of location a URI is, without reading it. */
export function classifyUri(uri: string): "file" | "http" | "path" | "refused" {
  if (/^file:/i.test(uri)) return "file";
  if (/^https?:/i.test(uri)) return "http";
  // Any other scheme (ipfs:, ar:, https on a public host...) is not something we read.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return "refused";
  return "path";
}

/** Default timeout of an http read, in milliseconds. */
export const FETCH_TIMEOUT_MS = 30_000;

/**
 * The verifier's default reader: `file://` URLs and local paths from disk (relative to `root`,
 * default the working directory), `http(s)://` on loopback hosts only.
 * @throws UriRefusedError for any other host or scheme, Error for a read or HTTP failure.
 */
export async function fetchText(uri: string, root = process.cwd()): Promise<string> {
  return new TextDecoder().decode(await fetchBytes(uri, root));
}

/** The bytes at a URI, under the rules of {@link fetchText}. */
export async function fetchBytes(uri: string, root = process.cwd()): Promise<Uint8Array> {
  switch (classifyUri(uri)) {
    case "file":
      return readFile(fileURLToPath(uri));
    case "path":
      return readFile(resolve(root, uri));
    case "http": {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw new UriRefusedError(`refusing to read "${uri}": not a valid URL`);
      }
      if (!isLoopbackHost(url.hostname)) {
        throw new UriRefusedError(
          `refusing to read "${uri}": host "${url.hostname}" is not a loopback address; the verifier reads http(s) tables only from 127.0.0.1, localhost or ::1 (download the table and pass a local path instead)`,
        );
      }
      const response = await fetch(url, {
        redirect: "error",
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`GET ${uri} answered HTTP ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    }
    default:
      throw new UriRefusedError(
        `refusing to read "${uri}": only file:// URLs, local paths and http(s) URLs on a loopback host are read`,
      );
  }
}
