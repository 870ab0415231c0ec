/**
 * `npm run bench:readme`: regenerates the README's gas table (between `<!-- gas-table:start -->`
 * and `<!-- gas-table:end -->`, under "## Gas") from bench/results.json. Touches nothing else of
 * the README. Refuses results that do not have the issue 7 shape.
 */
import { readFile, writeFile } from "node:fs/promises";
import { format, resolveConfig } from "prettier";
import { readmeGasTable, replaceGasTable, validateResults, type BenchResults } from "../bench/report.js";

const resultsPath = process.argv[2] ?? "bench/results.json";
const readmePath = process.argv[3] ?? "README.md";
const json: unknown = JSON.parse(await readFile(resultsPath, "utf8"));
const problems = validateResults(json);
if (problems.length) {
  console.error(`${resultsPath} does not have the benchmark's shape:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
const before = await readFile(readmePath, "utf8");
// Prettier aligns Markdown tables; the README must stay `prettier --check` clean (npm run lint).
const after = await format(replaceGasTable(before, readmeGasTable(json as BenchResults)), {
  ...(await resolveConfig(readmePath)),
  filepath: readmePath,
});
if (after === before) console.log(`${readmePath}: gas table already up to date`);
else {
  await writeFile(readmePath, after);
  console.log(`${readmePath}: gas table regenerated from ${resultsPath}`);
}
