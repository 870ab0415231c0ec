/**
 * Loading the contributions of an attribution run: the manifest (what the SDK derives from the
 * datanet registry's events) and the contribution text files, each named by its content hash.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createKeccak } from "hash-wasm";
import { startProgress, type ProgressOptions } from "./progress.js";
import { decodeUtf8, forEachToken, SEPARATOR_TOKEN_ID, TokenDictionary } from "./tokenizer.js";

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
 */
export interface ManifestEntry {
  contributionId: string;
  contentHash: string;
  contributor: string;
  datanetId: string;
  size: number;
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
    return {
      contributionId,
      contentHash,
      contributor: contributor.toLowerCase(),
      datanetId: BigInt(datanetId).toString(),
      size,
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

class TokenBuffer {
  data = new Uint32Array(1 << 16);
  length = 0;
  push(id: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = id;
  }
}

/**
 * Reads every distinct content of `manifest` from `dir` (one file at a time, never the whole
 * corpus as one string), checks that keccak256 of its bytes equals its name, and tokenizes it
 * into one token stream. Documents are read in ascending content-hash order, which fixes the
 * dictionary's ids. A missing file or a hash mismatch throws {@link AttributionInputError}.
 */
export async function loadCorpus(
  dir: string,
  manifest: readonly ManifestEntry[],
  progress: ProgressOptions = {},
): Promise<Corpus> {
  const contributions = [...manifest].sort((a, b) => compareHex(a.contributionId, b.contributionId));
  const byHash = new Map<string, number[]>();
  contributions.forEach((c, i) => {
    const list = byHash.get(c.contentHash);
    if (list === undefined) byHash.set(c.contentHash, [i]);
    else list.push(i);
  });
  const hashes = [...byHash.keys()].sort(compareHex);
  const dictionary = new TokenDictionary();
  const tokens = new TokenBuffer();
  const documents: CorpusDocument[] = [];
  const hasher = await createKeccak(256);
  const bar = startProgress("indexing: reading", hashes.length, progress);
  let bytes = 0;
  for (const contentHash of hashes) {
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
    if (actual !== contentHash) {
      throw new AttributionInputError(
        `contribution file ${join(dir, name)} is refused: its keccak256 is ${actual}, not the ${contentHash} its name claims; ` +
          `re-fetch the original content (or remove the file and its manifest entry)`,
      );
    }
    bytes += data.length;
    const start = tokens.length;
    forEachToken(decodeUtf8(data), (t) => tokens.push(dictionary.intern(t)));
    documents.push({
      contentHash,
      contributions: byHash.get(contentHash) ?? [],
      start,
      length: tokens.length - start,
    });
    tokens.push(SEPARATOR_TOKEN_ID);
    bar.tick();
  }
  bar.done();
  const documentStarts = Uint32Array.from(documents, (d) => d.start);
  return {
    contributions,
    documents,
    documentStarts,
    tokens: tokens.data.slice(0, tokens.length),
    dictionary,
    bytes,
  };
}

/** Orders 0x-hex strings of equal length (lower-case) by value. */
export function compareHex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
