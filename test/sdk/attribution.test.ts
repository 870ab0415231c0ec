import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  ATTRIBUTION_LEAF_ENCODING,
  AttributionInputError,
  apportion,
  attributeOutputsFile,
  attributionLeafValues,
  buildSpanIndex,
  buildSuffixArray,
  contentFileName,
  contentHashOf,
  creditOutputs,
  datanetWeightTable,
  forEachToken,
  loadCorpus,
  parseManifest,
  spanWeightTable,
  tokenize,
  tokenizeByPattern,
  TokenDictionary,
  UNKNOWN_TOKEN_ID,
  weightTableFromJson,
  weightTableToCsv,
  weightTableToJson,
  type ManifestEntry,
  type SpanIndex,
  type WeightTable,
} from "../../src/attribution/index.js";
import { createProgress } from "../../src/cli/progress.js";
import { matchCorpusDirectory } from "../../src/cli/corpus-dir.js";
import { contributionIdOf } from "../../src/sdk/constants.js";

const X = "0x" + "11".repeat(20);
const Y = "0x" + "22".repeat(20);
const Z = "0x" + "33".repeat(20);
const quiet = { quiet: true };

/** contributionId 0x00…0n (so the hand-computed tie-breaks below are easy to follow). */
const cid = (n: number): string => "0x" + n.toString(16).padStart(64, "0");

interface DocSpec {
  text: string;
  contributor: string;
  id: number;
  datanetId?: string;
}

const dirs: string[] = [];

/** Writes the texts as `<keccak256>.txt` files in a fresh temp dir and returns the manifest. */
async function makeCorpus(docs: DocSpec[]): Promise<{ dir: string; manifest: ManifestEntry[] }> {
  const dir = await mkdtemp(join(tmpdir(), "attribution-test-"));
  dirs.push(dir);
  const manifest: ManifestEntry[] = [];
  for (const d of docs) {
    const bytes = Buffer.from(d.text, "utf8");
    const contentHash = await contentHashOf(bytes);
    await writeFile(join(dir, contentFileName(contentHash)), bytes);
    manifest.push({
      contributionId: cid(d.id),
      contentHash,
      contributor: d.contributor,
      datanetId: d.datanetId ?? "1",
      size: bytes.length,
    });
  }
  return { dir, manifest };
}

async function indexOf(docs: DocSpec[]): Promise<SpanIndex> {
  const { dir, manifest } = await makeCorpus(docs);
  return buildSpanIndex(dir, manifest, quiet);
}

function table(index: SpanIndex, outputs: string[], minSpan: number, totalWeight?: bigint): WeightTable {
  const credits = creditOutputs(
    index,
    outputs.map((text, i) => ({ id: String(i), text })),
    minSpan,
  );
  return spanWeightTable(index.corpus, credits, { modelId: 7n, epoch: 3n, minSpan, totalWeight });
}

function weightsOf(t: WeightTable): Record<string, bigint> {
  return Object.fromEntries(t.entries.map((e) => [e.contributor, e.weight]));
}

// The hand-made corpus of the span-matching tests.
const A = { id: 1, contributor: X, text: "The quick brown fox jumps over the lazy dog." };
const B = { id: 2, contributor: Y, text: "A quick brown fox sleeps under the lazy dog!" };
const C = { id: 3, contributor: X, text: "Lorem ipsum dolor sit amet" };

