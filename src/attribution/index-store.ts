/**
 * The span index on disk, by content: built once for a set of contributed texts (a datanet
 * version, or the union a model was trained on) and reopened for every epoch and model that
 * uses the same texts, by the operator and by the verifier.
 *
 * Layout: `<store>/<key>/` where `key` is keccak256 of the format name and the sorted distinct
 * content hashes, so the same texts always give the same directory whatever the contributions
 * pointing at them. The corpus is cut into shards of about `shardTokens` tokens (whole
 * documents, in content-hash order); each shard's tokens and suffix array are built, written
 * and dropped before the next is read, so building never holds more than one shard's suffix
 * array work space. Files: `shard-<n>.tokens` (uint32 LE), `shard-<n>.sa` (int32 LE),
 * `dictionary.txt` (one token a line, in id order), and `index.json`, written last (its presence
 * marks a complete index).
 *
 * A span is the same whatever the sharding: the longest match at a position is the longest over
 * the shards, held by every document reaching it ({@link matchShards}).
 */
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createKeccak } from "hash-wasm";
import { AttributionInputError, compareHex } from "./corpus.js";
import type { Corpus, CorpusDocument, ManifestEntry } from "./corpus.js";
import { startProgress, type ProgressOptions } from "./progress.js";
import { ShardedSpanIndex, SpanIndex } from "./span-index.js";
import { corpusRuns, IndexTaskRunner, tokenizeRuns, type CorpusReadOptions } from "./corpus-runs.js";
import { SEPARATOR_TOKEN_ID, TokenDictionary } from "./tokenizer.js";

/** Name and version of the on-disk format (part of the key). */
export const INDEX_FORMAT = "openledger-span-index/1";

/** Default shard size in tokens (about 64 Mi tokens, ~0.9 GB of suffix-array work space). */
export const DEFAULT_SHARD_TOKENS = 1 << 26;

/**
 * Bytes a shard's build holds per token: its tokens and suffix array (8), SA-IS's types and LMS
 * lists (about 3.7 on text) and its first recursion (about 2.5), rounded up.
 */
const SHARD_BUILD_BYTES_PER_TOKEN = 16;
/** Memory the shards built at once may hold together (2.5 GB: two default shards). */
const SHARD_BUILD_BUDGET = 2.5e9;

interface IndexFile {
  format: string;
  key: string;
  bytes: number;
  shards: { tokens: number; documents: { contentHash: string; start: number; length: number }[] }[];
}

/** The store key of a set of contents: keccak256 of the format and the sorted distinct content hashes. */
export async function corpusKey(contentHashes: Iterable<string>): Promise<string> {
  const hashes = [...new Set([...contentHashes].map((h) => h.toLowerCase()))].sort(compareHex);
  const hasher = await createKeccak(256);
  return (
    "0x" +
    hasher
      .init()
      .update(`${INDEX_FORMAT}\n${hashes.join("\n")}`)
      .digest("hex")
  );
}

/** Options of {@link openOrBuildIndex}: how the texts are read, and the shard size. */
export interface IndexStoreOptions extends CorpusReadOptions {
  /** Tokens per shard (default {@link DEFAULT_SHARD_TOKENS}). */
  shardTokens?: number;
}

/** Whether `storeDir` holds a complete index of `manifest`'s contents (no text needs reading). */
export async function hasStoredIndex(storeDir: string, manifest: readonly ManifestEntry[]): Promise<boolean> {
  return existsSync(join(storeDir, await corpusKey(manifest.map((m) => m.contentHash)), "index.json"));
}

/**
 * Opens the stored index of `manifest`'s contents under `storeDir`, building it first from the
 * texts in `corpusDir` (named `<contentHash>.txt`, keccak256 checked) if the store has none.
 */
export async function openOrBuildIndex(
  storeDir: string,
  corpusDir: string,
  manifest: readonly ManifestEntry[],
  options: IndexStoreOptions = {},
): Promise<ShardedSpanIndex> {
  const key = await corpusKey(manifest.map((m) => m.contentHash));
  const dir = join(storeDir, key);
  if (!existsSync(join(dir, "index.json"))) await buildIndexFiles(dir, key, corpusDir, manifest, options);
  return openIndex(dir, manifest);
}

