/**
 * What the verifier checks of a weight table beyond its root (docs/attribution.md, "What a
 * verifier checks"):
 * - consent and membership: every unit of weight is assigned to a contribution of the entry's
 *   contributor that is a member of a datanet version the model was trained on;
 * - recomputation: the table recomputed from the chain, the contributed texts (fetched by URI,
 *   keccak256 checked) and the published outputs, under the specification its method id names;
 *   the first contributor whose weight differs is named, and every other one;
 * - a table that cannot be recomputed is UNVERIFIABLE, never OK.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  attributeOutputsFile,
  buildSpanIndex,
  compareHex,
  contentFileName,
  contentHashOf,
  corpusKey,
  datanetWeightTable,
  describeMethodId,
  isRecomputable,
  openOrBuildIndex,
  type SpanSource,
  ATTRIBUTION_SPEC_VERSION,
  type ManifestEntry,
  type WeightTable,
} from "../attribution/index.js";
import type { SuiteEvent } from "../sdk/read/events.js";
import type { CommitmentNode } from "../sdk/read/ledger.js";
import {
  commitmentPosition,
  trainingInputsAt,
  versionKey,
  versionMembership,
  type TrainingInput,
  type VersionMember,
} from "../sdk/read/membership.js";
import type { Suite } from "../sdk/suite.js";
import type { FetchBytes } from "./fetch.js";
import { readUriBytes, tableRoot } from "./tables.js";

/** The verdict on one commitment's weights. */
export type AttributionStatus = "OK" | "MISMATCH" | "UNVERIFIABLE";

/** What the verifier concluded about one (model, epoch) table. */
export interface AttributionVerdict {
  modelId: string;
  epoch: string;
  methodId: number;
  status: AttributionStatus;
  /** Why it is unverifiable or mismatched, or what was recomputed. */
  detail: string;
}

/** Options of {@link checkAttributionTables}. */
export interface AttributionCheckOptions {
  /** Reads contributed texts and published outputs (default: files, local paths, http(s) under the network policy of fetch.ts). */
  fetchContent?: FetchBytes;
  /** A local store of contributed texts named `<contentHash>.txt`, read before the URIs. */
  contentDir?: string;
  /** Worker threads for indexing and span matching (default one per core). */
  workers?: number;
  /**
   * A span-index store (see `openOrBuildIndex`): an index this verifier built earlier for the
   * same texts is reopened instead of fetching and indexing them again; new ones are added.
   */
  indexDir?: string;
}

/** The mismatch fields this module reports (a subset of the verifier's `Mismatch`). */
export interface AttributionMismatch {
  kind: "attribution-unbacked" | "attribution-consent" | "attribution-breakdown" | "attribution-recompute";
  modelId: string;
  epoch: string;
  account?: string;
  expected: string;
  actual: string;
  message: string;
}

/** Where checks and mismatches are recorded (the verifier's recorder). */
export interface CheckSink {
  assert(holds: boolean, m: AttributionMismatch): boolean;
}

/** A commitment and the table read for it. */
export interface CommittedTable {
  commitment: CommitmentNode;
  table?: WeightTable;
}

class Unverifiable extends Error {}

const where = (c: { modelId: bigint; epoch: bigint }) => `model ${c.modelId} epoch ${c.epoch}`;

/** A training input's members, each with the version that holds it. */
type Member = VersionMember & { versionNumber: string };