describe("attribution engine", function () {
  after(async function () {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  describe("tokenize", function () {
    it("should lower-case and split on everything but letters, marks and digits", function () {
      expect(tokenize("Hello, World! It's 2024... e-mail_ok")).to.deep.equal([
        "hello",
        "world",
        "it",
        "s",
        "2024",
        "e",
        "mail",
        "ok",
      ]);
    });

    it("should normalise to NFC so composed and decomposed accents give one token", function () {
      expect(tokenize("CAFE\u0301 café")).to.deep.equal(["café", "café"]);
    });

    it("should keep combining marks inside words (Devanagari) and split CJK punctuation", function () {
      expect(tokenize("नमस्ते दुनिया")).to.deep.equal(["नमस्ते", "दुनिया"]);
      expect(tokenize("数据，模型。")).to.deep.equal(["数据", "模型"]);
    });

    it("should return no tokens for empty or punctuation-only text", function () {
      expect(tokenize("")).to.deep.equal([]);
      expect(tokenize(" ,.;!? \n\t")).to.deep.equal([]);
    });

    it("should give the pattern's tokens on ASCII text, which skips the pattern (every ASCII code, random texts)", function () {
      let seed = 7;
      const rand = (k: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return Math.floor((seed / 2 ** 31) * k);
      };
      const every = String.fromCharCode(...Array.from({ length: 128 }, (_, c) => c));
      const texts = [every, every.repeat(3), "ABC", "9", "a"];
      for (let t = 0; t < 300; t++)
        texts.push(String.fromCharCode(...Array.from({ length: rand(200) }, () => rand(128))));
      let tokens = 0;
      for (const text of texts) {
        const expected = tokenizeByPattern(text);
        expect(tokenize(text), JSON.stringify(text)).to.deep.equal(expected);
        const visited: string[] = [];
        forEachToken(text, (token) => visited.push(token));
        expect(visited, JSON.stringify(text)).to.deep.equal(expected);
        tokens += expected.length;
      }
      expect(tokens).to.be.greaterThan(3000);
      // One non-ASCII unit sends the whole text through the pattern.
      expect(tokenize("DATA café X1")).to.deep.equal(["data", "café", "x1"]);
    });
  });

  describe("TokenDictionary", function () {
    it("should give ids in order of first occurrence, starting at 1", function () {
      const d = new TokenDictionary();
      expect(["b", "a", "b", "c"].map((t) => d.intern(t))).to.deep.equal([1, 2, 1, 3]);
      expect(d.size).to.equal(3);
      expect(d.maxId).to.equal(3);
    });

    it("should encode unknown tokens as UNKNOWN_TOKEN_ID", function () {
      const d = new TokenDictionary();
      d.intern("known");
      expect(Array.from(d.encode("Known unknown"))).to.deep.equal([1, UNKNOWN_TOKEN_ID]);
    });

    it("should give the ids a Map gives while growing, for whole tokens and for ranges of a text", function () {
      const d = new TokenDictionary();
      const ids = new Map<string, number>();
      let seed = 99;
      const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const words = Array.from({ length: 20_000 }, () =>
        Math.floor(rand() * 1e6)
          .toString(36)
          .slice(0, 1 + Math.floor(rand() * 6)),
      );
      for (const w of words) {
        if (!ids.has(w)) ids.set(w, ids.size + 1);
        expect(d.intern(w)).to.equal(ids.get(w));
      }
      expect([d.size, d.maxId]).to.deep.equal([ids.size, ids.size]);
      expect([...d.tokens()]).to.deep.equal([...ids.keys()]);
      const text = `${words.slice(0, 500).join(" ")} zzzzzzz`;
      expect(Array.from(d.encode(text.toUpperCase()))).to.deep.equal([
        ...words.slice(0, 500).map((w) => ids.get(w)),
        UNKNOWN_TOKEN_ID,
      ]);
      expect(d.idOf(`xx${words[7]}yy`, 2, 2 + words[7].length, false)).to.equal(ids.get(words[7]));
      expect(d.lookup("zzzzzzz")).to.equal(UNKNOWN_TOKEN_ID);
    });

    it("should build the same ids from the same corpus whatever the manifest order", async function () {
      const { dir, manifest } = await makeCorpus([A, B, C]);
      const one = await loadCorpus(dir, manifest, quiet);
      const two = await loadCorpus(dir, [...manifest].reverse(), quiet);
      expect(Array.from(two.tokens)).to.deep.equal(Array.from(one.tokens));
      expect(two.documents.map((d) => d.contentHash)).to.deep.equal(
        [...one.documents.map((d) => d.contentHash)].sort(),
      );
    });
  });

  describe("buildSuffixArray", function () {
    it("should equal a naive sort of all suffixes on random inputs", function () {
      let seed = 12345;
      const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (let t = 0; t < 300; t++) {
        const n = Math.floor(rand() * 200);
        const upper = 1 + Math.floor(rand() * (t % 2 === 0 ? 2 : 40));
        const s = Uint32Array.from({ length: n }, () => Math.floor(rand() * (upper + 1)));
        const naive = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
          while (a < n && b < n) {
            if (s[a] !== s[b]) return s[a] - s[b];
            a++;
            b++;
          }
          return a === n ? -1 : 1;
        });
        expect(Array.from(buildSuffixArray(s, upper))).to.deep.equal(naive);
        // Into given arrays, with each suffix's second symbol recorded beside it.
        const into = new Int32Array(n);
        const next = new Int32Array(n);
        buildSuffixArray(s, upper, into, next);
        expect(Array.from(into)).to.deep.equal(naive);
        expect(Array.from(next)).to.deep.equal(naive.map((p) => (p + 1 < n ? s[p + 1] : 0)));
      }
    });

    it("should equal a naive sort on long periodic and run-heavy inputs (deep recursion, equal neighbours)", function () {
      const naiveOf = (s: Uint32Array) =>
        Array.from({ length: s.length }, (_, i) => i).sort((a, b) => {
          const n = s.length;
          while (a < n && b < n) {
            if (s[a] !== s[b]) return s[a] - s[b];
            a++;
            b++;
          }
          return a === n ? -1 : 1;
        });
      const inputs = [
        Uint32Array.from({ length: 1500 }, () => 1),
        Uint32Array.from({ length: 1500 }, (_, i) => i % 2),
        Uint32Array.from({ length: 1500 }, (_, i) => [2, 1, 1, 2, 0][i % 5]),
        Uint32Array.from({ length: 1500 }, (_, i) => (i % 7 < 4 ? 3 : i % 3)),
      ];
      for (const s of inputs) expect(Array.from(buildSuffixArray(s, 3))).to.deep.equal(naiveOf(s));
    });

    it("should give the same array for Int32Array input and refuse a symbol outside [0, upper]", function () {
      const u = Uint32Array.from({ length: 700 }, (_, i) => (i * 7919) % 13);
      expect(Array.from(buildSuffixArray(Int32Array.from(u), 12))).to.deep.equal(
        Array.from(buildSuffixArray(u, 12)),
      );
      expect(() => buildSuffixArray(Uint32Array.of(1, 5, 2), 4)).to.throw(RangeError, "symbol 5 at 1");
      expect(() => buildSuffixArray(Int32Array.of(1, -1, 2), 4)).to.throw(RangeError, "symbol -1 at 1");
    });
  });

  describe("SpanIndex.match", function () {
    it("should find every maximal span, one starting inside an earlier one included, and never cross a document boundary", async function () {
      const index = await indexOf([A, B, C]);
      const dict = index.corpus.dictionary;
      // "the quick brown fox" (4 tokens) is only in A; "quick brown fox sleeps" (4) only in B.
      // Greedy matching would stop after the first; both are maximal. Tokens 1-3 are covered
      // twice and go to the earlier of the two equally long spans.
      const m1 = index.match(dict.encode("the quick brown fox sleeps"), 3);
      expect(m1.map((m) => [m.start, m.length, m.credited])).to.deep.equal([
        [0, 4, 4],
        [1, 4, 1],
      ]);
      // "lazy dog" ends A and B, "lorem ipsum" starts C: with minSpan 1 these are two spans
      // of 2, never one span of 4 through the separator.
      const m2 = index.match(dict.encode("lazy dog lorem ipsum"), 1);
      expect(m2.map((m) => [m.start, m.length, m.documents.length])).to.deep.equal([
        [0, 2, 2],
        [2, 2, 1],
      ]);
      // Unknown tokens break spans.
      expect(index.match(dict.encode("quick brown zebra fox"), 3)).to.deep.equal([]);
    });

    it("should credit spans by hand-computed weights", async function () {
      const index = await indexOf([A, B, C]);
      // minSpan 3. Maximal spans per output (k = contributions containing the span), each
      // token credited once to its longest covering span (the earlier on a tie):
      //   "the quick brown fox sleeps"          -> "the quick brown fox" (A, 4 tokens)  A += 4
      //                                             "quick brown fox sleeps" (B, token 4) B += 1
      //   "over the lazy dog and lorem ipsum dolor"
      //                                          -> "over the lazy dog" (4, A)         A += 4
      //                                             "and" unknown, "lorem ipsum dolor" (3, C) C += 3
      //   "quick brown fox"                      -> 3 tokens in A and B, k = 2          A, B += 1.5
      //   "the lazy dog"                         -> 3 tokens in A and B, k = 2          A, B += 1.5
      //   "fox jumps"                            -> 2 tokens < minSpan                  nothing
      // A = 11, B = 4, C = 3; X owns A and C: X = 14, Y = 4, total 18.
      const outputs = [
        "the quick brown fox sleeps",
        "over the lazy dog and lorem ipsum dolor",
        "quick brown fox",
        "the lazy dog",
        "fox jumps",
      ];
      const small = table(index, outputs, 3, 18n);
      expect(weightsOf(small)).to.deep.equal({ [X]: 14n, [Y]: 4n });
      expect(small.entries[0].contributions).to.deep.equal([cid(1), cid(3)]);
      expect(small.entries[1].contributions).to.deep.equal([cid(2)]);
      // Scaled to 1e18 per contribution: A = floor(11e18 / 18) = 611111111111111111 (remainder 2),
      // B = floor(4e18 / 18) = 222222222222222222 (remainder 4), C = floor(3e18 / 18) =
      // 166666666666666666 (remainder 12); the one unit left goes to the largest remainder, C.
      // X = A + C = 777777777777777778, Y = B. Sum is exactly 1e18.
      const big = table(index, outputs, 3);
      expect(weightsOf(big)).to.deep.equal({ [X]: 777777777777777778n, [Y]: 222222222222222222n });
      expect(big.entries[0].breakdown!.map((b) => b.weight)).to.deep.equal([
        611111111111111111n,
        166666666666666667n,
      ]);
      expect(big.totalWeight).to.equal(10n ** 18n);
      expect(big.method).to.equal("span-match");
      expect(big.minSpan).to.equal(3);
    });

    it("should split a span shared by identical contents between their contributions", async function () {
      // D (X) and E (Y) submitted the same text (one document, two contributions); F is X's.
      const index = await indexOf([
        { id: 4, contributor: X, text: "alpha beta gamma delta" },
        { id: 5, contributor: Y, text: "alpha beta gamma delta" },
        { id: 6, contributor: X, text: "alpha beta gamma epsilon" },
      ]);
      expect(index.corpus.documents).to.have.length(2);
      // "alpha beta gamma delta": 4 tokens in the D/E document, k = 2     D += 2, E += 2
      // "alpha beta gamma zeta":  3 tokens in D/E and F, k = 3             D, E, F += 1
      // X = D + F = 3 + 1 = 4, Y = E = 3; total 7.
      const t = table(index, ["alpha beta gamma delta", "alpha beta gamma zeta"], 3, 7n);
      expect(weightsOf(t)).to.deep.equal({ [X]: 4n, [Y]: 3n });
      expect(t.entries[0].contributions).to.deep.equal([cid(4), cid(6)]);
    });

    it("should share a content held by two contributors of one datanet equally, from one file of a --corpus directory", async function () {
      // Ids bind the contributor (issue 13 finding 5), so X and Y may both hold this text in datanet 1.
      const text = "one essay two holders since ids bind the contributor";
      const dir = await mkdtemp(join(tmpdir(), "attribution-test-"));
      dirs.push(dir);
      await writeFile(join(dir, "essay.md"), text);
      const contentHash = await contentHashOf(Buffer.from(text, "utf8"));
      const manifest: ManifestEntry[] = [X, Y].map((contributor) => ({
        contributionId: contributionIdOf(1n, contributor, contentHash),
        contentHash,
        contributor,
        datanetId: "1",
        size: text.length,
      }));
      expect(manifest[0].contributionId).to.not.equal(manifest[1].contributionId);
      const matched = await matchCorpusDirectory(dir, manifest);
      try {
        expect([...matched.files.values()]).to.deep.equal(["essay.md"]);
        const index = await buildSpanIndex(matched.dir, manifest, quiet);
        expect(index.corpus.documents).to.have.length(1);
        expect(index.corpus.documents[0].contributions).to.have.length(2);
        // Every one of the 9 tokens is in the one document, held by both: 4.5 each, 1e18 split evenly.
        const t = table(index, [text], 3);
        expect(weightsOf(t)).to.deep.equal({ [X]: 5n * 10n ** 17n, [Y]: 5n * 10n ** 17n });
        // The datanet-size method splits the same way (equal sizes).
        const d = datanetWeightTable({ "1": 10_000 }, manifest, { modelId: 1n, epoch: 0n, totalWeight: 10n });
        expect(weightsOf(d)).to.deep.equal({ [X]: 5n, [Y]: 5n });
      } finally {
        await matched.remove();
      }
    });

    it("should give an empty table of total 0 when nothing matches", async function () {
      const index = await indexOf([A]);
      const t = table(index, ["nothing here matches at all"], 3);
      expect(t.entries).to.deep.equal([]);
      expect(t.totalWeight).to.equal(0n);
    });

    it("should revert when minSpan is below 1", async function () {
      const index = await indexOf([A]);
      expect(() => index.match(new Uint32Array(1), 0)).to.throw(RangeError, "minSpan");
    });
  });

  describe("datanetWeightTable", function () {
    const entry = (id: number, contributor: string, datanetId: string, size: number): ManifestEntry => ({
      contributionId: cid(id),
      contentHash: "0x" + "ab".repeat(32),
      contributor,
      datanetId,
      size,
    });

    it("should spread datanet basis points over contributions by size (hand-computed)", function () {
      // Datanet 1: 6000 bps, 2: 4000 bps, 3: 0 bps; totalWeight 1000.
      //   datanet shares: 1000 * 6000/10000 = 600, 1000 * 4000/10000 = 400.
      //   datanet 1: c1 (X, 100 B) = 600 * 100/300 = 200; c2 (Y, 200 B) = 400.
      //   datanet 2: c3 (X), c4 (Z), c5 (Y), 1 B each: 400/3 = 133 each, remainders equal,
      //   the unit left goes to the smallest contributionId, c3 -> 134.
      //   datanet 3 (0 bps): c6 gets nothing.
      // X = 200 + 134 = 334, Y = 400 + 133 = 533, Z = 133; sum 1000.
      const t = datanetWeightTable(
        { "1": 6000, "2": 4000, "3": 0 },
        [
          entry(5, Y, "2", 1),
          entry(1, X, "1", 100),
          entry(2, Y, "1", 200),
          entry(3, X, "2", 1),
          entry(4, Z, "2", 1),
          entry(6, Z, "3", 9),
        ],
        { modelId: 1n, epoch: 0n, totalWeight: 1000n },
      );
      expect(weightsOf(t)).to.deep.equal({ [X]: 334n, [Y]: 533n, [Z]: 133n });
      expect(t.totalWeight).to.equal(1000n);
      expect(t.method).to.equal("datanet-size");
      expect(t.minSpan).to.equal(null);
      expect(t.entries.map((e) => e.contributions)).to.deep.equal([
        [cid(1), cid(3)],
        [cid(2), cid(5)],
        [cid(4)],
      ]);
    });

    it("should skip a weighted datanet that has no contributions", function () {
      // Datanet 9 has 5000 bps but nothing to pay: datanet 1 takes all 1e18, split 1:3.
      const t = datanetWeightTable(
        new Map([
          ["1", 5000],
          ["9", 5000],
        ]),
        [entry(1, X, "1", 10), entry(2, Y, "1", 30)],
        {
          modelId: 1n,
          epoch: 0n,
        },
      );
      expect(weightsOf(t)).to.deep.equal({ [X]: 25n * 10n ** 16n, [Y]: 75n * 10n ** 16n });
    });

    it("should revert when a weight is not in [0, 10000] basis points", function () {
      expect(() => datanetWeightTable({ "1": 10001 }, [], { modelId: 1n, epoch: 0n })).to.throw(
        RangeError,
        "basis points",
      );
    });
  });

  describe("apportion", function () {
    it("should sum exactly to the total and break remainder ties by position", function () {
      expect(apportion([1n, 1n, 1n], 100n)).to.deep.equal([34n, 33n, 33n]);
      expect(apportion([0n, 0n], 5n)).to.deep.equal([0n, 0n]);
      expect(apportion([2n, 1n], 10n)).to.deep.equal([7n, 3n]);
    });
  });

  describe("loadCorpus", function () {
    it("should refuse a file whose keccak256 does not match its name, with a one-line message", async function () {
      const { dir, manifest } = await makeCorpus([A, B]);
      await writeFile(join(dir, contentFileName(manifest[1].contentHash)), "tampered text");
      let error: unknown;
      try {
        await loadCorpus(dir, manifest, quiet);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(AttributionInputError);
      const message = (error as Error).message;
      expect(message).to.contain(contentFileName(manifest[1].contentHash));
      expect(message).to.contain("refused");
      expect(message).to.contain("re-fetch");
      expect(message).to.not.contain("\n");
    });

    it("should refuse a missing file", async function () {
      const { dir, manifest } = await makeCorpus([A]);
      const ghost = { ...manifest[0], contributionId: cid(99), contentHash: "0x" + "cd".repeat(32) };
      let error: unknown;
      try {
        await loadCorpus(dir, [...manifest, ghost], quiet);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(AttributionInputError);
      expect((error as Error).message).to.contain("missing");
    });

    it("should refuse malformed manifest entries", function () {
      const ok = { contributionId: cid(1), contentHash: cid(2), contributor: X, datanetId: 1, size: 3 };
      expect(parseManifest([ok])[0].datanetId).to.equal("1");
      expect(() => parseManifest([{ ...ok, contributor: "0x12" }])).to.throw(
        AttributionInputError,
        "contributor",
      );
      expect(() => parseManifest([ok, ok])).to.throw(AttributionInputError, "duplicate");
      expect(() => parseManifest({})).to.throw(AttributionInputError, "array");
    });
  });

  describe("determinism", function () {
    it("should give identical tables and StandardMerkleTree roots over two runs", async function () {
      const docs: DocSpec[] = [];
      const words = "data model open ledger proof span token weight chain block epoch reward".split(" ");
      let seed = 42;
      const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const contributors = [X, Y, Z];
      for (let i = 0; i < 12; i++) {
        const text = Array.from({ length: 200 }, () => words[Math.floor(rand() * words.length)]).join(" ");
        docs.push({ id: 100 + i, contributor: contributors[i % 3], text });
      }
      const outputs = Array.from(
        { length: 20 },
        (_, i) => docs[i % docs.length].text.slice(i * 7, i * 7 + 300) + " zz",
      );
      const { dir, manifest } = await makeCorpus(docs);
      const outputsPath = join(dir, "outputs.jsonl");
      await writeFile(
        outputsPath,
        outputs.map((text, i) => JSON.stringify({ id: `o${i}`, text })).join("\n") + "\n",
      );
      const run = async (entries: ManifestEntry[]): Promise<WeightTable> => {
        const index = await buildSpanIndex(dir, entries, quiet);
        const options = { modelId: 7n, epoch: 3n, minSpan: 4, progress: quiet };
        return (await attributeOutputsFile(index, outputsPath, options)).table;
      };
      const one = await run(manifest);
      const two = await run([...manifest].reverse());
      expect(one.entries.length).to.equal(3);
      expect(weightTableToJson(two)).to.equal(weightTableToJson(one));
      expect(weightTableToCsv(two)).to.equal(weightTableToCsv(one));
      const root = (t: WeightTable): string =>
        StandardMerkleTree.of(attributionLeafValues(t), [...ATTRIBUTION_LEAF_ENCODING]).root;
      expect(root(two)).to.equal(root(one));
    });
  });

  describe("table writers", function () {
    const t: WeightTable = {
      modelId: 7n,
      epoch: 3n,
      method: "span-match",
      minSpan: 8,
      totalWeight: 10n ** 18n,
      entries: [
        { contributor: X, contributions: [cid(1), cid(3)], weight: 10n ** 18n - 5n },
        { contributor: Y, contributions: [cid(2)], weight: 5n },
      ],
    };

    it("should write CSV with a header, ;-joined contributions and decimal weights", function () {
      expect(weightTableToCsv(t)).to.equal(
        `contributor,contributions,weight\n${X},${cid(1)};${cid(3)},999999999999999995\n${Y},${cid(2)},5\n`,
      );
    });

    it("should write JSON with bigints as decimal strings and read it back", function () {
      const text = weightTableToJson(t);
      const json = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(json)).to.deep.equal([
        "modelId",
        "epoch",
        "method",
        "specVersion",
        "methodId",
        "minSpan",
        "totalWeight",
        "entries",
      ]);
      // A table without a specification version (written by hand here) names the legacy id.
      expect([json.specVersion, json.methodId]).to.deep.equal([0, 1]);
      expect(json.modelId).to.equal("7");
      expect(json.totalWeight).to.equal("1000000000000000000");
      expect(json.entries).to.deep.equal([
        { contributor: X, contributions: [cid(1), cid(3)], weight: "999999999999999995" },
        { contributor: Y, contributions: [cid(2)], weight: "5" },
      ]);
      expect(weightTableFromJson(text)).to.deep.equal({ ...t, specVersion: 0 });
    });

    it("should refuse a JSON table whose weights do not sum to totalWeight", function () {
      const bad = weightTableToJson({ ...t, totalWeight: 1n });
      expect(() => weightTableFromJson(bad)).to.throw("sum");
    });

    it("should give StandardMerkleTree values [contributor, weight]", function () {
      expect(attributionLeafValues(t)).to.deep.equal([
        [X, "999999999999999995"],
        [Y, "5"],
      ]);
      const tree = StandardMerkleTree.of(attributionLeafValues(t), [...ATTRIBUTION_LEAF_ENCODING]);
      expect(tree.verify(0, tree.getProof(0))).to.equal(true);
    });
  });

  describe("createProgress", function () {
    const fakeStream = (isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } => {
      const written: string[] = [];
      const stream = { isTTY, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
      return { stream, written };
    };

    it("should draw on a TTY and end the line when done", function () {
      const { stream, written } = fakeStream(true);
      const bar = createProgress("work", 4, { stream, intervalMs: 0 });
      bar.tick(2);
      bar.done();
      expect(written.join("")).to.contain("50.0%").and.contain("100.0% 4/4");
      expect(written[written.length - 1]).to.equal("\n");
    });

    it("should stay silent when the stream is not a TTY or when quiet", function () {
      for (const [isTTY, quietFlag] of [
        [false, false],
        [true, true],
      ]) {
        const { stream, written } = fakeStream(isTTY);
        const bar = createProgress("work", 4, { stream, quiet: quietFlag, intervalMs: 0 });
        bar.tick();
        bar.done();
        expect(written).to.deep.equal([]);
      }
    });
  });
});
