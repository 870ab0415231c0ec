/**
 * Publishing a table or settlement dump where others can fetch it: the file is copied into a
 * directory served over http(s) (for example by the indexer's API, `GET /files/<keccak256>`)
 * under its content hash, and the URI committed on chain is `<base>/<keccak256>`, so whoever
 * fetches it can check the bytes against the name (src/verifier/fetch.ts does).
 */
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { keccak256 } from "ethers";
import { InputError } from "./inputs.js";

/** Where `--publish-dir` and `--publish-url` say to publish; both or neither. */
export interface PublishTarget {
  dir: string;
  baseUrl: string;
}

/** Checks `--publish-dir` and `--publish-url` together; undefined when neither is given. */
export function publishTarget(
  dir: string | undefined,
  baseUrl: string | undefined,
): PublishTarget | undefined {
  if (dir === undefined && baseUrl === undefined) return undefined;
  if (dir === undefined || baseUrl === undefined)
    throw new InputError(
      "give --publish-dir <dir> and --publish-url <base> together: the directory a server publishes, and its URL",
    );
  if (!/^https?:\/\/[^\s/]+/i.test(baseUrl))
    throw new InputError(
      `--publish-url "${baseUrl}" is not an http(s) URL, e.g. http://127.0.0.1:8642/files`,
    );
  return { dir, baseUrl: baseUrl.replace(/\/+$/, "") };
}

/** Copies `path` to `<dir>/<keccak256>` and returns the URI to commit, `<base>/<keccak256>`. */
export async function publishFile(path: string, target: PublishTarget): Promise<string> {
  const hash = keccak256(await readFile(path));
  await mkdir(target.dir, { recursive: true });
  await copyFile(path, join(target.dir, hash));
  return `${target.baseUrl}/${hash}`;
}
