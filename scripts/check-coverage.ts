/**
 * Line and branch coverage of contracts/ (mocks and test contracts excluded), from the data that
 * `hardhat test --coverage` leaves in coverage/. Prints a per-file table and fails unless every
 * line and every measured branch is covered.
 * Run: `npm run coverage:check` (runs the coverage first), or `node scripts/check-coverage.ts`
 * on the data of the last `npm run coverage` (`--all` lists every branch).
 *
 * Lines come from coverage/lcov.info as Hardhat writes it. Hardhat writes no branch data (EDR
 * reports statements only), so branches are derived here from:
 * - the statements EDR instruments: recomputed with the same EDR function Hardhat calls
 *   (`addStatementCoverageInstrumentation(source, "project/<path>", solcVersion)`, whose tags are
 *   deterministic in source, source name and version); every hit tag of the run must be one of
 *   them, otherwise the data are stale or the recomputation differs from Hardhat's and we fail;
 * - the executed tags in coverage/data/{mocha,solidity}/*.json: tag -> number of transactions
 *   that ran the statement (EDR reports each tag once per transaction; Hardhat sums them);
 * - the solc AST of each file (parsing only), to find the branches and their statements.
 *
 * Branches (h(X) = number of transactions that ran statement X):
 * - `if (c) T else F`: true side taken iff h(T) > 0; false side iff h(F) > 0.
 * - `if (c) T` with no `else`, followed by statement N in the same block: false side taken iff
 *   T always leaves (ends with revert/return/break/continue) and h(N) > 0, or h(N) > h(T) (some
 *   transaction reached N without running T, so c was false in it).
 * - `if (c) T` with no `else` and no statement after it in its block: the false side leaves no
 *   statement behind; it is counted as taken iff h(if) > h(T) (a transaction ran the `if` but not
 *   T). This is weaker evidence (a condition that reverts would also count), so these branches
 *   are counted apart in the output. Inside a loop body this tells nothing unless T reverts or
 *   returns (a transaction that takes the false side in one iteration may take the true side in
 *   another): the false side of such an `if` whose T may fall through is not measurable.
 * - `try`: each clause (success and every `catch`) is taken iff its block ran.
 * - Not measurable from statement data, counted and listed but not checked: ternaries `?:`,
 *   short-circuit `&&` / `||`, `require` / `assert` (expressions inside one statement), and the
 *   false side of an `if` without `else` that ends a block inside a loop (above).
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const COVERAGE_DIR = join(ROOT, "coverage");
const EXCLUDED = [/^contracts\/mocks\//, /^contracts\/test\//, /\.t\.sol$/];

// ---------------------------------------------------------------------------------------------
// Inputs

interface EdrStatement {
  tag: Uint8Array;
  kind: string;
  startUtf16: number;
  endUtf16: number;
}
interface Edr {
  addStatementCoverageInstrumentation(
    source: string,
    sourceId: string,
    solidityVersion: string,
  ): { metadata: EdrStatement[] };
  latestSupportedSolidityVersion(): string;
}
interface Solc {
  compile(input: string): string;
}

const require = createRequire(import.meta.url);
// EDR as Hardhat itself resolves it, so that the tags are computed by the same code.
const hardhatRequire = createRequire(import.meta.resolve("hardhat"));
const edr = hardhatRequire("@nomicfoundation/edr") as Edr;
const solc = require("solc") as Solc;

/** The version Hardhat instruments with: the compiler's, capped at EDR's latest supported. */
function instrumentationVersion(): string {
  // The coverage build profile (hardhat.config.ts) compiles every file with the solc-0.8.30 package.
  const solcVersion = (require("solc-0.8.30/package.json") as { version: string }).version;
  const latest = edr.latestSupportedSolidityVersion();
  const parse = (v: string) => v.split(".").map(Number);
  const [a, b] = [parse(solcVersion), parse(latest)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? solcVersion : latest;
  return solcVersion;
}

function solidityFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? solidityFiles(`${dir}/${e.name}`) : e.name.endsWith(".sol") ? [`${dir}/${e.name}`] : [],
  );
}

