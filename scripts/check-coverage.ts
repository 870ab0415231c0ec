/**
 * Reads coverage/lcov.info (written by `hardhat test --coverage`) and fails unless every line of
 * contracts/ is covered (mocks and test contracts excluded). Prints a per-file table.
 * Run: `npm run coverage:check` (runs the coverage first).
 */
import { readFileSync } from "node:fs";

const EXCLUDED = [/^contracts\/mocks\//, /^contracts\/test\//, /\.t\.sol$/];
const lcov = readFileSync(new URL("../coverage/lcov.info", import.meta.url), "utf8");

interface FileCoverage {
  file: string;
  found: number;
  hit: number;
  missed: number[];
}

const files: FileCoverage[] = [];
for (const record of lcov.split("end_of_record")) {
  const file = /^SF:(.+)$/m.exec(record)?.[1]?.trim();
  if (!file || !file.startsWith("contracts/") || EXCLUDED.some((re) => re.test(file))) continue;
  const lines = [...record.matchAll(/^DA:(\d+),(\d+)/gm)].map((m) => ({ line: +m[1], hits: +m[2] }));
  files.push({
    file,
    found: lines.length,
    hit: lines.filter((l) => l.hits > 0).length,
    missed: lines.filter((l) => l.hits === 0).map((l) => l.line),
  });
}

let found = 0;
let hit = 0;
for (const f of files) {
  found += f.found;
  hit += f.hit;
  const pct = f.found === 0 ? 100 : (100 * f.hit) / f.found;
  const missed = f.missed.length ? `  missed lines: ${f.missed.join(", ")}` : "";
  console.log(`${pct.toFixed(2).padStart(7)}%  ${f.file}${missed}`);
}
const total = found === 0 ? 100 : (100 * hit) / found;
console.log(`${total.toFixed(2).padStart(7)}%  contracts/ (${hit}/${found} lines)`);
if (files.length === 0) {
  console.error("No contracts/ file in coverage/lcov.info: run `npm run coverage` first.");
  process.exit(1);
}
if (hit < found) {
  console.error("Line coverage of contracts/ is below 100%: add tests for the missed lines above.");
  process.exit(1);
}
