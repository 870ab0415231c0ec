import { expect } from "chai";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import {
  AttributionInputError,
  attributeOutputsFile,
  attributionTree,
  buildIndexFiles,
  buildSpanIndex,
  contentFileName,
  contentHashOf,
  corpusKey,
  describeMethodId,
  isRecomputable,
  loadCorpus,
  matchShards,
  methodIdOf,
  openIndex,
  openOrBuildIndex,
  SEPARATOR_TOKEN_ID,
  SpanCredits,
  SpanIndex,
  spanWeightTable,
  TokenDictionary,
  UNKNOWN_TOKEN_ID,
  weightTableFromJson,
  weightTableToJson,
  type Corpus,
  type ManifestEntry,
  type SpanMatch,
} from "../../src/attribution/index.js";
import { computeVector, type AttributionVector } from "../../src/attribution/vectors.js";

const VECTOR_DIR = join(import.meta.dirname, "..", "vectors", "attribution");

async function readVector(name: string): Promise<AttributionVector> {
  return JSON.parse(await readFile(join(VECTOR_DIR, `${name}.json`), "utf8")) as AttributionVector;
}

/**
 * Writes texts as contribution files of `dir` (named by keccak256) and returns their manifest:
 * text i is contribution i + 1 of contributor `(i % contributors) + 1`, datanet 1.
 */
async function writeCorpus(
  dir: string,
  texts: string[],
  contributors: number,
  extra: Partial<ManifestEntry> = {},
): Promise<ManifestEntry[]> {
  const manifest: ManifestEntry[] = [];
  for (const [i, text] of texts.entries()) {
    const bytes = Buffer.from(text, "utf8");
    const contentHash = await contentHashOf(bytes);
    await writeFile(join(dir, contentFileName(contentHash)), bytes);
    manifest.push({
      contributionId: "0x" + (i + 1).toString(16).padStart(64, "0"),
      contentHash,
      contributor: "0x" + String((i % contributors) + 1).repeat(40),
      datanetId: "1",
      size: bytes.length,
      ...extra,
    });
  }
  return manifest;
}

/** A corpus of token-id documents built in memory (documents in the given order, ids as tokens). */
function memoryCorpus(docs: number[][], dictionary: TokenDictionary, contributionOffset = 0): Corpus {
  const tokens: number[] = [];
  const documents = docs.map((doc, d) => {
    const start = tokens.length;
    tokens.push(...doc, SEPARATOR_TOKEN_ID);
    return { contentHash: "", contributions: [contributionOffset + d], start, length: doc.length };
  });
  return {
    contributions: [],
    documents,
    documentStarts: Uint32Array.from(documents, (d) => d.start),
    tokens: Uint32Array.from(tokens),
    dictionary,
    bytes: 0,
  };
}

/**
 * The spans of docs/attribution.md section "Spans", computed literally: the longest match at every
 * position by comparing against every corpus position, a span wherever it passes the reach of
 * the earlier ones, each token credited to its longest covering span (the earliest on a tie).
 */
function specSpans(docs: number[][], output: number[], minSpan: number): SpanMatch[] {
  const n = output.length;
  const longest = (i: number): { length: number; documents: number[] } => {
    let length = 0;
    let documents: number[] = [];
    docs.forEach((doc, d) => {
      for (let p = 0; p < doc.length; p++) {
        let l = 0;
        while (i + l < n && p + l < doc.length && doc[p + l] === output[i + l]) l++;
        if (l > length) [length, documents] = [l, [d]];
        else if (l === length && l > 0 && documents.at(-1) !== d) documents.push(d);
      }
    });
    return { length, documents };
  };
  const found: { start: number; length: number; documents: number[] }[] = [];
  let reach = 0;
  for (let i = 0; i < n; i++) {
    const { length, documents } = longest(i);
    if (i + length <= reach) continue;
    reach = i + length;
    if (length >= minSpan) found.push({ start: i, length, documents });
  }
  const covering = (p: number) => found.filter((g) => g.start <= p && p < g.start + g.length);
  return found.map((f) => {
    let credited = 0;
    for (let p = f.start; p < f.start + f.length; p++) {
      const longestLength = Math.max(...covering(p).map((g) => g.length));
      // The first (earliest) of the longest covering spans owns the token.
      if (covering(p).find((g) => g.length === longestLength) === f) credited++;
    }
    return { start: f.start, length: f.length, credited, documents: f.documents };
  });
}

