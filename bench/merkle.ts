// Benchmark (not a test): 1,000,000 settlement leaves, the tree, and every proof streamed to one
// proofs file. Prints {"leaves","seconds","peakRssMB", ...} as JSON.
//   npm run bench:merkle            (BENCH_LEAVES, BENCH_THREADS, BENCH_OUT to change the defaults)
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import {
  FastMerkleTree,
  SETTLEMENT_LEAF_ENCODING,
  toChecksumAddress,
  writeProofs,
} from "../src/merkle/index.js";
import { settlementLeafRows, settlementLeaves } from "../src/settlement/tree.js";

const leaves = Number(process.env.BENCH_LEAVES ?? 1_000_000);
const threads = process.env.BENCH_THREADS === undefined ? undefined : Number(process.env.BENCH_THREADS);
const out = process.env.BENCH_OUT ?? "bench/tmp/proofs.json";
const keep = process.env.BENCH_KEEP === "1";

// Input (not timed): lowercase addresses and bigint amounts, as a settlement job reads them from its
// tables. BENCH_CHECKSUMMED=1 gives EIP-55 mixed-case addresses instead, which the encoder verifies
// (one extra keccak a leaf).
const checksummed = process.env.BENCH_CHECKSUMMED === "1";
const raw = randomBytes(20 * leaves);
const values: [string, bigint][] = new Array<[string, bigint]>(leaves);
for (let i = 0; i < leaves; i++) {
  const address = "0x" + raw.toString("hex", i * 20, i * 20 + 20);
  values[i] = [checksummed ? toChecksumAddress(address) : address, 10n ** 18n * BigInt(i + 1) + 12_345n];
}
mkdirSync(dirname(out), { recursive: true });

// The settlement tree's linked leaves (sorted by account, links and prefix sums).
const rows = settlementLeafRows(
  settlementLeaves(values.map(([account, cumulativeAmount]) => ({ account, cumulativeAmount }))),
);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const tree = FastMerkleTree.of(rows, SETTLEMENT_LEAF_ENCODING, threads === undefined ? {} : { threads });
const t1 = performance.now();
const cpu1 = process.cpuUsage(cpu0);
const written = await writeProofs(tree, out);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);

// Spot check: a few proofs from the file's source verify against the root.
for (const i of [0, leaves >> 1, leaves - 1]) {
  if (!FastMerkleTree.verify(tree.root, SETTLEMENT_LEAF_ENCODING, rows[i]!, tree.proof(i))) {
    throw new Error(`proof ${i} does not verify`);
  }
}
if (!keep) rmSync(out, { force: true });

console.log(
  JSON.stringify({
    leaves,
    checksummed,
    seconds: Number(((t2 - t0) / 1000).toFixed(3)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    treeSeconds: Number(((t1 - t0) / 1000).toFixed(3)),
    proofsSeconds: Number(((t2 - t1) / 1000).toFixed(3)),
    proofsFileMB: Math.round(written.bytes / 2 ** 20),
    threads: threads ?? "default",
    treeCpuSeconds: Number(((cpu1.user + cpu1.system) / 1e6).toFixed(3)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    root: tree.root,
  }),
);