/** tag -> number of transactions that ran it, summed over every data file of the last run. */
function loadHits(): Map<string, number> {
  const hits = new Map<string, number>();
  const dataDir = join(COVERAGE_DIR, "data");
  if (!existsSync(dataDir)) return hits;
  for (const run of readdirSync(dataDir)) {
    for (const file of readdirSync(join(dataDir, run))) {
      if (!file.endsWith(".json")) continue;
      const data = JSON.parse(readFileSync(join(dataDir, run, file), "utf8")) as Record<string, number>;
      for (const [tag, count] of Object.entries(data)) hits.set(tag, (hits.get(tag) ?? 0) + count);
    }
  }
  return hits;
}

interface LineCoverage {
  found: number;
  hit: number;
  missed: number[];
  byLine: Map<number, boolean>;
}

function loadLcov(): Map<string, LineCoverage> {
  const result = new Map<string, LineCoverage>();
  const path = join(COVERAGE_DIR, "lcov.info");
  if (!existsSync(path)) return result;
  for (const record of readFileSync(path, "utf8").split("end_of_record")) {
    const file = /^SF:(.+)$/m.exec(record)?.[1]?.trim();
    if (!file) continue;
    const lines = [...record.matchAll(/^DA:(\d+),(\d+)/gm)].map((m) => ({ line: +m[1], hits: +m[2] }));
    result.set(file, {
      found: lines.length,
      hit: lines.filter((l) => l.hits > 0).length,
      missed: lines.filter((l) => l.hits === 0).map((l) => l.line),
      byLine: new Map(lines.map((l) => [l.line, l.hits > 0])),
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Source positions: solc gives UTF-8 byte offsets, EDR UTF-16 code units.

class SourceText {
  readonly text: string;
  readonly #byteToUtf16: Uint32Array;
  readonly #lineStarts: number[] = [0];

  constructor(text: string) {
    this.text = text;
    this.#byteToUtf16 = new Uint32Array(Buffer.byteLength(text, "utf8") + 1);
    let byte = 0;
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < bytes; k++) this.#byteToUtf16[byte + k] = i;
      byte += bytes;
      i += units;
    }
    this.#byteToUtf16[byte] = text.length;
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.#lineStarts.push(i + 1);
  }

  /** [start, end) in UTF-16 units of a solc `src` ("byteStart:byteLength:fileIndex"). */
  range(src: string): [number, number] {
    const [start, length] = src.split(":").map(Number);
    return [this.#byteToUtf16[start], this.#byteToUtf16[start + length]];
  }

  line(utf16: number): number {
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#lineStarts[mid] <= utf16) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

interface Statement {
  tag: string;
  start: number;
  end: number;
}

const TRIVIA = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*$/;

/**
 * Line hits as Hardhat computes them from the same statements (process-coverage.js): a line is
 * executable if it holds a character of a statement that is not blank, a brace, a comment, an
 * `} else {`, a function signature or a catch clause head; it is missed if such a character
 * belongs to a statement that never ran. Used to check that lcov.info and coverage/data come from
 * the same run.
 */
function linesOf(
  text: string,
  statements: Statement[],
  ran: (s: Statement) => boolean,
): Map<number, boolean> {
  const IGNORED = 0;
  const EXECUTED = 1;
  const MISSED = 2;
  const status = new Uint8Array(text.length);
  const start = Math.min(...statements.map((s) => s.start));
  const end = Math.max(...statements.map((s) => s.end));
  for (let i = start; i < end; i++) if (!/[\s{}]/.test(text[i])) status[i] = EXECUTED;
  for (const s of statements) {
    if (ran(s)) continue;
    for (let i = s.start; i < s.end; i++) if (status[i] !== IGNORED) status[i] = MISSED;
  }
  const ignored = [
    /\/\/.*?(?=\n|$)/g,
    /\/\*[\s\S]*?\*\//g,
    /\}\s*\belse\b\s*\{/g,
    /^\s*(function\s+[A-Za-z_$][A-Za-z0-9_$]*\s*\([\s\S]*?\)[^{]*?)(?=\s*\{)/gm,
    /\bcatch\b(?:\s+[A-Za-z_][A-Za-z0-9_]*)?\s*(?:\([\s\S]*?\))?(?=\s*\{)/g,
  ];
  for (const re of ignored) {
    for (const m of text.matchAll(re)) status.fill(IGNORED, m.index, m.index + m[0].length);
  }
  const lines = new Map<number, boolean>();
  let line = 1;
  let executable = false;
  let missed = false;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === "\n") {
      if (executable) lines.set(line, !missed);
      if (i === text.length) break;
      line++;
      executable = false;
      missed = false;
      continue;
    }
    if (status[i] !== IGNORED) executable = true;
    if (status[i] === MISSED) missed = true;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Branches

interface AstNode {
  nodeType: string;
  src: string;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is AstNode =>
  typeof v === "object" && v !== null && typeof (v as AstNode).nodeType === "string";

function childrenOf(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const value of Object.values(node)) {
    if (isNode(value)) out.push(value);
    else if (Array.isArray(value)) for (const v of value) if (isNode(v)) out.push(v);
  }
  return out;
}

type Evidence = "strong" | "weak";
interface Branch {
  line: number;
  what: string; // "if true", "if false", "try", "catch"
  taken: boolean;
  evidence: Evidence;
}
interface Unmeasurable {
  line: number;
  what: string; // "?:", "&&", "||", "require", "assert", "if false (last in a loop body, T may fall through)"
}

function analyseFile(
  source: SourceText,
  ast: AstNode,
  statements: Statement[],
  hits: Map<string, number>,
): { branches: Branch[]; unmeasurable: Unmeasurable[] } {
  const branches: Branch[] = [];
  const unmeasurable: Unmeasurable[] = [];
  const h = (s: Statement | undefined) => (s === undefined ? 0 : (hits.get(s.tag) ?? 0));

  /** The instrumented statement of an AST statement: the innermost EDR span around it that
   *  starts with trivia only (EDR spans include leading whitespace and comments). */
  const statementOf = (node: AstNode): Statement | undefined => {
    const [start, end] = source.range(node.src);
    let best: Statement | undefined;
    for (const s of statements) {
      if (s.start > start || s.end < end || !TRIVIA.test(source.text.slice(s.start, start))) continue;
      if (best === undefined || s.end - s.start < best.end - best.start) best = s;
    }
    return best;
  };
  /** The statement that shows a body ran: the body itself, or its first statement. */
  const entryOf = (body: AstNode): Statement | undefined => {
    const own = statementOf(body);
    if (own !== undefined) return own;
    const first = (body.statements as AstNode[] | undefined)?.[0];
    return first === undefined ? undefined : statementOf(first);
  };
  /** Whether a body always leaves: by revert or return, or also by break/continue. */
  const leaves = (node: AstNode | undefined, loopJumps = true): boolean => {
    if (node === undefined) return false;
    switch (node.nodeType) {
      case "Return":
      case "RevertStatement":
        return true;
      case "Break":
      case "Continue":
        return loopJumps;
      case "Block":
      case "UncheckedBlock": {
        const list = node.statements as AstNode[];
        return leaves(list[list.length - 1], loopJumps);
      }
      case "IfStatement":
        return (
          leaves(node.trueBody as AstNode, loopJumps) &&
          leaves(node.falseBody as AstNode | undefined, loopJumps)
        );
      case "ExpressionStatement": {
        const call = node.expression as AstNode;
        const callee = call.nodeType === "FunctionCall" ? (call.expression as AstNode) : undefined;
        return callee?.nodeType === "Identifier" && callee.name === "revert";
      }
      default:
        return false;
    }
  };

  const next = new Map<AstNode, AstNode>(); // statement -> following statement in its block
  const lineOf = (node: AstNode) => source.line(source.range(node.src)[0]);

  const visit = (node: AstNode, inLoop: boolean): void => {
    if (node.nodeType === "Block" || node.nodeType === "UncheckedBlock") {
      const list = node.statements as AstNode[];
      for (let i = 0; i + 1 < list.length; i++) next.set(list[i], list[i + 1]);
    }
    switch (node.nodeType) {
      case "IfStatement": {
        const line = lineOf(node);
        const trueBody = node.trueBody as AstNode;
        const falseBody = node.falseBody as AstNode | undefined;
        const t = entryOf(trueBody);
        if (t === undefined) {
          unmeasurable.push({ line, what: "if (body without statements)" });
          break;
        }
        branches.push({ line, what: "if true", taken: h(t) > 0, evidence: "strong" });
        if (falseBody !== undefined) {
          branches.push({
            line,
            what: "if false (else)",
            taken: h(entryOf(falseBody)) > 0,
            evidence: "strong",
          });
        } else {
          const following = next.get(node);
          if (following !== undefined) {
            const n = statementOf(following);
            const taken = (leaves(trueBody) && h(n) > 0) || h(n) > h(t);
            branches.push({ line, what: "if false", taken, evidence: "strong" });
          } else if (inLoop && !leaves(trueBody, false)) {
            unmeasurable.push({ line, what: "if false (last in a loop body, T may fall through)" });
          } else {
            const taken = h(statementOf(node)) > h(t);
            branches.push({ line, what: "if false (last in block)", taken, evidence: "weak" });
          }
        }
        break;
      }
      case "TryStatement":
        for (const [i, clause] of (node.clauses as AstNode[]).entries()) {
          const what =
            i === 0 ? "try success" : `catch${clause.errorName ? ` ${String(clause.errorName)}` : ""}`;
          const taken = h(entryOf(clause.block as AstNode)) > 0;
          branches.push({ line: lineOf(clause), what, taken, evidence: "strong" });
        }
        break;
      case "Conditional":
        unmeasurable.push({ line: lineOf(node), what: "?:" });
        break;
      case "BinaryOperation":
        if (node.operator === "&&" || node.operator === "||") {
          unmeasurable.push({ line: lineOf(node), what: String(node.operator) });
        }
        break;
      case "FunctionCall": {
        const callee = node.expression as AstNode;
        if (callee.nodeType === "Identifier" && (callee.name === "require" || callee.name === "assert")) {
          unmeasurable.push({ line: lineOf(node), what: String(callee.name) });
        }
        break;
      }
    }
    const loop = inLoop || ["ForStatement", "WhileStatement", "DoWhileStatement"].includes(node.nodeType);
    for (const child of childrenOf(node)) visit(child, loop);
  };
  visit(ast, false);
  return { branches, unmeasurable };
}

// ---------------------------------------------------------------------------------------------
// Main

const version = instrumentationVersion();
const allFiles = solidityFiles("contracts").sort();
const checkedFiles = allFiles.filter((f) => !EXCLUDED.some((re) => re.test(f)));
const hits = loadHits();
const lcov = loadLcov();

if (hits.size === 0 || lcov.size === 0) {
  console.error("No coverage data in coverage/: run `npm run coverage` first.");
  process.exit(1);
}

const sources = new Map(allFiles.map((f) => [f, new SourceText(readFileSync(join(ROOT, f), "utf8"))]));
const statementsOf = new Map<string, Statement[]>();
const knownTags = new Set<string>();
for (const f of allFiles) {
  const { metadata } = edr.addStatementCoverageInstrumentation(sources.get(f)!.text, `project/${f}`, version);
  const statements = metadata
    .filter((m) => m.kind === "statement")
    .map((m) => ({ tag: Buffer.from(m.tag).toString("hex"), start: m.startUtf16, end: m.endUtf16 }));
  statementsOf.set(f, statements);
  for (const s of statements) knownTags.add(s.tag);
}
// Only project files outside the tests are instrumented, i.e. contracts/: every executed tag must
// be one of the recomputed ones.
const unknown = [...hits.keys()].filter((tag) => !knownTags.has(tag));
if (unknown.length > 0) {
  console.error(
    `${unknown.length} of ${hits.size} executed statement tags in coverage/data are not statements of the ` +
      "current contracts/: the data are stale (rerun `npm run coverage`) or EDR's instrumentation changed.",
  );
  process.exit(1);
}

const solcInput = {
  language: "Solidity",
  sources: Object.fromEntries(checkedFiles.map((f) => [f, { content: sources.get(f)!.text }])),
  settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
};
const solcOutput = JSON.parse(solc.compile(JSON.stringify(solcInput))) as {
  errors?: { severity: string; formattedMessage: string }[];
  sources: Record<string, { ast: AstNode }>;
};
const solcErrors = (solcOutput.errors ?? []).filter((e) => e.severity === "error");
if (solcErrors.length > 0) {
  console.error(solcErrors.map((e) => e.formattedMessage).join("\n"));
  process.exit(1);
}

interface Row {
  file: string;
  lines: LineCoverage;
  branches: Branch[];
  unmeasurable: Unmeasurable[];
}
const rows: Row[] = [];
for (const file of checkedFiles) {
  const statements = statementsOf.get(file)!;
  if (statements.length === 0) continue; // interfaces: nothing executable
  const lines = lcov.get(file);
  if (lines === undefined) {
    console.error(
      `${file} has statements but no line record in coverage/lcov.info: rerun \`npm run coverage\`.`,
    );
    process.exit(1);
  }
  const recomputed = linesOf(sources.get(file)!.text, statements, (st) => hits.has(st.tag));
  const differing = [...new Set([...recomputed.keys(), ...lines.byLine.keys()])].filter(
    (l) => recomputed.get(l) !== lines.byLine.get(l),
  );
  if (differing.length > 0) {
    console.error(
      `${file}: coverage/lcov.info and coverage/data disagree on lines ${differing.slice(0, 10).join(", ")}` +
        " (not from the same run?): rerun `npm run coverage`.",
    );
    process.exit(1);
  }
  const analysis = analyseFile(sources.get(file)!, solcOutput.sources[file].ast, statements, hits);
  rows.push({ file, lines, ...analysis });
}

const pct = (hit: number, found: number) => (found === 0 ? "-" : `${((100 * hit) / found).toFixed(2)}%`);
const header = ["file", "lines", "", "branches", "", "not measurable"];
const table = rows.map((r) => {
  const taken = r.branches.filter((b) => b.taken).length;
  return [
    r.file,
    pct(r.lines.hit, r.lines.found),
    `${r.lines.hit}/${r.lines.found}`,
    pct(taken, r.branches.length),
    `${taken}/${r.branches.length}`,
    String(r.unmeasurable.length),
  ];
});
const sum = (f: (r: Row) => number) => rows.reduce((a, r) => a + f(r), 0);
const linesHit = sum((r) => r.lines.hit);
const linesFound = sum((r) => r.lines.found);
const branchesTaken = sum((r) => r.branches.filter((b) => b.taken).length);
const branchesFound = sum((r) => r.branches.length);
table.push([
  "contracts/ (total)",
  pct(linesHit, linesFound),
  `${linesHit}/${linesFound}`,
  pct(branchesTaken, branchesFound),
  `${branchesTaken}/${branchesFound}`,
  String(sum((r) => r.unmeasurable.length)),
]);
const widths = header.map((_, i) => Math.max(header[i].length, ...table.map((row) => row[i].length)));
const format = (row: string[]) =>
  row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(format(header));
for (const row of table) console.log(format(row));

const weak = rows.flatMap((r) => r.branches.filter((b) => b.evidence === "weak"));
console.log(
  `\nBranches: if/else sides and try/catch clauses, from EDR's executed statements (see scripts/check-coverage.ts).` +
    `\n${weak.length} of them are the false side of an \`if\` without \`else\` that ends its block, counted as taken ` +
    `when a transaction ran the \`if\` but not its body (${weak.filter((b) => b.taken).length} taken).`,
);
const kinds = new Map<string, number>();
for (const u of rows.flatMap((r) => r.unmeasurable)) kinds.set(u.what, (kinds.get(u.what) ?? 0) + 1);
console.log(
  `Not measurable from statement data (not checked): ` +
    (kinds.size === 0 ? "none" : [...kinds].map(([k, n]) => `${n} \`${k}\``).join(", ")) +
    ".",
);

if (process.argv.includes("--all")) {
  for (const r of rows) {
    for (const b of r.branches)
      console.log(`${b.taken ? "taken " : "MISSED"}  ${r.file}:${b.line} ${b.what}`);
    for (const u of r.unmeasurable) console.log(`n/a     ${r.file}:${u.line} ${u.what}`);
  }
}

let failed = false;
for (const r of rows) {
  if (r.lines.missed.length > 0) {
    failed = true;
    console.error(`missed lines   ${r.file}: ${r.lines.missed.join(", ")}`);
  }
  for (const b of r.branches.filter((x) => !x.taken)) {
    failed = true;
    console.error(`missed branch  ${r.file}:${b.line} ${b.what}`);
  }
}
if (failed) {
  console.error(
    "Line or branch coverage of contracts/ is below 100%: add tests for the missed lines and branches.",
  );
  process.exit(1);
}
console.log("contracts/: 100% of lines and of measured branches.");