function littleEndian(): void {
  if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1)
    throw new Error("the on-disk span index is little-endian; this machine is not");
}

/**
 * Builds and writes the shards of an index into `dir` (replaced if partial). The texts are read
 * and tokenized on worker threads ({@link tokenizeRuns}), and each full shard's suffix array is
 * built and written on a worker while the next shard is read: the files are the same with any
 * number of workers.
 */
export async function buildIndexFiles(
  dir: string,
  key: string,
  corpusDir: string,
  manifest: readonly ManifestEntry[],
  options: IndexStoreOptions = {},
): Promise<void> {
  littleEndian();
  const shardTokens = options.shardTokens ?? DEFAULT_SHARD_TOKENS;
  if (!Number.isSafeInteger(shardTokens) || shardTokens < 1)
    throw new RangeError(`shardTokens must be an integer >= 1, got ${shardTokens}`);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const runs = corpusRuns(manifest, options.runBytes);
  const runner = new IndexTaskRunner(IndexTaskRunner.workersFor(options, runs.length));
  const dictionary = new TokenDictionary();
  const bar = startProgress(
    "indexing",
    runs.reduce((t, r) => t + r.length, 0),
    options.progress ?? {},
  );
  const file: IndexFile = { format: INDEX_FORMAT, key, bytes: 0, shards: [] };
  // A shard's buffer is allocated at its full size once (its pages are taken only as they are
  // filled): growing it by doubling copied it and left the smaller ones to the collector.
  const capacity = shardTokens + 1;
  let buffer = new Uint32Array(capacity);
  let length = 0;
  let documents: IndexFile["shards"][number]["documents"] = [];
  // Shards being built: at most one a worker, and no more than the memory budget holds.
  const building: Promise<unknown>[] = [];
  const maxBuilding = Math.max(
    1,
    Math.min(runner.workers, Math.floor(SHARD_BUILD_BUDGET / (SHARD_BUILD_BYTES_PER_TOKEN * shardTokens))),
  );
  const flush = async () => {
    if (documents.length === 0) return;
    const n = file.shards.length;
    const tokens = buffer.subarray(0, length);
    building.push(
      runner.run(
        { kind: "shard", dir: partial, n, tokens, upper: dictionary.maxId },
        runner.threaded ? [buffer.buffer] : [],
      ),
    );
    file.shards.push({ tokens: length, documents });
    documents = [];
    length = 0;
    buffer = new Uint32Array(capacity);
    while (building.length >= maxBuilding) await building.shift();
  };
  try {
    file.bytes = await tokenizeRuns(
      corpusDir,
      runs,
      dictionary,
      runner,
      async (contentHash, runIds, toCorpus) => {
        const count = runIds.length;
        if (length + count + 1 > buffer.length) {
          // A document longer than what is left of a shard: the buffer grows to what it needs.
          const bigger = new Uint32Array(length + count + 1);
          bigger.set(buffer.subarray(0, length));
          buffer = bigger;
        }
        const start = length;
        for (let i = 0; i < count; i++) buffer[length++] = toCorpus[runIds[i]];
        documents.push({ contentHash, start, length: count });
        buffer[length++] = SEPARATOR_TOKEN_ID;
        if (length >= shardTokens) await flush();
        bar.tick();
      },
    );
    await flush();
    await Promise.all(building);
  } finally {
    await runner.close();
  }
  const words: string[] = [];
  // Ids are given in order from FIRST_TOKEN_ID, so re-interning the list rebuilds them.
  for (const token of dictionary.tokens()) words.push(token);
  await writeFile(join(partial, "dictionary.txt"), words.join("\n"));
  await writeFile(join(partial, "index.json"), JSON.stringify(file));
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  bar.done();
}

/**
 * Reads a file of 32-bit words into shared memory (so worker threads use it without a copy).
 * `make` views the buffer as the wanted array type.
 */
