/**
 * Loading the contributions of an attribution run: the manifest (what the SDK derives from the
 * datanet registry's events) and the contribution text files, each named by its content hash.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createKeccak } from "hash-wasm";
import type { TokenDictionary } from "./tokenizer.js";

/**
 * One accepted contribution, as listed in the manifest JSON file (an array of these).
 *
 * ```json
 * [{ "contributionId": "0x…64 hex", "contentHash": "0x…64 hex", "contributor": "0x…40 hex",
 *    "datanetId": "1", "size": 12345 }]
 * ```
 * `contentHash` is keccak256 of the file bytes; the file is `<contentHash>.txt` (lower-case
 * hex) in the corpus directory. `datanetId` is a decimal string (a number is accepted);
 * `size` is the size registered on chain, in bytes (method 2 spreads weight by it).
 * `versionNumber` (optional, decimal) is the datanet version the model was trained on that holds
 * the contribution; the table's breakdown names it.
 */
export interface ManifestEntry {
  contributionId: string;
  contentHash: string;
  contributor: string;
  datanetId: string;
  size: number;
  versionNumber?: string;
}

/** A document of the index: one distinct content, shared by one or more contributions. */
export interface CorpusDocument {
  contentHash: string;
  /** Indexes into {@link Corpus.contributions}, ascending. */
  contributions: number[];
  /** Position of the document's first token in {@link Corpus.tokens}. */
  start: number;
  /** Number of tokens (the separator that follows is not counted). */
  length: number;
}

/** The tokenized corpus: every document's token ids followed by a separator, in hash order. */
export interface Corpus {
  /** Contributions sorted by contributionId. */
  contributions: ManifestEntry[];
  /** Documents sorted by content hash. */
  documents: CorpusDocument[];
  /** Start position of each document, ascending (for position -> document lookups). */
  documentStarts: Uint32Array;
  /** Token ids; each document ends with {@link SEPARATOR_TOKEN_ID}. */
  tokens: Uint32Array;
  dictionary: TokenDictionary;
  /** Total bytes read. */
  bytes: number;
}

/** Thrown when an input is malformed; the message is one line saying what to do. */
export class AttributionInputError extends Error {
  override name = "AttributionInputError";
}

const HASH_RE = /^0x[0-9a-f]{64}$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** Validates and normalises (lower-case hex, string datanetId) manifest entries. */
export function parseManifest(raw: unknown, source = "manifest"): ManifestEntry[] {
  if (!Array.isArray(raw))
    throw new AttributionInputError(`${source}: expected a JSON array of contributions`);
  const seen = new Set<string>();
  return raw.map((item: unknown, i: number): ManifestEntry => {
    const where = `${source}[${i}]`;
    if (typeof item !== "object" || item === null)
      throw new AttributionInputError(`${where}: expected an object`);
    const e = item as Record<string, unknown>;
    const contributionId = String(e.contributionId ?? "").toLowerCase();
    const contentHash = String(e.contentHash ?? "").toLowerCase();
    const contributor = String(e.contributor ?? "");
    const datanetId =
      typeof e.datanetId === "number" ? BigInt(e.datanetId).toString() : String(e.datanetId ?? "");
    const size = e.size;
    if (!HASH_RE.test(contributionId))
      throw new AttributionInputError(`${where}: contributionId must be 0x + 64 hex`);
    if (!HASH_RE.test(contentHash))
      throw new AttributionInputError(`${where}: contentHash must be 0x + 64 hex`);
    if (!ADDRESS_RE.test(contributor))
      throw new AttributionInputError(`${where}: contributor must be 0x + 40 hex`);
    if (!/^[0-9]+$/.test(datanetId))
      throw new AttributionInputError(`${where}: datanetId must be a decimal integer`);
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      throw new AttributionInputError(`${where}: size must be a non-negative integer`);
    }
    if (seen.has(contributionId))
      throw new AttributionInputError(`${where}: duplicate contributionId ${contributionId}`);
    seen.add(contributionId);
    const version = e.versionNumber === undefined ? undefined : String(e.versionNumber);
    if (version !== undefined && !/^[0-9]+$/.test(version))
      throw new AttributionInputError(`${where}: versionNumber must be a decimal integer`);
    return {
      contributionId,
      contentHash,
      contributor: contributor.toLowerCase(),
      datanetId: BigInt(datanetId).toString(),
      size,
      ...(version === undefined ? {} : { versionNumber: BigInt(version).toString() }),
    };
  });
}

/** Reads and validates a manifest JSON file. */
export async function readManifest(path: string): Promise<ManifestEntry[]> {
  return parseManifest(JSON.parse(await readFile(path, "utf8")) as unknown, path);
}

/** keccak256 of `bytes` as 0x-prefixed lower-case hex. */
export async function contentHashOf(bytes: Uint8Array): Promise<string> {
  const hasher = await createKeccak(256);
  return "0x" + hasher.init().update(bytes).digest("hex");
}

/** File name of a contribution's content. */
export function contentFileName(contentHash: string): string {
  return `${contentHash.toLowerCase()}.txt`;
}

/**
 * The bytes of the contribution file `<contentHash>.txt` in `dir`, checked against its name: a
 * missing file or one whose keccak256 is not `contentHash` fails with what to do.
 */
export async function readContributionFile(
  dir: string,
  contentHash: string,
  hasher: Awaited<ReturnType<typeof createKeccak>>,
): Promise<Buffer> {
  const name = contentFileName(contentHash);
  let data: Buffer;
  try {
    data = await readFile(join(dir, name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new AttributionInputError(
      `contribution file ${name} is missing from ${dir} (${code}): fetch it from the contribution's URI`,
    );
  }
  const actual = "0x" + hasher.init().update(data).digest("hex");
  if (actual !== contentHash)
    throw new AttributionInputError(
      `contribution file ${join(dir, name)} is refused: its keccak256 is ${actual}, not the ${contentHash} its name claims; ` +
        `re-fetch the original content (or remove the file and its manifest entry)`,
    );
  return data;
}

/** Orders 0x-hex strings of equal length (lower-case) by value. */
export function compareHex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
