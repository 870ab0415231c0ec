/**
 * Attribution engine benchmark (issue 6 scale budget): index N MB of contributions, then
 * attribute M outputs of ~1 KB, and print the figures as one JSON line.
 *
 *   npm run bench:attribution                       # 100 MB, 10,000 outputs (the budget)
 *   npm run bench:attribution -- --mb 5 --outputs 500
 *
 * The synthetic corpus is deterministic (seeded PRNG, Zipf-distributed words from a fixed
 * vocabulary, files of 5-50 KB named by keccak256) and cached under bench/tmp/ (gitignored);
 * about half of every output is copied from random corpus spans, the rest is fresh text.
 * Budget: index <= 120 s with <= 4 GB peak RSS; attribute 10,000 outputs <= 60 s.
 *
 *   --store           build the sharded on-disk index (buildIndexFiles, on worker threads) instead
 *                     of the in-memory one, then reopen it (headers only) and attribute (the
 *                     shards read first, counted in the outputs' time and shown apart as
 *                     shardsLoadSeconds): prints the offchain.attribution1GB figures
 *                     { indexSeconds, peakRssMB, reopenSeconds, outputs10kSeconds }
 *   --shard-tokens N  tokens per shard of the stored index (default DEFAULT_SHARD_TOKENS)
 *   --index-dir DIR   where --store keeps the index (default: index-store/ beside the corpus)
 *   --reuse-index     --store opens the index already in --index-dir instead of building it
 *                     again (indexSeconds and buildPeakRssMB are then null): for timing the
 *                     outputs alone against a large index built once
 *   --verifier        what the verifier does for one epoch (src/verifier/attribution.ts): read
 *                     every text by its file:// URI, check its keccak256, index, attribute the
 *                     outputs, compute the root: prints
 *                     offchain.verifierRecompute { seconds }
 *   --workers N       worker threads for indexing (--store) and attribution (default: one per core)
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { terminalProgress } from "../src/cli/progress.js";
import {
  ATTRIBUTION_LEAF_ENCODING,
  attributeOutputsFile,
  attributionLeafValues,
  buildSpanIndex,
  contentFileName,
  contentHashOf,
  DEFAULT_MIN_SPAN,
  buildIndexFiles,
  corpusKey,
  openOrBuildIndex,
  type ManifestEntry,
} from "../src/attribution/index.js";
import { fetchCorpusTexts, recomputeIndex } from "../src/verifier/attribution.js";

const { values: args } = parseArgs({
  options: {
    mb: { type: "string", default: "100" },
    outputs: { type: "string", default: "10000" },
    seed: { type: "string", default: "6" },
    "min-span": { type: "string", default: String(DEFAULT_MIN_SPAN) },
    quiet: { type: "boolean", default: false },
    store: { type: "boolean", default: false },
    verifier: { type: "boolean", default: false },
    workers: { type: "string" },
    "shard-tokens": { type: "string" },
    "index-dir": { type: "string" },
    "reuse-index": { type: "boolean", default: false },
  },
});
const corpusMB = Number(args.mb);
const outputCount = Number(args.outputs);
const seed = Number(args.seed);
const minSpan = Number(args["min-span"]);

/** mulberry32: small, fast, deterministic PRNG in [0, 1). */
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = 50_000;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

function makeVocabulary(rand: () => number): { words: string[]; cumulative: Float64Array } {
  const words: string[] = [];
  for (let i = 0; i < VOCABULARY; i++) {
    const len = 2 + Math.floor(rand() * 8);
    let w = "";
    for (let j = 0; j < len; j++) w += LETTERS[Math.floor(rand() * 26)];
    words.push(w);
  }
  // Zipf-ish: frequency of rank r proportional to 1 / (r + 1)^1.07.
  const cumulative = new Float64Array(VOCABULARY);
  let sum = 0;
  for (let r = 0; r < VOCABULARY; r++) cumulative[r] = sum += 1 / Math.pow(r + 1, 1.07);
  for (let r = 0; r < VOCABULARY; r++) cumulative[r] /= sum;
  return { words, cumulative };
}