/** Checks every live table: consent and membership, then recomputation. */
export async function checkAttributionTables(
  events: readonly SuiteEvent[],
  tables: Iterable<CommittedTable>,
  sink: CheckSink,
  context: { suite: Suite; block: number },
  options: AttributionCheckOptions = {},
): Promise<AttributionVerdict[]> {
  const membership = versionMembership(events);
  const statusOf = contributionStatuses(events);
  const verdicts: AttributionVerdict[] = [];
  const work = await mkdtemp(join(tmpdir(), "openledger-verify-"));
  const indexes = new Map<string, SpanSource>();
  try {
    for (const { commitment: c, table } of tables) {
      if (c.voided || !table) continue;
      const base = { modelId: c.modelId.toString(), epoch: c.epoch.toString(), methodId: c.methodId };
      const pos = commitmentPosition(events, c.modelId, c.epoch);
      const inputs = pos ? trainingInputsAt(events, c.modelId, pos) : undefined;
      const members = new Map<string, Member>();
      for (const t of inputs ?? [])
        for (const m of membership.get(versionKey(t.datanetId, t.versionNumber)) ?? [])
          members.set(m.contributionId, { ...m, versionNumber: t.versionNumber });
      const consentOk = checkConsent(c, table, inputs ?? [], members, statusOf, sink);
      let verdict: AttributionVerdict;
      try {
        const recomputed = await recompute(c, table, inputs, members, work, indexes, context, options);
        const differences = compareTables(c, table, recomputed, sink);
        verdict =
          differences === 0 && consentOk
            ? { ...base, status: "OK", detail: `recomputed: root ${c.root}` }
            : {
                ...base,
                status: "MISMATCH",
                detail:
                  differences > 0
                    ? `${differences} contributor(s) differ from the recomputed table`
                    : "the recomputed root matches, but the table's breakdown breaks consent or membership",
              };
      } catch (error) {
        if (!(error instanceof Unverifiable)) throw error;
        verdict = { ...base, status: consentOk ? "UNVERIFIABLE" : "MISMATCH", detail: error.message };
      }
      verdicts.push(verdict);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return verdicts;
}

/** Each contribution's latest status and the block of its withdrawal, from events. */
function contributionStatuses(events: readonly SuiteEvent[]): Map<string, { status: string; block: number }> {
  const out = new Map<string, { status: string; block: number }>();
  for (const e of events) {
    if (e.contract !== "datanets" || !e.name.startsWith("Contribution")) continue;
    const id = String(e.args.contributionId ?? "").toLowerCase();
    if (id === "") continue;
    out.set(id, { status: e.name.replace("Contribution", ""), block: e.blockNumber });
  }
  return out;
}

/** Every entry's weight assigned to members of the training versions, owned by the entry's contributor. */
function checkConsent(
  c: CommitmentNode,
  table: WeightTable,
  inputs: readonly TrainingInput[],
  members: ReadonlyMap<string, Member>,
  statusOf: ReadonlyMap<string, { status: string; block: number }>,
  sink: CheckSink,
): boolean {
  const base = { modelId: c.modelId.toString(), epoch: c.epoch.toString() };
  const versions =
    inputs.map((t) => `datanet ${t.datanetId} version ${t.versionNumber}`).join(", ") || "none";
  let ok = true;
  for (const e of table.entries) {
    const items =
      e.breakdown ?? e.contributions.map((contributionId) => ({ contributionId, weight: undefined }));
    ok =
      sink.assert(items.length > 0, {
        kind: "attribution-unbacked",
        ...base,
        account: e.contributor,
        expected: "weight assigned to contributions of the training versions",
        actual: "no contribution named",
        message: `${where(c)}: ${e.contributor} is given weight ${e.weight} but the table names no contribution of theirs; the model was trained on ${versions}`,
      }) && ok;
    for (const item of items) {
      const id = item.contributionId.toLowerCase();
      const m = members.get(id);
      const now = statusOf.get(id);
      const why =
        now === undefined
          ? "no such contribution was ever submitted"
          : now.status === "Withdrawn"
            ? `it was withdrawn at block ${now.block}, before those versions were published or without ever being in them`
            : `it is ${now.status} and not in those versions`;
      ok =
        sink.assert(m !== undefined, {
          kind: "attribution-consent",
          ...base,
          account: e.contributor,
          expected: `a member of ${versions}`,
          actual: `${id} (${now?.status ?? "unknown"})`,
          message: `${where(c)}: ${e.contributor} is credited for contribution ${id}, which is not an accepted member of a datanet version the model was trained on (${versions}): ${why}`,
        }) && ok;
      if (m !== undefined)
        ok =
          sink.assert(m.contributor === e.contributor, {
            kind: "attribution-consent",
            ...base,
            account: e.contributor,
            expected: m.contributor,
            actual: e.contributor,
            message: `${where(c)}: ${e.contributor} is credited for contribution ${id}, which belongs to ${m.contributor}`,
          }) && ok;
    }
    if (e.breakdown !== undefined) {
      const sum = e.breakdown.reduce((t, b) => t + b.weight, 0n);
      ok =
        sink.assert(sum === e.weight, {
          kind: "attribution-breakdown",
          ...base,
          account: e.contributor,
          expected: e.weight.toString(),
          actual: sum.toString(),
          message: `${where(c)}: ${e.contributor}'s breakdown sums to ${sum}, not to its weight ${e.weight}`,
        }) && ok;
    }
  }
  return ok;
}

/** The table recomputed under its method id's specification; throws {@link Unverifiable}. */
async function recompute(
  c: CommitmentNode,
  table: WeightTable,
  inputs: readonly TrainingInput[] | undefined,
  members: ReadonlyMap<string, Member>,
  work: string,
  indexes: Map<string, SpanSource>,
  context: { suite: Suite; block: number },
  options: AttributionCheckOptions,
): Promise<WeightTable> {
  const info = describeMethodId(c.methodId);
  if (!isRecomputable(c.methodId))
    throw new Unverifiable(
      info.specVersion === 0 && info.method !== undefined
        ? `method id ${c.methodId} (${info.method}) was committed before any specification; it cannot be recomputed`
        : `method id ${c.methodId} names no method of specification version ${ATTRIBUTION_SPEC_VERSION}`,
    );
  if (inputs === undefined)
    throw new Unverifiable(`model ${c.modelId} has no version registered before the commitment: no corpus`);
  const params = { modelId: c.modelId, epoch: c.epoch, totalWeight: c.totalWeight };
  const sorted = [...members.values()].sort((a, b) => compareHex(a.contributionId, b.contributionId));
  if (info.method === "datanet-size") {
    const manifest: ManifestEntry[] = [];
    for (const m of sorted) {
      const onChain = await context.suite.datanets.contribution(BigInt(m.datanetId), m.contributionId, {
        blockTag: context.block,
      });
      manifest.push({ ...m, size: Number(onChain.size) });
    }
    const weights = Object.fromEntries(inputs.map((t) => [t.datanetId, t.weightBps]));
    return datanetWeightTable(weights, manifest, params);
  }
  // span-match: the published outputs, the texts, the index.
  const outputs = table.inputs?.outputs;
  if (outputs === undefined)
    throw new Unverifiable(
      "the table names no published outputs (inputs.outputs): the spans cannot be recomputed",
    );
  const minSpan = table.minSpan;
  if (minSpan === null || !Number.isSafeInteger(minSpan) || minSpan < 1)
    throw new Unverifiable(`the table's minSpan ${String(minSpan)} is not an integer >= 1`);
  const outputsPath = join(work, `${outputs.contentHash.toLowerCase()}.jsonl`);
  await writeFile(
    outputsPath,
    await fetchChecked(outputs.uri, outputs.contentHash, "the published outputs", options),
  );
  const manifest = sorted.map((m) => ({ ...m, size: 0 }));
  const key = manifest
    .map((m) => `${m.contributionId}:${m.contributor}:${m.contentHash}:${m.versionNumber}`)
    .join(",");
  let index = indexes.get(key);
  if (index === undefined && options.indexDir !== undefined) {
    const stored = join(options.indexDir, await corpusKey(manifest.map((m) => m.contentHash)), "index.json");
    if (existsSync(stored)) index = await openOrBuildIndex(options.indexDir, work, manifest);
  }
  if (index === undefined) {
    const corpusDir = join(work, "corpus");
    await fetchCorpusTexts(sorted, corpusDir, options);
    index = await recomputeIndex(corpusDir, manifest, options);
  }
  indexes.set(key, index);
  const run = await attributeOutputsFile(index, outputsPath, {
    ...params,
    minSpan,
    progress: { quiet: true },
    workers: options.workers,
  });
  return run.table;
}

/** Texts the verifier reads at once (their reads, checks and writes overlap). */
const FETCH_CONCURRENCY = 8;

/**
 * Writes every text of `members` into `corpusDir` as `<contentHash>.txt`: from
 * `options.contentDir` when the file there has the member's keccak256, else read from its URI
 * and checked. Up to {@link FETCH_CONCURRENCY} at a time; a text that cannot be read or differs
 * from its hash throws Unverifiable, the first such member in the given order whatever the
 * timing.
 */
export async function fetchCorpusTexts(
  members: readonly { contributionId: string; contentHash: string; uri: string }[],
  corpusDir: string,
  options: Pick<AttributionCheckOptions, "contentDir" | "fetchContent">,
): Promise<void> {
  await mkdir(corpusDir, { recursive: true });
  const failures = new Map<number, unknown>();
  const written = new Set<string>();
  let next = 0;
  const lane = async () => {
    // Members start in order and none starts after a failure, so the first failing member of
    // the list is among those started: the one reported, as a sequential read would.
    while (next < members.length && failures.size === 0) {
      const i = next++;
      const m = members[i];
      try {
        const local = options.contentDir
          ? await readFile(join(options.contentDir, contentFileName(m.contentHash))).catch(() => undefined)
          : undefined;
        const text =
          local !== undefined && (await contentHashOf(local)) === m.contentHash
            ? local
            : await fetchChecked(m.uri, m.contentHash, `contribution ${m.contributionId}`, options);
        // A content held by several members is checked at each one's URI and written once.
        if (!written.has(m.contentHash)) {
          written.add(m.contentHash);
          await writeFile(join(corpusDir, contentFileName(m.contentHash)), text);
        }
      } catch (error) {
        failures.set(i, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, members.length) }, lane));
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
}

/**
 * The span index of the texts already in `corpusDir`: added to the store `options.indexDir`
 * (`openOrBuildIndex`) when there is one, else built in memory; read and tokenized on worker
 * threads either way.
 */
export async function recomputeIndex(
  corpusDir: string,
  manifest: readonly ManifestEntry[],
  options: Pick<AttributionCheckOptions, "workers" | "indexDir">,
): Promise<SpanSource> {
  const workers = options.workers;
  return options.indexDir !== undefined
    ? openOrBuildIndex(options.indexDir, corpusDir, manifest, { workers })
    : buildSpanIndex(corpusDir, manifest, { quiet: true }, { workers });
}

/** The bytes at `uri`, refused (Unverifiable) when unreadable or when their keccak256 differs. */
async function fetchChecked(
  uri: string,
  contentHash: string,
  what: string,
  options: AttributionCheckOptions,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readUriBytes(uri, options.fetchContent);
  } catch (error) {
    throw new Unverifiable(`${what} at ${uri} cannot be read: ${(error as Error).message}`);
  }
  const actual = await contentHashOf(bytes);
  if (actual !== contentHash.toLowerCase())
    throw new Unverifiable(`${what} at ${uri} hashes to ${actual}, not the ${contentHash} published for it`);
  return bytes;
}

/** Compares the recomputed table with the committed one; records one mismatch per differing contributor. */
function compareTables(
  c: CommitmentNode,
  table: WeightTable,
  recomputed: WeightTable,
  sink: CheckSink,
): number {
  const base = { modelId: c.modelId.toString(), epoch: c.epoch.toString() };
  const root = tableRoot(recomputed) ?? "(empty table)";
  if (root === c.root.toLowerCase()) return 0;
  const got = new Map(table.entries.map((e) => [e.contributor, e.weight]));
  const want = new Map(recomputed.entries.map((e) => [e.contributor, e.weight]));
  const accounts = [...new Set([...got.keys(), ...want.keys()])].sort(compareHex);
  let differences = 0;
  for (const account of accounts) {
    const expected = want.get(account) ?? 0n;
    const actual = got.get(account) ?? 0n;
    if (expected === actual) continue;
    differences++;
    sink.assert(false, {
      kind: "attribution-recompute",
      ...base,
      account,
      expected: expected.toString(),
      actual: actual.toString(),
      message: `${where(c)}: ${differences === 1 ? "first difference: " : ""}${account} has weight ${actual} in the committed table, the recomputation gives ${expected}`,
    });
  }
  if (differences === 0)
    // Same weights, other root: the committed root is not that of its own table (reported elsewhere).
    sink.assert(false, {
      kind: "attribution-recompute",
      ...base,
      expected: root,
      actual: c.root,
      message: `${where(c)}: the recomputed root ${root} differs from the committed root ${c.root}`,
    });
  return Math.max(differences, 1);
}
