/**
 * Off-chain voucher throughput (issue 20): a client signs a voucher per request and the model server
 * checks it (signature of the payer, chain, expiry, order, price), one thread. Prints one JSON line:
 * `vouchersPerSecond` per CPU-second of this process (one core's throughput, whatever else the
 * machine runs), and the wall-clock rate beside it.
 *
 *   npx tsx bench/vouchers.ts [--count N]
 */
import { VoucherChecker, VoucherSigner, type Voucher } from "../src/usage/voucher.js";

const arg = process.argv.indexOf("--count");
const count = arg > 0 ? Number(process.argv[arg + 1]) : 2_000;
if (!Number.isInteger(count) || count <= 0) {
  console.error("bench/vouchers.ts: --count must be a positive integer");
  process.exit(2);
}
const domain = { chainId: 31337n, escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const payers = Array.from(
  { length: 10 },
  (_, i) => new VoucherSigner("0x" + (i + 1).toString(16).padStart(64, "0"), domain),
);
const checker = new VoucherChecker(domain);
const latest = new Map<string, bigint>();
const root = "0x" + "ab".repeat(32);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < count; i++) {
  const signer = payers[i % payers.length];
  const previous = latest.get(signer.address) ?? 0n;
  const v: Voucher = {
    payer: signer.address,
    modelId: 1n,
    cumulativeUnits: previous + 1n,
    maxPricePerUnit: 10n ** 18n,
    usageRoot: root,
    expiry: 4_000_000_000n,
  };
  const signature = signer.sign(v);
  const problem = checker.problem(
    { voucher: v, signature },
    { modelId: 1n, latestUnits: previous, pricePerUnit: 10n ** 18n, now: 1_800_000_000n },
  );
  if (problem !== undefined) throw new Error(`voucher ${i}: ${problem}`);
  latest.set(signer.address, v.cumulativeUnits);
}
const wall = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
const cpuSeconds = (used.user + used.system) / 1e6;
console.log(
  JSON.stringify({
    count,
    vouchersPerSecond: Math.round(count / cpuSeconds),
    wallVouchersPerSecond: Math.round(count / wall),
    cpuSeconds: Number(cpuSeconds.toFixed(3)),
  }),
);