async function readShared<T extends Uint32Array | Int32Array>(
  path: string,
  make: (b: SharedArrayBuffer) => T,
): Promise<T> {
  const handle = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
    throw new AttributionInputError(
      `${path} cannot be read (${error.code ?? error.message}): rebuild the index`,
    );
  });
  try {
    const { size } = await handle.stat();
    const buffer = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    for (let done = 0; done < size;) {
      const { bytesRead } = await handle.read(bytes, done, Math.min(size - done, 1 << 26), done);
      if (bytesRead === 0)
        throw new AttributionInputError(`${path} is shorter than its size: rebuild the index`);
      done += bytesRead;
    }
    return make(buffer);
  } finally {
    await handle.close();
  }
}

/**
 * Opens a stored index and attaches `manifest`'s contributions to its documents. Only the
 * headers are read (the shard table, the documents, the dictionary); the shards' token and
 * suffix-array files are read on first use ({@link ShardedSpanIndex.load}, which attribution
 * calls), all at once, as a memory-mapped index would page them in.
 */
export async function openIndex(dir: string, manifest: readonly ManifestEntry[]): Promise<ShardedSpanIndex> {
  littleEndian();
  const file = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as IndexFile;
  if (file.format !== INDEX_FORMAT)
    throw new AttributionInputError(`${dir} holds a ${file.format} index, not ${INDEX_FORMAT}: rebuild it`);
  const dictionary = new TokenDictionary();
  const text = await readFile(join(dir, "dictionary.txt"), "utf8");
  if (text.length > 0) for (const token of text.split("\n")) dictionary.intern(token);
  const contributions = [...manifest].sort((a, b) => compareHex(a.contributionId, b.contributionId));
  const byHash = new Map<string, number[]>();
  contributions.forEach((c, i) => byHash.set(c.contentHash, [...(byHash.get(c.contentHash) ?? []), i]));
  const documents: CorpusDocument[] = [];
  const shardDocuments: CorpusDocument[][] = [];
  const docOffsets: number[] = [];
  for (const shard of file.shards) {
    const local: CorpusDocument[] = shard.documents.map((d) => ({
      contentHash: d.contentHash,
      contributions: byHash.get(d.contentHash) ?? [],
      start: d.start,
      length: d.length,
    }));
    docOffsets.push(documents.length);
    documents.push(...local);
    shardDocuments.push(local);
  }
  const indexed = new Set(documents.map((d) => d.contentHash));
  for (const c of contributions)
    if (!indexed.has(c.contentHash))
      throw new AttributionInputError(
        `${dir} does not index content ${c.contentHash}: it is another corpus's index`,
      );
  const loadShard = async (n: number): Promise<SpanIndex> => {
    const [tokens, sa] = await Promise.all([
      readShared(join(dir, `shard-${n}.tokens`), (b) => new Uint32Array(b)),
      readShared(join(dir, `shard-${n}.sa`), (b) => new Int32Array(b)),
    ]);
    if (tokens.length !== file.shards[n].tokens || sa.length !== tokens.length)
      throw new AttributionInputError(
        `${dir}: shard ${n} does not have the size index.json records: rebuild the index`,
      );
    const upper = dictionary.maxId;
    const bucketStart = new Int32Array(upper + 2);
    for (let i = 0; i < tokens.length; i++) bucketStart[tokens[i] + 1]++;
    for (let t = 0; t <= upper; t++) bucketStart[t + 1] += bucketStart[t];
    const local = shardDocuments[n];
    const corpus: Corpus = {
      contributions,
      documents: local,
      documentStarts: Uint32Array.from(local, (d) => d.start),
      tokens,
      dictionary,
      bytes: 0,
    };
    return SpanIndex.fromParts(corpus, sa, bucketStart);
  };
  const corpus: Corpus = {
    contributions,
    documents,
    documentStarts: Uint32Array.from(documents, (d) => d.start),
    tokens: new Uint32Array(0),
    dictionary,
    bytes: file.bytes,
  };
  return new ShardedSpanIndex(
    corpus,
    () => Promise.all(file.shards.map((_, n) => loadShard(n))),
    docOffsets,
    file.key,
  );
}
