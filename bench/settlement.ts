// Benchmark (not a test): a settlement of 1,000,000 accounts built from finalized pairs and written
// as `rewards settle` writes it: the tree dump and one proof file per account, streamed.
// Prints {"accounts","seconds","peakRssMB", ...} as JSON.
//   node bench/settlement.ts        (BENCH_ACCOUNTS, BENCH_OUT, BENCH_KEEP=1 to change the defaults)
import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { computeSettlement, type FinalizedPair } from "../src/settlement/index.js";
import { readSettlementProof, writeSettlementFiles } from "../src/settlement/files.js";
import { settlementTree } from "../src/settlement/tree.js";

const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const out = process.env.BENCH_OUT ?? "bench/tmp/settlement";
const keep = process.env.BENCH_KEEP === "1";
const PAIRS = 4;

// Input (not timed): four finalized (model, epoch) pairs whose tables split the accounts between
// them, as the ledger and the committed tables give them to `rewards settle`.
rmSync(out, { recursive: true, force: true });
const raw = randomBytes(20 * accounts);
const pairs: FinalizedPair[] = [];
for (let p = 0; p < PAIRS; p++) {
  const entries: { contributor: string; weight: bigint }[] = [];
  let totalWeight = 0n;
  for (let i = p; i < accounts; i += PAIRS) {
    const weight = BigInt(1 + (i % 1000));
    entries.push({ contributor: "0x" + raw.toString("hex", i * 20, i * 20 + 20), weight });
    totalWeight += weight;
  }
  entries.sort((a, b) => (a.contributor < b.contributor ? -1 : 1));
  pairs.push({
    modelId: BigInt(p + 1),
    epoch: 1n,
    pool: 10n ** 24n,
    finalizeSeq: BigInt(p + 1),
    totalWeight,
    entries,
  });
}

const t0 = performance.now();
const settlement = computeSettlement(pairs);
const tree = settlementTree(settlement);
const t1 = performance.now();
const files = await writeSettlementFiles(tree, out, 1);
const t2 = performance.now();

// Spot check: a few proof files verify against the root (readSettlementProof folds each proof).
const names = readdirSync(files.proofs);
if (names.length !== accounts) throw new Error(`${names.length} proof files for ${accounts} accounts`);
for (const name of [names[0], names[names.length >> 1], names[names.length - 1]]) {
  const proof = await readSettlementProof(join(files.proofs, name));
  if (proof.root !== tree.root) throw new Error(`${name} proves another root`);
}
if (!keep) rmSync(out, { recursive: true, force: true });

console.log(
  JSON.stringify({
    accounts,
    seconds: Number(((t2 - t0) / 1000).toFixed(3)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    buildSeconds: Number(((t1 - t0) / 1000).toFixed(3)),
    writeSeconds: Number(((t2 - t1) / 1000).toFixed(3)),
    writtenMB: Math.round(files.bytes / 2 ** 20),
    root: tree.root,
  }),
);
