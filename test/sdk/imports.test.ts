/**
 * Module boundaries, read from the source: the engines (merkle, attribution, settlement), the
 * read side and the verifier never reach a module that sends transactions, and the engines
 * import nothing of the SDK or the command line. Data flows one way: engines <- SDK <- CLI.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect } from "chai";

const ROOT = resolve(import.meta.dirname, "../..");

/** Every .ts file under `dir` (relative to the repository). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...filesUnder(path));
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The repository files `file` imports (static, re-exports and dynamic `import("...")`). */
function importsOf(file: string): string[] {
  const source = readFileSync(join(ROOT, file), "utf8");
  const specs = [
    ...source.matchAll(/(?:import|export)[^"';]*?from\s+"(\.[^"]+)"/g),
    ...source.matchAll(/import\(\s*"(\.[^"]+)"\s*\)/g),
    ...source.matchAll(/^import\s+"(\.[^"]+)";/gm),
  ].map((m) => m[1]);
  return specs.map((spec) => {
    const path = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, ".ts");
    if (!existsSync(join(ROOT, path)) && !path.includes("typechain-types"))
      throw new Error(`${file} imports ${spec}, which does not exist`);
    return path;
  });
}

/** Every repository file reachable from `roots` by imports, with the chain that reached it. */
function reachable(roots: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>(roots.map((r) => [r, [r]]));
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file.includes("typechain-types")) continue;
    for (const next of importsOf(file)) {
      if (seen.has(next)) continue;
      seen.set(next, [...seen.get(file)!, next]);
      queue.push(next);
    }
  }
  return seen;
}

/** The modules that send transactions: the send path and every action module built on it. */
const SENDING = (path: string): boolean =>
  path.startsWith("src/sdk/send/") ||
  ["datanets", "models", "payments", "attribution", "rewards", "usage", "watchtower", "index"].some(
    (m) => path === `src/sdk/${m}.ts`,
  );

describe("Module boundaries (import graph of src/)", function () {
  it("the send path: every action module imports it, nothing else under src/sdk does", function () {
    for (const m of ["datanets", "models", "payments", "attribution", "rewards", "watchtower"])
      expect(importsOf(`src/sdk/${m}.ts`)).to.include("src/sdk/send/index.ts");
    for (const file of [
      ...filesUnder("src/sdk/read"),
      ...filesUnder("src/sdk/transport"),
      "src/sdk/suite.ts",
    ])
      expect([...reachable([file]).keys()].filter(SENDING), file).to.deep.equal([]);
  });

  for (const dir of [
    "src/verifier",
    "src/provenance",
    "src/merkle",
    "src/attribution",
    "src/settlement",
    "src/usage",
  ]) {
    it(`${dir}: should reach no module that sends transactions`, function () {
      const reached = reachable(filesUnder(dir));
      const sending = [...reached.entries()]
        .filter(([path]) => SENDING(path))
        .map(([, chain]) => chain.join(" -> "));
      expect(sending).to.deep.equal([]);
    });
  }

  for (const dir of ["src/merkle", "src/attribution", "src/settlement", "src/usage"]) {
    it(`${dir}: the engine should import nothing of the SDK, the command line or Hardhat`, function () {
      const reached = [...reachable(filesUnder(dir)).keys()];
      expect(reached.filter((p) => /^src\/(sdk|cli|hardhat|verifier|provenance)\//.test(p))).to.deep.equal(
        [],
      );
    });
  }

  it("src/cli: no SDK or engine module should import the command-line support", function () {
    const outside = [...filesUnder("src")].filter((f) => !/^src\/(cli|demo)\//.test(f));
    const offenders = outside.filter((f) => importsOf(f).some((p) => p.startsWith("src/cli/")));
    expect(offenders).to.deep.equal([]);
  });
});