describe("attribution specification (docs/attribution.md)", function () {
  describe("matchShards", function () {
    it("should give the spans the specification defines position by position, on 1 and 3 shards", function () {
      // Small alphabets and outputs stitched from corpus pieces: many repeats, overlapping and
      // nested matches, spans ending at a document's end or the output's, unknown tokens.
      let seed = 21;
      const rand = (k: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return Math.floor((seed / 2 ** 31) * k);
      };
      let compared = 0;
      let spans = 0;
      for (let round = 0; round < 40; round++) {
        const alphabet = 2 + rand(6);
        const docs = Array.from({ length: 2 + rand(6) }, () =>
          Array.from({ length: 1 + rand(40) }, () => 1 + rand(alphabet)),
        );
        const dictionary = new TokenDictionary();
        for (let t = 1; t <= alphabet; t++) dictionary.intern(`t${t}`);
        const single = SpanIndex.build(memoryCorpus(docs, dictionary), { quiet: true });
        const cut = Math.max(1, Math.floor(docs.length / 3));
        const groups = [docs.slice(0, cut), docs.slice(cut, 2 * cut), docs.slice(2 * cut)];
        const offsets = [0, cut, 2 * cut];
        const shards = groups.map((g, s) =>
          SpanIndex.build(memoryCorpus(g, dictionary, offsets[s]), { quiet: true }),
        );
        for (let o = 0; o < 10; o++) {
          const output: number[] = [];
          while (output.length < 30) {
            const doc = docs[rand(docs.length)];
            const from = rand(doc.length);
            if (rand(4) === 0) output.push(rand(3) === 0 ? UNKNOWN_TOKEN_ID : 1 + rand(alphabet));
            else output.push(...doc.slice(from, from + 1 + rand(12)));
          }
          const ids = Uint32Array.from(output);
          for (const minSpan of [1, 2, 3, 6, 8]) {
            const expected = specSpans(docs, output, minSpan);
            expect(single.match(ids, minSpan), `round ${round} output ${o} minSpan ${minSpan}`).to.deep.equal(
              expected,
            );
            expect(matchShards(shards, offsets, ids, minSpan), `3 shards, round ${round}`).to.deep.equal(
              expected,
            );
            compared++;
            spans += expected.length;
          }
        }
      }
      expect(compared).to.equal(2000);
      expect(spans).to.be.greaterThan(2000);
    });
  });

  describe("test vectors", function () {
    it("should reproduce every vector file's spans, table and root", async function () {
      const names = (await readdir(VECTOR_DIR)).filter((f) => f.endsWith(".json"));
      expect(names.length).to.be.at.least(4);
      for (const file of names) {
        const vector = JSON.parse(await readFile(join(VECTOR_DIR, file), "utf8")) as AttributionVector;
        const { expected, ...inputs } = vector;
        const computed = JSON.parse(JSON.stringify(await computeVector(inputs))) as unknown;
        expect(computed, file).to.deep.equal(expected);
      }
    });

    it("should find a longer span starting inside an earlier one (greedy-gap, hand-computed)", async function () {
      const v = await readVector("greedy-gap");
      // Greedy matching gives [0,5) and [5,9); the maximal spans are [0,5) and [2,9), and the
      // tokens 2-4 they share go to the longer one: c1 is credited 2 tokens, c2 7 of 9.
      expect(v.expected.outputs!.o1.spans.map((s) => [s.start, s.length, s.credited])).to.deep.equal([
        [0, 5, 2],
        [2, 7, 7],
      ]);
      // 2e18 / 9 = 222222222222222222 r 2, 7e18 / 9 = 777777777777777777 r 7: the unit left goes to c2.
      expect(v.expected.table.entries.map((e) => e.weight)).to.deep.equal([
        "222222222222222222",
        "777777777777777778",
      ]);
      expect(v.expected.methodId).to.equal(0x0101);
    });

    it("should break remainder ties towards the smaller contributionId (shared-content-ties)", async function () {
      const v = await readVector("shared-content-ties");
      // Credits 3, 3, 1 of 7 over a total of 100: floors 42, 42, 14, remainders 6, 6, 2.
      expect(
        v.expected.table.entries.map((e) => [e.breakdown![0].contributionId.slice(-1), e.weight]),
      ).to.deep.equal([
        ["1", "43"],
        ["2", "43"],
        ["3", "14"],
      ]);
      expect(v.expected.outputs!.o2.spans[0].contributions).to.have.length(3);
    });

    it("should name each contribution's datanet version in the breakdown (datanet-size)", async function () {
      const v = await readVector("datanet-size");
      const x = v.expected.table.entries[0];
      expect(x.weight).to.equal("533");
      expect(x.breakdown!.map((b) => [b.datanetId, b.versionNumber, b.weight])).to.deep.equal([
        ["1", "2", "233"],
        ["2", "5", "300"],
      ]);
    });
  });

  describe("method ids", function () {
    it("should put the method in the high byte and the specification version in the low byte", function () {
      expect(methodIdOf("span-match")).to.equal(257);
      expect(methodIdOf("datanet-size")).to.equal(513);
      expect(describeMethodId(257)).to.deep.equal({ methodId: 257, method: "span-match", specVersion: 1 });
      expect(describeMethodId(1)).to.deep.equal({ methodId: 1, method: "span-match", specVersion: 0 });
      expect(describeMethodId(0x0901).method).to.equal(undefined);
    });

    it("should recompute only ids of the implemented specification version", function () {
      expect(isRecomputable(257)).to.equal(true);
      expect(isRecomputable(513)).to.equal(true);
      expect(isRecomputable(1)).to.equal(false);
      expect(isRecomputable(2)).to.equal(false);
      expect(isRecomputable(0x0102)).to.equal(false);
      expect(() => methodIdOf("span-match", 0)).to.throw(RangeError, "specification version");
    });
  });

  describe("attributeOutputsFile", function () {
    let dir: string;
    let manifest: ManifestEntry[];
    let outputsPath: string;

    before(async function () {
      dir = await mkdtemp(join(tmpdir(), "attribution-spec-"));
      const words = "river delta flood spring farmer rice silt water plain lighthouse ship cape storm".split(
        " ",
      );
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const pick = (n: number) =>
        Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ");
      const texts = Array.from({ length: 12 }, () => pick(400));
      manifest = await writeCorpus(dir, texts, 4, { versionNumber: "1" });
      outputsPath = join(dir, "outputs.jsonl");
      const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: `o${i}`, text: pick(80) }));
      await writeFile(outputsPath, lines.join("\n") + "\n");
    });

    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    it("should give the same table and root on 1, 2 and 3 worker threads", async function () {
      this.timeout(120_000);
      const index = await buildSpanIndex(dir, manifest, { quiet: true });
      const run = (workers: number) =>
        attributeOutputsFile(index, outputsPath, {
          modelId: 1n,
          epoch: 2n,
          minSpan: 4,
          workers,
          progress: { quiet: true },
        });
      const one = await run(1);
      expect(one.spans).to.be.greaterThan(0);
      for (const workers of [2, 3]) {
        const many = await run(workers);
        expect(weightTableToJson(many.table), `${workers} workers`).to.equal(weightTableToJson(one.table));
        expect(attributionTree(many.table).root, `${workers} workers`).to.equal(
          attributionTree(one.table).root,
        );
        expect([many.outputs, many.spans, many.matchedTokens]).to.deep.equal([
          one.outputs,
          one.spans,
          one.matchedTokens,
        ]);
      }
    });

    it("should give the same table from a stored index cut in many shards, built once and reopened", async function () {
      this.timeout(120_000);
      const store = join(dir, "store");
      const run = async (index: Parameters<typeof attributeOutputsFile>[0], workers: number) =>
        weightTableToJson(
          (
            await attributeOutputsFile(index, outputsPath, {
              modelId: 1n,
              epoch: 2n,
              minSpan: 4,
              workers,
              progress: { quiet: true },
            })
          ).table,
        );
      const reference = await run(await buildSpanIndex(dir, manifest, { quiet: true }), 1);
      // About 400 tokens a document: shards of 1,000 tokens hold 2-3 documents each.
      const built = await openOrBuildIndex(store, dir, manifest, {
        shardTokens: 1000,
        progress: { quiet: true },
      });
      // Reopened lazily: the headers only, the shards read on first use.
      expect(built.loaded).to.equal(false);
      expect(() => built.shards).to.throw("await index.load()");
      expect((await built.load()).shards.length).to.be.greaterThan(3);
      expect(built.key).to.equal(await corpusKey(manifest.map((m) => m.contentHash).reverse()));
      expect(await run(built, 1)).to.equal(reference);
      expect(await run(built, 2)).to.equal(reference);
      // Reopened from disk (no texts needed): the same table.
      const reopened = await openOrBuildIndex(store, join(dir, "no-texts-here"), manifest);
      expect(await run(reopened, 1)).to.equal(reference);
      // Another corpus's manifest does not open this index.
      const other = [{ ...manifest[0], contentHash: "0x" + "ab".repeat(32) }];
      const refused = await openIndex(join(store, built.key!), other).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(refused?.message).to.include("another corpus's index");
      // A shard file gone: the headers still open, reading the shards says what to do.
      await rm(join(store, built.key!, "shard-1.sa"));
      const damaged = await openIndex(join(store, built.key!), manifest);
      const unreadable = await damaged.load().then(
        () => undefined,
        (error: Error) => error,
      );
      expect(unreadable).to.be.instanceOf(AttributionInputError);
      expect(unreadable?.message).to.match(/shard-1\.sa cannot be read \(ENOENT\): rebuild the index$/);
    });

    it("should record the published outputs (URI, keccak256, count) and the versions in the table", async function () {
      const index = await buildSpanIndex(dir, manifest, { quiet: true });
      const { table } = await attributeOutputsFile(index, outputsPath, {
        modelId: 1n,
        epoch: 2n,
        minSpan: 4,
        workers: 1,
        progress: { quiet: true },
        outputsUri: "https://operator.example/outputs.jsonl",
        versions: [{ datanetId: "1", versionNumber: "1" }],
      });
      expect(table.inputs).to.deep.equal({
        versions: [{ datanetId: "1", versionNumber: "1" }],
        outputs: {
          uri: "https://operator.example/outputs.jsonl",
          contentHash: await contentHashOf(await readFile(outputsPath)),
          count: 300,
        },
      });
      const back = weightTableFromJson(weightTableToJson(table));
      expect(back.inputs).to.deep.equal(table.inputs);
      expect(back.specVersion).to.equal(1);
      expect(back.entries[0].breakdown?.reduce((t, b) => t + b.weight, 0n)).to.equal(back.entries[0].weight);
      expect(JSON.parse(weightTableToJson(table)).methodId).to.equal(257);
    });
  });

  describe("buildIndexFiles (stored index)", function () {
    let dir: string;

    beforeEach(async function () {
      dir = await mkdtemp(join(tmpdir(), "attribution-store-"));
    });

    afterEach(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    /** Every file of an index directory, by name. */
    async function filesOf(indexDir: string): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const name of (await readdir(indexDir)).sort())
        out[name] = (await readFile(join(indexDir, name))).toString("hex");
      return out;
    }

    it("should write the same files on 1 and 3 worker threads, whatever the runs and shards (random multilingual corpus)", async function () {
      this.timeout(120_000);
      // Words first seen in later documents, accents, CJK and digits: the dictionary merge of
      // the workers' runs must give every token the id one pass gives.
      let seed = 11;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const stems = [
        "ríver",
        "delta",
        "日本語",
        "flood",
        "naïve",
        "Öl",
        "42",
        "spring",
        "cafe\u0301",
        "silt",
      ];
      const texts = Array.from({ length: 40 }, (_, d) =>
        Array.from({ length: 50 + Math.floor(rand() * 300) }, () => {
          const w = stems[Math.floor(rand() * stems.length)];
          return rand() < 0.3 ? `${w}${Math.floor(rand() * (5 + d * 3))}` : w;
        }).join(rand() < 0.5 ? " " : ", "),
      );
      const manifest = await writeCorpus(dir, texts, 5);
      const key = await corpusKey(manifest.map((m) => m.contentHash));
      const build = async (name: string, options: Parameters<typeof buildIndexFiles>[4]) => {
        await buildIndexFiles(join(dir, name), key, dir, manifest, { progress: { quiet: true }, ...options });
        return filesOf(join(dir, name));
      };
      const one = await build("one", { workers: 1, shardTokens: 1500 });
      expect(Object.keys(one).filter((f) => f.endsWith(".sa")).length).to.be.greaterThan(4);
      // Runs of about one document each, on 3 workers: the same bytes.
      expect(await build("three", { workers: 3, shardTokens: 1500, runBytes: 1 })).to.deep.equal(one);
      expect(await build("three-runs", { workers: 3, shardTokens: 1500, runBytes: 5000 })).to.deep.equal(one);
      // One shard: the same dictionary, and the shard's tokens are the shards' tokens end to end.
      const whole = await build("whole", { workers: 2, runBytes: 1 });
      expect(whole["dictionary.txt"]).to.equal(one["dictionary.txt"]);
      const shards = Object.keys(one).filter((f) => f.endsWith(".tokens"));
      const joined = shards
        .sort((a, b) => parseInt(a.slice(6)) - parseInt(b.slice(6)))
        .map((f) => one[f])
        .join("");
      expect(whole["shard-0.tokens"]).to.equal(joined);
    });

    it("loadCorpus should give the same tokens, dictionary and documents on 1 and 3 worker threads", async function () {
      this.timeout(60_000);
      const texts = Array.from({ length: 30 }, (_, d) =>
        Array.from({ length: 40 }, (_, w) => `wörd${(d * 7 + w * w) % (10 + d * 4)} Ünïcode ${w % 3}`).join(
          " ",
        ),
      );
      const manifest = await writeCorpus(dir, texts, 5);
      const one = await loadCorpus(dir, manifest, { quiet: true }, { workers: 1 });
      const three = await loadCorpus(dir, manifest, { quiet: true }, { workers: 3, runBytes: 1 });
      expect(Buffer.from(three.tokens.buffer).equals(Buffer.from(one.tokens.buffer))).to.equal(true);
      expect([...three.dictionary.tokens()]).to.deep.equal([...one.dictionary.tokens()]);
      expect(three.documents).to.deep.equal(one.documents);
      expect([three.bytes, three.documents.length]).to.deep.equal([one.bytes, 30]);
    });

    it("buildSpanIndex should give the same spans with its suffix array built on worker threads, merged or whole", async function () {
      this.timeout(120_000);
      let seed = 23;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const words = "ríver delta 日本語 flood naïve spring silt 42 water plain ship".split(" ");
      const pick = (n: number) =>
        Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ");
      // Some documents repeat others' passages, so the halves share long suffixes.
      const texts: string[] = [];
      for (let d = 0; d < 24; d++)
        texts.push(d > 3 && d % 3 === 0 ? `${texts[d - 3]} ${pick(30)} ${texts[d - 2]}` : pick(60 + d * 7));
      const manifest = await writeCorpus(dir, texts, 4);
      const quiet = { quiet: true };
      const single = await buildSpanIndex(dir, manifest, quiet, { workers: 1 });
      const merged = await buildSpanIndex(dir, manifest, quiet, {
        workers: 2,
        runBytes: 1,
        parallelMinTokens: 0,
      });
      // A budget of nothing: the merge gives up and the whole array is built on a worker.
      const whole = await buildSpanIndex(dir, manifest, quiet, {
        workers: 3,
        runBytes: 1,
        parallelMinTokens: 0,
        mergeWorkPerToken: 0,
      });
      expect(Array.from(whole.suffixArray)).to.deep.equal(Array.from(single.suffixArray));
      expect(Array.from(merged.bucketStart)).to.deep.equal(Array.from(single.bucketStart));
      // The merged array orders every suffix up to its document's end (ties: any order).
      const t = merged.corpus.tokens;
      const sa = merged.suffixArray;
      expect([...sa].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: t.length }, (_, i) => i));
      for (let i = 1; i < sa.length; i++) {
        let k = 0;
        while (t[sa[i - 1] + k] === t[sa[i] + k] && t[sa[i] + k] !== 0) k++;
        expect(t[sa[i - 1] + k], `suffixes ${sa[i - 1]} and ${sa[i]}`).to.be.at.most(t[sa[i] + k]);
      }
      let spans = 0;
      for (let o = 0; o < 60; o++) {
        const source = texts[Math.floor(rand() * texts.length)].split(" ");
        const from = Math.floor(rand() * source.length);
        const output = `${pick(5)} ${source.slice(from, from + 5 + Math.floor(rand() * 40)).join(" ")} ${pick(5)}`;
        const ids = single.corpus.dictionary.encode(output);
        const expected = single.match(ids, 4);
        spans += expected.length;
        expect(merged.match(ids, 4), output).to.deep.equal(expected);
        expect(whole.match(ids, 4), output).to.deep.equal(expected);
      }
      expect(spans).to.be.greaterThan(30);
    });

    it("should reproduce every span-match vector's table and root from an index built on worker threads", async function () {
      this.timeout(120_000);
      const names = (await readdir(VECTOR_DIR)).filter((f) => f.endsWith(".json"));
      let checked = 0;
      for (const file of names) {
        const v = JSON.parse(await readFile(join(VECTOR_DIR, file), "utf8")) as AttributionVector;
        if (v.method !== "span-match") continue;
        const manifest: ManifestEntry[] = [];
        for (const { text, ...entry } of v.contributions) {
          const bytes = Buffer.from(text, "utf8");
          const contentHash = await contentHashOf(bytes);
          await writeFile(join(dir, contentFileName(contentHash)), bytes);
          manifest.push({ ...entry, contentHash });
        }
        const index = await openOrBuildIndex(join(dir, "store"), dir, manifest, {
          workers: 2,
          shardTokens: 4,
          runBytes: 1,
          progress: { quiet: true },
        });
        await index.load();
        const credits = new SpanCredits(index.corpus.contributions.length);
        for (const o of v.outputs ?? []) {
          for (const m of index.match(index.corpus.dictionary.encode(o.text), v.minSpan ?? 0))
            credits.add(index.corpus, m);
          credits.outputs++;
        }
        const table = spanWeightTable(index.corpus, credits, {
          modelId: BigInt(v.modelId),
          epoch: BigInt(v.epoch),
          totalWeight: BigInt(v.totalWeight),
          minSpan: v.minSpan ?? 0,
        });
        const root = table.entries.length === 0 ? "" : attributionTree(table).root.toLowerCase();
        expect(root, file).to.equal(v.expected.root);
        expect(JSON.parse(weightTableToJson(table)), file).to.deep.equal(v.expected.table);
        checked++;
      }
      expect(checked).to.be.at.least(3);
    });

    it("should refuse a text whose keccak256 does not match its name when a worker reads it", async function () {
      const manifest = await writeCorpus(dir, ["one two three four", "five six seven eight"], 5);
      await writeFile(join(dir, contentFileName(manifest[1].contentHash)), "tampered");
      const key = await corpusKey(manifest.map((m) => m.contentHash));
      const error = await buildIndexFiles(join(dir, "idx"), key, dir, manifest, {
        workers: 2,
        runBytes: 1,
        progress: { quiet: true },
      }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).to.be.instanceOf(AttributionInputError);
      expect(error?.message).to.match(/is refused: its keccak256 is 0x[0-9a-f]{64}, not the/);
      expect(existsSync(join(dir, "idx", "index.json"))).to.equal(false);
    });
  });
});
