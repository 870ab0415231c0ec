/**
 * Writes the attribution test vectors (docs/attribution.md, "Test vectors") to
 * test/vectors/attribution/<name>.json, or checks the files against this engine.
 *
 *   npx tsx scripts/attribution-vectors.ts          # check: exit 1 on any difference
 *   npx tsx scripts/attribution-vectors.ts --write  # (re)write the files
 *
 * The inputs are defined here; the expected spans, table and root are what this engine computes,
 * and the tests pin the hand-computed figures of docs/attribution.md on top of them.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { computeVector, type AttributionVector, type VectorInputs } from "../src/attribution/vectors.js";

const X = "0x" + "11".repeat(20);
const Y = "0x" + "22".repeat(20);
const Z = "0x" + "33".repeat(20);
const cid = (n: number): string => "0x" + n.toString(16).padStart(64, "0");

/** Contribution `n` of a vector: its contributor, datanet, version, registered size and text. */
const entry = (
  n: number,
  contributor: string,
  datanetId: string,
  versionNumber: string,
  size: number,
  text: string,
) => ({
  contributionId: cid(n),
  contributor,
  datanetId,
  versionNumber,
  size,
  text,
});
const E18 = (10n ** 18n).toString();

const common = { specVersion: 1, modelId: "7", epoch: "3" };

/** Span-match vectors register each text's UTF-8 length as its size, as the chain would. */
const sized = (v: VectorInputs): VectorInputs =>
  v.method === "span-match"
    ? { ...v, contributions: v.contributions.map((c) => ({ ...c, size: Buffer.byteLength(c.text, "utf8") })) }
    : v;

export const VECTORS: VectorInputs[] = (
  [
    {
      ...common,
      name: "greedy-gap",
      description:
        "A longer span starting inside an earlier one: greedy matching takes [0,5) then [5,9) (X 5 tokens, Y 4); " +
        "the maximal spans are [0,5) in c1 and [2,9) in c2, tokens 2-4 go to the longer [2,9): X 2 tokens, Y 7.",
      method: "span-match",
      minSpan: 3,
      totalWeight: E18,
      contributions: [
        entry(1, X, "1", "1", 23, "one two three four five"),
        entry(2, Y, "1", "1", 37, "three four five six seven eight nine"),
      ],
      outputs: [{ id: "o1", text: "one two three four five six seven eight nine" }],
    },
    {
      ...common,
      name: "shared-content-ties",
      description:
        "c1 and c2 hold the same text (one document, two contributions, two datanets); c3 shares a 3-token prefix. " +
        "Credits c1 = c2 = 3, c3 = 1 of 7; total 100: floors 42, 42, 14 with remainders 6, 6, 2; the 2 units left go to c1 then c2 (tie: smaller id).",
      method: "span-match",
      minSpan: 2,
      totalWeight: "100",
      contributions: [
        entry(1, X, "1", "4", 22, "alpha beta gamma delta"),
        entry(2, Y, "2", "1", 22, "alpha beta gamma delta"),
        entry(3, Z, "1", "4", 24, "alpha beta gamma epsilon"),
      ],
      outputs: [
        { id: "o1", text: "Alpha, beta; gamma: delta." },
        { id: "o2", text: "alpha beta gamma zeta" },
      ],
    },
    {
      ...common,
      name: "tokenizer-unicode-boundaries",
      description:
        "NFC (decomposed e + U+0301 equals precomposed e-acute), lower-casing, apostrophe and dash as separators, digits and " +
        "Devanagari marks inside tokens; a span never crosses a document boundary; unknown tokens match nothing. X 7 tokens, Y 4.",
      method: "span-match",
      minSpan: 2,
      totalWeight: E18,
      contributions: [
        entry(1, X, "1", "1", 36, "Le Caf\u00e9 de l'\u00c9cole, 2024 \u2014 na\u00efve"),
        entry(
          2,
          Y,
          "1",
          "1",
          48,
          "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e hello world",
        ),
      ],
      outputs: [
        {
          id: "o1",
          text: "LE CAFE\u0301 DE L'\u00c9COLE 2024!!! na\u00efve \u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e",
        },
        { id: "o2", text: "hello world unknownword hello" },
      ],
    },
    {
      ...common,
      name: "datanet-size",
      description:
        "Datanet weights 7000/3000/5000 bps; datanet 3 has no contribution and is skipped, so 1000 splits 700/300; " +
        "datanet 1 splits 700 by size 100:200:0 -> 233 + 467 (remainders 100 and 200 of 300, the unit left goes to c2); datanet 2 gives c4 all 300.",
      method: "datanet-size",
      totalWeight: "1000",
      datanetWeights: { "1": 7000, "2": 3000, "3": 5000 },
      contributions: [
        entry(1, X, "1", "2", 100, "first text of datanet one"),
        entry(2, Y, "1", "2", 200, "second text of datanet one"),
        { contributionId: cid(3), contributor: Z, datanetId: "1", versionNumber: "2", size: 0, text: "" },
        entry(4, X, "2", "5", 50, "only text of datanet two"),
      ],
    },
  ] satisfies VectorInputs[]
).map(sized);

const dir = join(import.meta.dirname, "..", "test", "vectors", "attribution");

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const write = process.argv.includes("--write");
  let differences = 0;
  for (const v of VECTORS) {
    const file = join(dir, `${v.name}.json`);
    const vector: AttributionVector = { ...v, expected: await computeVector(v) };
    if (write) {
      await writeFile(file, JSON.stringify(vector, null, 2) + "\n");
      console.log(`wrote ${file}`);
    } else {
      const onDisk = JSON.parse(await readFile(file, "utf8")) as unknown;
      if (!isDeepStrictEqual(onDisk, JSON.parse(JSON.stringify(vector)))) {
        differences++;
        console.error(
          `${file}: differs from what this engine computes (rerun with --write if the specification changed)`,
        );
      }
    }
  }
  if (differences > 0) process.exit(1);
}