function sampleWord(v: { words: string[]; cumulative: Float64Array }, rand: () => number): string {
  const x = rand();
  let a = 0;
  let b = VOCABULARY - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (v.cumulative[mid] < x) a = mid + 1;
    else b = mid;
  }
  return v.words[a];
}

function fresh(v: { words: string[]; cumulative: Float64Array }, rand: () => number, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  let sentence = 0;
  while (size < bytes) {
    let w = sampleWord(v, rand);
    if (sentence === 0) w = w[0].toUpperCase() + w.slice(1);
    sentence++;
    if (sentence > 8 && rand() < 0.1) {
      w += rand() < 0.8 ? "." : ",";
      sentence = 0;
    }
    parts.push(w);
    size += w.length + 1;
  }
  return parts.join(" ");
}

function hex(rand: () => number, bytes: number): string {
  let s = "0x";
  for (let i = 0; i < bytes; i++)
    s += Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0");
  return s;
}

async function generateCorpus(dir: string): Promise<ManifestEntry[]> {
  const marker = join(dir, "manifest.json");
  if (existsSync(marker)) return JSON.parse(await readFile(marker, "utf8")) as ManifestEntry[];
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const rand = prng(seed);
  const vocab = makeVocabulary(rand);
  const contributors = Array.from({ length: 400 }, () => hex(rand, 20));
  const manifest: ManifestEntry[] = [];
  let total = 0;
  const target = corpusMB * 1024 * 1024;
  while (total < target) {
    const size = Math.min(5 * 1024 + Math.floor(rand() * 45 * 1024), target - total + 1);
    const bytes = Buffer.from(fresh(vocab, rand, size), "utf8");
    const contentHash = await contentHashOf(bytes);
    await writeFile(join(dir, contentFileName(contentHash)), bytes);
    manifest.push({
      contributionId: hex(rand, 32),
      contentHash,
      contributor: contributors[Math.floor(rand() * contributors.length)],
      datanetId: String(1 + Math.floor(rand() * 5)),
      size: bytes.length,
    });
    total += bytes.length;
  }
  await writeFile(marker, JSON.stringify(manifest));
  return manifest;
}

async function generateOutputs(path: string, dir: string, manifest: ManifestEntry[]): Promise<void> {
  if (existsSync(path)) return;
  const rand = prng(seed ^ 0x5eed);
  const vocab = makeVocabulary(prng(seed));
  const lines: string[] = [];
  for (let i = 0; i < outputCount; i++) {
    const parts: string[] = [];
    let size = 0;
    while (size < 1000) {
      let piece: string;
      if (rand() < 0.5) {
        const src = manifest[Math.floor(rand() * manifest.length)];
        const text = await readFile(join(dir, contentFileName(src.contentHash)), "utf8");
        const from = text.indexOf(" ", Math.floor(rand() * Math.max(1, text.length - 400)));
        piece = text.slice(from + 1, from + 1 + 60 + Math.floor(rand() * 240));
      } else {
        piece = fresh(vocab, rand, 40 + Math.floor(rand() * 200));
      }
      parts.push(piece);
      size += piece.length + 1;
    }
    lines.push(JSON.stringify({ id: `out-${i}`, text: parts.join(" ") }));
  }
  await writeFile(path, lines.join("\n") + "\n");
}

const root = join(import.meta.dirname, "tmp");
const dir = join(root, `corpus-${corpusMB}mb-seed${seed}`);
const manifest = await generateCorpus(dir);
const outputsPath = join(dir, `outputs-${outputCount}.jsonl`);
await generateOutputs(outputsPath, dir, manifest);
const progress = terminalProgress({ quiet: args.quiet });
const workers = args.workers === undefined ? undefined : Number(args.workers);
const attribute = (index: Parameters<typeof attributeOutputsFile>[0]) =>
  attributeOutputsFile(index, outputsPath, { modelId: 1n, epoch: 1n, minSpan, progress, workers });
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const peakRssMB = () => round(process.resourceUsage().maxRSS / 1024, 0);
const load = () => loadavg().map((x) => round(x));

if (args.store) {
  // Build the sharded store from scratch, drop it from memory, reopen it and attribute.
  const store = args["index-dir"] ?? join(dir, "index-store");
  const key = await corpusKey(manifest.map((m) => m.contentHash));
  const reuse = args["reuse-index"] && existsSync(join(store, key, "index.json"));
  let indexSeconds: number | null = null;
  let buildPeakRssMB: number | null = null;
  if (!reuse) {
    await rm(store, { recursive: true, force: true });
    const t0 = performance.now();
    const shardTokens = args["shard-tokens"] === undefined ? undefined : Number(args["shard-tokens"]);
    await buildIndexFiles(join(store, key), key, dir, manifest, { progress, workers, shardTokens });
    indexSeconds = round((performance.now() - t0) / 1000);
    buildPeakRssMB = peakRssMB();
  }
  const t1 = performance.now();
  const index = await openOrBuildIndex(store, dir, manifest);
  const reopenSeconds = (performance.now() - t1) / 1000;
  // The first attribution after reopening reads the shards (openIndex reads headers only): that
  // read is timed apart and counted in the outputs' time.
  const t2 = performance.now();
  await index.load();
  const shardsLoadSeconds = (performance.now() - t2) / 1000;
  const result = await attribute(index);
  const outputsSeconds = (performance.now() - t2) / 1000;
  console.log(
    JSON.stringify({
      corpusMB: round(index.corpus.bytes / (1024 * 1024)),
      shards: index.shards.length,
      outputs: outputCount,
      indexSeconds,
      peakRssMB: peakRssMB(),
      buildPeakRssMB,
      reopenSeconds: round(reopenSeconds),
      shardsLoadSeconds: round(shardsLoadSeconds),
      outputs10kSeconds: round(outputsSeconds),
      contributors: result.table.entries.length,
      root: StandardMerkleTree.of(attributionLeafValues(result.table), [...ATTRIBUTION_LEAF_ENCODING]).root,
      loadAverage: load(),
    }),
  );
  process.exit(0);
}

if (args.verifier) {
  const t0 = performance.now();
  const work = join(dir, "verifier-work");
  await rm(work, { recursive: true, force: true });
  // What the verifier runs for an epoch with no stored index: every text read by its URI and
  // hash-checked, the index built (read and tokenized on worker threads), the outputs attributed.
  const texts = manifest.map((m) => ({
    ...m,
    uri: pathToFileURL(join(dir, contentFileName(m.contentHash))).href,
  }));
  await fetchCorpusTexts(texts, join(work, "corpus"), {});
  const index = await recomputeIndex(join(work, "corpus"), manifest, { workers });
  const result = await attribute(index);
  const root = StandardMerkleTree.of(attributionLeafValues(result.table), [
    ...ATTRIBUTION_LEAF_ENCODING,
  ]).root;
  const seconds = (performance.now() - t0) / 1000;
  await rm(work, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      corpusMB: round(index.corpus.bytes / (1024 * 1024)),
      outputs: outputCount,
      seconds: round(seconds),
      root,
      peakRssMB: peakRssMB(),
      loadAverage: load(),
    }),
  );
  process.exit(0);
}

global.gc?.();
const t0 = performance.now();
const index = await buildSpanIndex(dir, manifest, progress);
const indexSeconds = (performance.now() - t0) / 1000;
const bytes = index.corpus.bytes;

const t1 = performance.now();
const result = await attribute(index);
const attributeSeconds = (performance.now() - t1) / 1000;
const table = result.table;

const tree = StandardMerkleTree.of(attributionLeafValues(table), [...ATTRIBUTION_LEAF_ENCODING]);
console.log(
  JSON.stringify({
    corpusMB: round(bytes / (1024 * 1024)),
    contributions: manifest.length,
    tokens: index.corpus.tokens.length,
    vocabulary: index.corpus.dictionary.size,
    indexSeconds: round(indexSeconds),
    mbIndexedPerSecond: round(bytes / (1024 * 1024) / indexSeconds),
    outputs: outputCount,
    minSpan,
    attributeSeconds: round(attributeSeconds),
    outputsPerSecond: round(outputCount / attributeSeconds, 1),
    matchedSpans: result.spans,
    matchedTokens: result.matchedTokens,
    contributors: table.entries.length,
    root: tree.root,
    peakRssMB: peakRssMB(),
    loadAverage: load(),
  }),
);
