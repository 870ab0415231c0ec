/**
 * The pure half of `npm run bench` (issue 7): the results shape, its validation, the budgets check,
 * and the Markdown/console tables (REPORT.md and the README gas table). No chain, no clock.
 */

/** The operation keys of `results.gas`, in report order (issue 7). */
export const GAS_OPS = [
  "token.transfer",
  "datanet.create",
  "contribution.submit",
  "contribution.submitBatch100.perItem",
  "contribution.submitSigned",
  "contribution.accept",
  "contribution.acceptBatch100.perItem",
  "datanet.publishVersion",
  "model.register1",
  "model.register3",
  "model.version",
  "inference.pay",
  "inference.payWithPermit",
  "attribution.commit",
  "attribution.proveWeightSum1000",
  "settlement.commit",
  "settlement.activate",
  "settlement.dispute10",
  "settlement.disputeOmission",
  "claim.settlement",
  "claim.direct",
  "claim.batch10",
  "withdraw",
  "usage.deposit",
  "usage.redeem",
  "usage.redeemBatch100.perItem",
  "stake.deposit",
  "stake.requestUnstake",
  "stake.withdraw",
  "stake.claimRewards",
  "stake.slash",
] as const;
export type GasOp = (typeof GAS_OPS)[number];

/** Gas budgets from the registry (issue 3) and reward (issue 5) issues; null where none is given. */
export const GAS_BUDGETS: Record<GasOp, number | null> = {
  "token.transfer": null,
  "datanet.create": null,
  "contribution.submit": 60_000,
  "contribution.submitBatch100.perItem": 30_000,
  "contribution.submitSigned": null,
  "contribution.accept": null,
  "contribution.acceptBatch100.perItem": null,
  "datanet.publishVersion": null,
  "model.register1": null,
  "model.register3": 180_000,
  "model.version": null,
  "inference.pay": 75_000,
  "inference.payWithPermit": null,
  "attribution.commit": 80_000,
  "attribution.proveWeightSum1000": 1_350_000,
  "settlement.commit": 80_000,
  "settlement.activate": 50_000,
  "settlement.dispute10": 600_000,
  "settlement.disputeOmission": 250_000,
  "claim.settlement": 88_000,
  "claim.direct": null,
  "claim.batch10": null,
  withdraw: null,
  "usage.deposit": 70_000,
  "usage.redeem": 90_000,
  "usage.redeemBatch100.perItem": 35_000,
  "stake.deposit": 90_000,
  "stake.requestUnstake": 70_000,
  "stake.withdraw": 60_000,
  "stake.claimRewards": 70_000,
  "stake.slash": 150_000,
};

/** The scale series and their points (keys of `results.scale`). */
export const SCALE_POINTS = {
  payByContributors: ["10", "1000", "100000", "10000000"],
  claimByLeaves: ["10", "1000", "100000", "1000000"],
  claimByEpochs: ["1", "10", "100"],
  /** Gas of redeeming one voucher (one per transaction) / the inferences it covers. */
  gasPerInference: ["1", "10", "100", "1000", "10000"],
  stakeByStakers: ["1", "1000", "100000"],
  slashByDelegators: ["1", "1000", "100000"],
} as const;
export type ScaleSeries = keyof typeof SCALE_POINTS;

/** Off-chain budgets (SDK issue: Merkle; attribution-engine issue 6). */
export const OFFCHAIN_BUDGETS = {
  merkle1MSeconds: 10,
  merkle1MPeakRssMB: 1024,
  /** 100 MB indexed in 120 s. */
  mbIndexedPerSecond: 100 / 120,
  /** 10,000 outputs attributed in 60 s. */
  outputsPerSecond: 10_000 / 60,
  attributionPeakRssMB: 4096,
  /** Issue 21: 1 GB indexed in 150 s with <= 3 GB peak RSS, reopened in 2 s, 10,000 outputs in 30 s. */
  attribution1GBIndexSeconds: 150,
  attribution1GBPeakRssMB: 3072,
  attribution1GBReopenSeconds: 2,
  attribution1GBOutputs10kSeconds: 30,
  /** Issue 21: the verifier recomputes a 10,000-output epoch against 100 MB in 60 s. */
  verifierRecomputeSeconds: 60,
  /** Usage vouchers signed and checked per second on one core (issue 20). */
  vouchersPerSecond: 2_000,
  /** Amortised gas per inference at 1,000 inferences per redemption (issue 20). */
  gasPerInferenceAt1000: 100,
} as const;

export interface GasFigure {
  gasUsed: number;
  budget: number | null;
  floor: number;
}

/** `bench/results.json`, exactly the shape issue 7 gives. */
export interface BenchResults {
  gas: Record<GasOp, GasFigure>;
  scale: {
    payByContributors: Record<(typeof SCALE_POINTS.payByContributors)[number], number>;
    claimByLeaves: Record<(typeof SCALE_POINTS.claimByLeaves)[number], number>;
    claimByEpochs: Record<(typeof SCALE_POINTS.claimByEpochs)[number], number>;
    gasPerInference: Record<(typeof SCALE_POINTS.gasPerInference)[number], number>;
    /** Issue 16: a new staker's stake with that many stakers already in the pool. */
    stakeByStakers: Record<(typeof SCALE_POINTS.stakeByStakers)[number], number>;
    /** Issue 16: a slash of a pool with that many delegators. */
    slashByDelegators: Record<(typeof SCALE_POINTS.slashByDelegators)[number], number>;
  };
  offchain: {
    merkle1M: { seconds: number; peakRssMB: number };
    attribution: { mbIndexedPerSecond: number; outputsPerSecond: number };
    /** Building a 1,000,000-account settlement and writing its dump and per-account proof files. */
    settlement1M: { seconds: number; peakRssMB: number };
    /** The on-disk sharded index at 1 GB (present when run with `--1gb`). */
    attribution1GB?: {
      indexSeconds: number;
      peakRssMB: number;
      reopenSeconds: number;
      outputs10kSeconds: number;
    };
    /** The verifier's recomputation of one epoch (10,000 outputs, 100 MB). */
    verifierRecompute?: { seconds: number };
    /** Indexer catch-up (1,000,000 synthetic events) and API latency; absent from runs before the indexer. */
    indexer?: IndexerFigures;
    /**
     * The same figures on a real node filled with 100,000 contributions and 10,000 payments
     * (bench/indexer-node.ts, `--indexer-node`), with `ledger show` for one datanet end to end.
     */
    indexerNode?: IndexerNodeFigures;
    /** Explorer pages in headless Chromium and the production bundle (bench/explorer.ts). */
    explorer?: ExplorerFigures;
    /** Vouchers signed and checked per CPU-second of one thread; absent from runs before the usage escrow. */
    vouchersPerSecond?: number;
  };
}

/** `offchain.explorer`, as issue 19 names it (bench/explorer.ts). */
export interface ExplorerFigures {
  /** Median ms until a contributor page with 10,000 contributions shows its data. */
  contributorPageMs: number;
  /** Median ms until a model page with 10,000 payments shows its data. */
  modelPageMs: number;
  /** gzip size of the production bundle's JavaScript and CSS, kB. */
  bundleKBGzip: number;
}

export const EXPLORER_KEYS = ["contributorPageMs", "modelPageMs", "bundleKBGzip"] as const;

/** `offchain.indexer`, as issue 18 names it (bench/indexer.ts). */
export interface IndexerFigures {
  embeddedEventsPerSecond: number;
  postgresEventsPerSecond: number;
  summaryP95Ms: number;
  paymentsPageP95Ms: number;
  peakRssMB: number;
}

export const INDEXER_KEYS = [
  "embeddedEventsPerSecond",
  "postgresEventsPerSecond",
  "summaryP95Ms",
  "paymentsPageP95Ms",
  "peakRssMB",
] as const;

/** `offchain.indexerNode`: `offchain.indexer`'s keys measured on a real node, and `ledger show`. */
export interface IndexerNodeFigures extends IndexerFigures {
  /**
   * Median ms of `openledger ledger show --datanet <id> --indexer <api> --json` (its default
   * bound: the first 1,000 contributions listed, all counted), process start to exit.
   */
  ledgerShowMs: number;
  /** The same with `--all` (every contribution listed): informational, no budget. */
  ledgerShowAllMs?: number;
}

export const INDEXER_NODE_KEYS = [...INDEXER_KEYS, "ledgerShowMs"] as const;
/** Keys of `offchain.indexerNode` a run may add (informational: no budget). */
export const INDEXER_NODE_OPTIONAL_KEYS = ["ledgerShowAllMs"] as const;

/** The run behind `offchain.indexerNode`: its size, its fill, the PostgreSQL index's latencies, its load. */
export interface IndexerNodeMeasured {
  date: string;
  loadAverage: number[];
  command: string;
  contributions: number;
  payments: number;
  events: number;
  blocks: number;
  fillSeconds: number;
  postgresSummaryP95Ms: number;
  postgresPaymentsPageP95Ms: number;
}

/** What the report shows beside the results (not in results.json). */
export interface BenchDetails {
  /** Floor arithmetic and the justification per op. */
  floors: Record<string, { arithmetic: string; why: string; setup: string }>;
  /** Attribution peak RSS (budget 4 GB) and the sizes run. */
  attribution: {
    peakRssMB: number;
    corpusMB: number;
    outputs: number;
    indexSeconds: number;
    attributeSeconds: number;
  };
  merkle: { leaves: number; treeSeconds: number; proofsSeconds: number; threads: string };
  /** When the off-chain figures were measured; carried over by `--gas-only` from a full run. */
  offchainMeasured?: {
    date: string;
    loadAverage: number[];
    carriedOver: boolean;
    /** When the attribution figures were measured, if apart from the rest (`--attribution-only`). */
    attribution?: { date: string; loadAverage: number[] };
    /** When offchain.attribution1GB was measured (only `--1gb` measures it). */
    attribution1GB?: { date: string; loadAverage: number[] };
    /** When and on what chain offchain.indexerNode was measured (only `--indexer-node` measures it). */
    indexerNode?: IndexerNodeMeasured;
  };
  /** Calldata gas of each claimByEpochs claim (its amount's zero/non-zero bytes differ). */
  claimByEpochsCalldata: Record<string, number>;
  /** Siblings in each claimByEpochs claim's proof (its leaf's depth; absent from older runs). */
  claimByEpochsProofLength?: Record<string, number>;
  /** Calldata gas of each point of the staking series (each has its own operator address). */
  stakingCalldata?: Record<"stakeByStakers" | "slashByDelegators", Record<string, number>>;
  /** The same operations under other conditions, to read the budgets against. */
  variants: { op: string; condition: string; gasUsed: number }[];
  cores: number;
  cpuModel: string;
  loadAverage: number[];
  quick: boolean;
  date: string;
  node: string;
  profile: string;
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

function sameKeys(
  where: string,
  obj: Record<string, unknown>,
  keys: readonly string[],
  errors: string[],
): void {
  const have = Object.keys(obj).sort();
  const want = [...keys].sort();
  for (const k of want) if (!have.includes(k)) errors.push(`${where}: missing "${k}"`);
  for (const k of have) if (!want.includes(k)) errors.push(`${where}: unexpected "${k}"`);
}

/** Checks `json` against the results shape; returns the problems (empty when valid). */
export function validateResults(json: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(json)) return ["results: not an object"];
  sameKeys("results", json, ["gas", "scale", "offchain"], errors);
  if (isObj(json.gas)) {
    sameKeys("gas", json.gas, GAS_OPS, errors);
    for (const op of GAS_OPS) {
      const f = json.gas[op];
      if (!isObj(f)) continue;
      sameKeys(`gas.${op}`, f, ["gasUsed", "budget", "floor"], errors);
      if (!isNum(f.gasUsed) || f.gasUsed <= 0) errors.push(`gas.${op}.gasUsed: not a positive number`);
      if (!isNum(f.floor) || f.floor <= 0) errors.push(`gas.${op}.floor: not a positive number`);
      if (f.budget !== GAS_BUDGETS[op])
        errors.push(`gas.${op}.budget: ${String(f.budget)}, expected ${GAS_BUDGETS[op]}`);
    }
  } else errors.push("gas: not an object");
  if (isObj(json.scale)) {
    sameKeys("scale", json.scale, Object.keys(SCALE_POINTS), errors);
    for (const [series, points] of Object.entries(SCALE_POINTS)) {
      const s = json.scale[series];
      if (!isObj(s)) continue;
      sameKeys(`scale.${series}`, s, points, errors);
      for (const p of points) if (!isNum(s[p])) errors.push(`scale.${series}.${p}: not a number`);
    }
  } else errors.push("scale: not an object");
  if (isObj(json.offchain)) {
    const optional = [
      "attribution1GB",
      "verifierRecompute",
      "explorer",
      "vouchersPerSecond",
      "indexerNode",
    ].filter((k) => k in (json.offchain as object));
    if ("vouchersPerSecond" in json.offchain && !isNum(json.offchain.vouchersPerSecond))
      errors.push("offchain.vouchersPerSecond: not a number");
    const ex = json.offchain.explorer;
    if (ex !== undefined) {
      if (!isObj(ex)) errors.push("offchain.explorer: not an object");
      else {
        sameKeys("offchain.explorer", ex, [...EXPLORER_KEYS], errors);
        for (const k of EXPLORER_KEYS) if (!isNum(ex[k])) errors.push(`offchain.explorer.${k}: not a number`);
      }
    }
    const ix = json.offchain.indexer;
    sameKeys(
      "offchain",
      json.offchain,
      ["merkle1M", "attribution", "settlement1M", ...(ix === undefined ? [] : ["indexer"]), ...optional],
      errors,
    );
    if (ix !== undefined) {
      if (!isObj(ix)) errors.push("offchain.indexer: not an object");
      else {
        sameKeys("offchain.indexer", ix, [...INDEXER_KEYS], errors);
        for (const k of INDEXER_KEYS) if (!isNum(ix[k])) errors.push(`offchain.indexer.${k}: not a number`);
      }
    }
    const ixn = json.offchain.indexerNode;
    if (ixn !== undefined) {
      if (!isObj(ixn)) errors.push("offchain.indexerNode: not an object");
      else {
        const present = INDEXER_NODE_OPTIONAL_KEYS.filter((k) => k in ixn);
        sameKeys("offchain.indexerNode", ixn, [...INDEXER_NODE_KEYS, ...present], errors);
        for (const k of [...INDEXER_NODE_KEYS, ...present])
          if (!isNum(ixn[k])) errors.push(`offchain.indexerNode.${k}: not a number`);
      }
    }
    const st = json.offchain.settlement1M;
    if (isObj(st)) {
      sameKeys("offchain.settlement1M", st, ["seconds", "peakRssMB"], errors);
      if (!isNum(st.seconds) || !isNum(st.peakRssMB))
        errors.push("offchain.settlement1M: figures must be numbers");
    }
    const g = json.offchain.attribution1GB;
    const g1 = ["indexSeconds", "peakRssMB", "reopenSeconds", "outputs10kSeconds"];
    if (g !== undefined && isObj(g)) {
      sameKeys("offchain.attribution1GB", g, g1, errors);
      if (!g1.every((k) => isNum(g[k]))) errors.push("offchain.attribution1GB: figures must be numbers");
    } else if (g !== undefined) errors.push("offchain.attribution1GB: not an object");
    const v = json.offchain.verifierRecompute;
    if (v !== undefined && (!isObj(v) || !isNum(v.seconds) || Object.keys(v).length !== 1))
      errors.push("offchain.verifierRecompute: must be { seconds }");
    const m = json.offchain.merkle1M;
    if (isObj(m)) {
      sameKeys("offchain.merkle1M", m, ["seconds", "peakRssMB"], errors);
      if (!isNum(m.seconds) || !isNum(m.peakRssMB)) errors.push("offchain.merkle1M: figures must be numbers");
    }
    const a = json.offchain.attribution;
    if (isObj(a)) {
      sameKeys("offchain.attribution", a, ["mbIndexedPerSecond", "outputsPerSecond"], errors);
      if (!isNum(a.mbIndexedPerSecond) || !isNum(a.outputsPerSecond))
        errors.push("offchain.attribution: figures must be numbers");
    }
  } else errors.push("offchain: not an object");
  return errors;
}

/** Execution gas of one more proof sibling in a Merkle proof check (its keccak, memory and loop):
 * 142 measured between two settlement claims a level apart; calldata excluded. */
export const PROOF_STEP_GAS = 200;

/**
 * Every figure over its budget, as sentences. The scale rules are budgets too: payment gas must be
 * flat across contributor counts, claim gas must not grow with the epochs covered, and claim gas
 * must grow at most by one proof step (sibling hash + calldata) per doubling of the leaves.
 */
export function overBudget(
  r: BenchResults,
  attributionPeakRssMB?: number,
  claimByEpochsCalldata?: Record<string, number>,
  stakingCalldata?: Partial<Record<"stakeByStakers" | "slashByDelegators", Record<string, number>>>,
  claimByEpochsProofLength?: Record<string, number>,
): string[] {
  const out: string[] = [];
  for (const op of GAS_OPS) {
    const { gasUsed, budget } = r.gas[op];
    if (budget !== null && gasUsed > budget) out.push(`${op}: ${gasUsed} gas > budget ${budget}`);
  }
  const pay = Object.values(r.scale.payByContributors);
  if (Math.max(...pay) !== Math.min(...pay))
    out.push(`payByContributors: payment gas is not flat (${pay.join(", ")})`);
  // "Must not grow": any per-pair work would cost at least a cold read (2,100). What may differ is
  // noise: the amount's and address's zero/non-zero calldata bytes, the sorted-pair branch order
  // of the proof, and the depth of each claimant's leaf. The leaves are ordered by account and the
  // accounts are random, so in a tree whose leaf count is not a power of two one claimant may sit a
  // level deeper: one more sibling to hash (PROOF_STEP_GAS; the growth with the leaves is what
  // claimByLeaves measures). Without the calldata the spread must stay within 100 gas plus a proof
  // step per level of difference; with raw figures only, within 1,000.
  const epochs = r.scale.claimByEpochs;
  const claims = Object.entries(epochs).map(([n, g]) => ({
    exec: g - (claimByEpochsCalldata?.[n] ?? 0),
    depth: claimByEpochsProofLength?.[n] ?? 0,
  }));
  const tolerance = claimByEpochsCalldata ? 100 : 1_000;
  const grows = claims.some((a) =>
    claims.some((b) => a.exec - b.exec > tolerance + PROOF_STEP_GAS * Math.abs(a.depth - b.depth)),
  );
  if (grows)
    out.push(
      `claimByEpochs: claim gas varies with the epochs covered (${Object.values(epochs).join(", ")}${
        claimByEpochsCalldata ? `; without calldata ${claims.map((c) => c.exec).join(", ")}` : ""
      }${claimByEpochsProofLength ? `; proof lengths ${claims.map((c) => c.depth).join(", ")}` : ""})`,
    );
  // Issue 16: stake and slash cost the same whatever the number of stakers in the pool. Each
  // point has its own operator (and a slash its own case id), whose zero/non-zero calldata bytes
  // differ: without the calldata the figures must be equal; with raw figures only, within 320
  // gas (20 calldata bytes at 16 gas).
  for (const [series, budget] of [
    ["stakeByStakers", GAS_BUDGETS["stake.deposit"]!],
    ["slashByDelegators", GAS_BUDGETS["stake.slash"]!],
  ] as const) {
    const g = Object.values(r.scale[series]);
    const calldata = stakingCalldata?.[series];
    const exec = Object.entries(r.scale[series]).map(([n, v]) => v - (calldata?.[n] ?? 0));
    if (Math.max(...exec) - Math.min(...exec) > (calldata ? 0 : 320))
      out.push(
        `${series}: gas is not flat (${g.join(", ")}${calldata ? `; without calldata ${exec.join(", ")}` : ""})`,
      );
    if (Math.max(...g) > budget) out.push(`${series}: ${Math.max(...g)} gas > budget ${budget}`);
  }
  const leaves = r.scale.claimByLeaves;
  const claim1M = leaves["1000000"];
  if (claim1M > GAS_BUDGETS["claim.settlement"]!)
    out.push(`claimByLeaves: ${claim1M} gas at 1,000,000 leaves > budget ${GAS_BUDGETS["claim.settlement"]}`);
  // One proof step costs a 32-byte calldata word (<= 512) + a hash pair and stack work (< 200).
  const perDoubling = 800;
  const base = leaves["10"];
  for (const [n, g] of Object.entries(leaves)) {
    const allowed = base + perDoubling * Math.ceil(Math.log2(Number(n)) - Math.log2(10));
    if (g > allowed)
      out.push(`claimByLeaves: ${g} gas at ${n} leaves grows faster than log2(leaves) (allowed ${allowed})`);
  }
  const { merkle1M, attribution } = r.offchain;
  const b = OFFCHAIN_BUDGETS;
  const perInference = r.scale.gasPerInference["1000"];
  if (perInference > b.gasPerInferenceAt1000)
    out.push(
      `gasPerInference: ${perInference} gas at 1,000 inferences per redemption > budget ${b.gasPerInferenceAt1000}`,
    );
  if (r.offchain.vouchersPerSecond !== undefined && r.offchain.vouchersPerSecond < b.vouchersPerSecond)
    out.push(
      `vouchers: ${r.offchain.vouchersPerSecond} signed + checked per second < budget ${b.vouchersPerSecond}`,
    );
  if (merkle1M.seconds > b.merkle1MSeconds)
    out.push(`merkle1M: ${merkle1M.seconds} s > budget ${b.merkle1MSeconds} s`);
  if (merkle1M.peakRssMB > b.merkle1MPeakRssMB)
    out.push(`merkle1M: peak ${merkle1M.peakRssMB} MB > budget ${b.merkle1MPeakRssMB} MB`);
  if (attribution.mbIndexedPerSecond < b.mbIndexedPerSecond)
    out.push(
      `attribution: ${attribution.mbIndexedPerSecond} MB/s indexed < budget ${b.mbIndexedPerSecond.toFixed(3)} MB/s (100 MB in 120 s)`,
    );
  if (attribution.outputsPerSecond < b.outputsPerSecond)
    out.push(
      `attribution: ${attribution.outputsPerSecond} outputs/s < budget ${b.outputsPerSecond.toFixed(1)} outputs/s (10,000 in 60 s)`,
    );
  if (attributionPeakRssMB !== undefined && attributionPeakRssMB > b.attributionPeakRssMB)
    out.push(`attribution: peak ${attributionPeakRssMB} MB > budget ${b.attributionPeakRssMB} MB`);
  const g = r.offchain.attribution1GB;
  if (g !== undefined) {
    if (g.indexSeconds > b.attribution1GBIndexSeconds)
      out.push(`attribution 1 GB: indexed in ${g.indexSeconds} s > budget ${b.attribution1GBIndexSeconds} s`);
    if (g.peakRssMB > b.attribution1GBPeakRssMB)
      out.push(`attribution 1 GB: peak ${g.peakRssMB} MB > budget ${b.attribution1GBPeakRssMB} MB`);
    if (g.reopenSeconds > b.attribution1GBReopenSeconds)
      out.push(
        `attribution 1 GB: reopened in ${g.reopenSeconds} s > budget ${b.attribution1GBReopenSeconds} s`,
      );
    if (g.outputs10kSeconds > b.attribution1GBOutputs10kSeconds)
      out.push(
        `attribution 1 GB: 10,000 outputs in ${g.outputs10kSeconds} s > budget ${b.attribution1GBOutputs10kSeconds} s`,
      );
  }
  const v = r.offchain.verifierRecompute;
  if (v !== undefined && v.seconds > b.verifierRecomputeSeconds)
    out.push(`verifier: recomputed an epoch in ${v.seconds} s > budget ${b.verifierRecomputeSeconds} s`);
  return out;
}

const fmt = (n: number): string => n.toLocaleString("en-US");
const ratio = (g: number, f: number): string => (g / f).toFixed(2);

/** A Markdown table from a header and rows. */
export function markdownTable(header: string[], rows: (string | number)[][], align?: ("l" | "r")[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : "---"));
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), `|${sep.join("|")}|`, ...rows.map(line)].join("\n");
}

/** The README's gas table (between the gas-table markers): op, gasUsed, budget, floor, ratio. */
export function readmeGasTable(r: BenchResults): string {
  const rows = GAS_OPS.map((op) => {
    const g = r.gas[op];
    return [
      `\`${op}\``,
      fmt(g.gasUsed),
      g.budget === null ? "-" : fmt(g.budget),
      fmt(g.floor),
      ratio(g.gasUsed, g.floor),
    ];
  });
  const s = r.scale;
  return [
    markdownTable(["operation", "gasUsed", "budget", "floor", "measured / floor"], rows, [
      "l",
      "r",
      "r",
      "r",
      "r",
    ]),
    "",
    `Scale: pay for inference ${Object.entries(s.payByContributors)
      .map(([n, g]) => `${fmt(Number(n))} contributors ${fmt(g)}`)
      .join(", ")}; claim ${Object.entries(s.claimByLeaves)
      .map(([n, g]) => `${fmt(Number(n))} leaves ${fmt(g)}`)
      .join(", ")}; claim covering ${Object.entries(s.claimByEpochs)
      .map(([n, g]) => `${n} pairs ${fmt(g)}`)
      .join(", ")}; stake with ${Object.entries(s.stakeByStakers)
      .map(([n, g]) => `${fmt(Number(n))} staker${n === "1" ? "" : "s"} in the pool ${fmt(g)}`)
      .join(", ")}; slash of a pool of ${Object.entries(s.slashByDelegators)
      .map(([n, g]) => `${fmt(Number(n))} delegator${n === "1" ? "" : "s"} ${fmt(g)}`)
      .join(", ")}.`,
    "",
    "Generated from `bench/results.json` by `npm run bench:readme`. Measure with `npm run bench` " +
      "(production compiler profile, in-process network, receipt gasUsed; `-- --quick` shrinks the off-chain " +
      "sizes, `-- --1gb` adds the 1 GB on-disk attribution index (`offchain.attribution1GB`; minutes and 1 GB of disk), " +
      "`-- --gas-only` carries the last off-chain figures over, `-- --attribution-only` also re-measures the attribution ones, " +
      "`-- --indexer-node` adds the indexer on a real node with 100,000 contributions and 10,000 payments (`offchain.indexerNode`; minutes), " +
      "`npm run -s bench -- --json` prints only the JSON; exit code 1 when a figure is over budget). " +
      "Floor arithmetic, setups, variants and off-chain figures: `bench/REPORT.md`.",
  ].join("\n");
}

export const GAS_TABLE_START = "<!-- gas-table:start -->";
export const GAS_TABLE_END = "<!-- gas-table:end -->";

/**
 * Puts `table` between the gas-table markers of `readme`. Without markers: under an existing
 * "## Gas" heading, or in a new "## Gas" section before "## Licence" (else at the end). Touches
 * nothing else.
 */
export function replaceGasTable(readme: string, table: string): string {
  const start = readme.indexOf(GAS_TABLE_START);
  const end = readme.indexOf(GAS_TABLE_END);
  const block = `${GAS_TABLE_START}\n\n${table}\n\n${GAS_TABLE_END}`;
  if (start >= 0 && end > start)
    return readme.slice(0, start) + block + readme.slice(end + GAS_TABLE_END.length);
  if (start >= 0 || end >= 0)
    throw new Error("README.md has only one of the gas-table markers: fix it by hand");
  const gas = readme.search(/^## Gas\s*$/m);
  if (gas >= 0) {
    // Under the existing heading, before the next section.
    const afterHeading = readme.indexOf("\n", gas) + 1;
    const next = readme.slice(afterHeading).search(/^## /m);
    const at = next < 0 ? readme.length : afterHeading + next;
    const head = readme.slice(0, at).replace(/\n*$/, "");
    return `${head}\n\n${block}\n\n${readme.slice(at)}`.replace(/\n*$/, "\n");
  }
  // A new "## Gas" section before the licence (README order in STYLE.md), else at the end.
  const licence = readme.search(/^## Licen[cs]e/m);
  const section = `## Gas\n\n${block}\n`;
  if (licence >= 0) return `${readme.slice(0, licence)}${section}\n${readme.slice(licence)}`;
  return `${readme.replace(/\n*$/, "")}\n\n${section}`;
}

/** The full REPORT.md. */
export function renderReport(r: BenchResults, d: BenchDetails, failures: string[]): string {
  const gasRows = GAS_OPS.map((op) => {
    const g = r.gas[op];
    return [
      `\`${op}\``,
      fmt(g.gasUsed),
      g.budget === null ? "-" : fmt(g.budget),
      fmt(g.floor),
      ratio(g.gasUsed, g.floor),
      g.budget !== null && g.gasUsed > g.budget ? "OVER" : "ok",
    ];
  });
  const floorRows = GAS_OPS.map((op) => [
    `\`${op}\``,
    d.floors[op]?.arithmetic ?? "",
    d.floors[op]?.why ?? "",
  ]);
  const setupRows = GAS_OPS.map((op) => [`\`${op}\``, d.floors[op]?.setup ?? ""]);
  const scaleRows = (name: ScaleSeries, unit: string) =>
    Object.entries(r.scale[name]).map(([n, g]) => [`${fmt(Number(n))}${unit}`, fmt(g)]);
  const b = OFFCHAIN_BUDGETS;
  const m = r.offchain.merkle1M;
  const a = r.offchain.attribution;
  const offRows = [
    [
      `Merkle tree + all proofs, ${fmt(d.merkle.leaves)} leaves: wall time`,
      `${m.seconds} s`,
      `<= ${b.merkle1MSeconds} s`,
      m.seconds <= b.merkle1MSeconds ? "ok" : "OVER",
    ],
    [
      `Merkle: peak RSS`,
      `${m.peakRssMB} MB`,
      `<= ${b.merkle1MPeakRssMB} MB`,
      m.peakRssMB <= b.merkle1MPeakRssMB ? "ok" : "OVER",
    ],
    [
      `Settlement of 1,000,000 accounts: build, dump and one proof file an account`,
      `${r.offchain.settlement1M.seconds} s, peak ${r.offchain.settlement1M.peakRssMB} MB`,
      "measured, no budget",
      "-",
    ],
    [
      `Attribution: index ${d.attribution.corpusMB} MB corpus`,
      `${a.mbIndexedPerSecond} MB/s (${d.attribution.indexSeconds} s)`,
      `>= ${b.mbIndexedPerSecond.toFixed(3)} MB/s (100 MB in 120 s)`,
      a.mbIndexedPerSecond >= b.mbIndexedPerSecond ? "ok" : "OVER",
    ],
    ...(r.offchain.vouchersPerSecond === undefined
      ? []
      : [
          [
            "Usage vouchers signed + checked, one thread (per CPU-second)",
            `${fmt(r.offchain.vouchersPerSecond)} /s`,
            `>= ${fmt(b.vouchersPerSecond)} /s`,
            r.offchain.vouchersPerSecond >= b.vouchersPerSecond ? "ok" : "OVER",
          ],
        ]),
    [
      `Attribution: ${fmt(d.attribution.outputs)} outputs of ~1 KB`,
      `${a.outputsPerSecond} outputs/s (${d.attribution.attributeSeconds} s)`,
      `>= ${b.outputsPerSecond.toFixed(1)} outputs/s (10,000 in 60 s)`,
      a.outputsPerSecond >= b.outputsPerSecond ? "ok" : "OVER",
    ],
    [
      `Attribution: peak RSS`,
      `${d.attribution.peakRssMB} MB`,
      `<= ${b.attributionPeakRssMB} MB`,
      d.attribution.peakRssMB <= b.attributionPeakRssMB ? "ok" : "OVER",
    ],
    ...indexerRows("Indexer, 1,000,000 synthetic events", r.offchain.indexer),
    ...indexerRows("Indexer, real node (100,000 contributions, 10,000 payments)", r.offchain.indexerNode),
    ...(r.offchain.indexerNode === undefined
      ? []
      : [
          [
            "`ledger show --datanet <id> --indexer <api>`, end to end (first 1,000 listed)",
            `${fmt(r.offchain.indexerNode.ledgerShowMs)} ms`,
            "<= 1,000 ms",
            r.offchain.indexerNode.ledgerShowMs <= 1_000 ? "ok" : "OVER",
          ],
          ...(r.offchain.indexerNode.ledgerShowAllMs === undefined
            ? []
            : [
                [
                  "`ledger show ... --all` (every contribution listed), end to end",
                  `${fmt(r.offchain.indexerNode.ledgerShowAllMs)} ms`,
                  "informational",
                  "-",
                ],
              ]),
        ]),
    ...(r.offchain.verifierRecompute === undefined
      ? []
      : [
          [
            `Verifier: recompute one epoch (${fmt(d.attribution.outputs)} outputs, ${d.attribution.corpusMB} MB)`,
            `${r.offchain.verifierRecompute.seconds} s`,
            `<= ${b.verifierRecomputeSeconds} s`,
            r.offchain.verifierRecompute.seconds <= b.verifierRecomputeSeconds ? "ok" : "OVER",
          ],
        ]),
    ...(r.offchain.attribution1GB === undefined
      ? []
      : (
          [
            ["index (sharded, on disk)", "indexSeconds", " s", "<=", b.attribution1GBIndexSeconds],
            ["peak RSS", "peakRssMB", " MB", "<=", b.attribution1GBPeakRssMB],
            ["reopen", "reopenSeconds", " s", "<=", b.attribution1GBReopenSeconds],
            ["10,000 outputs", "outputs10kSeconds", " s", "<=", b.attribution1GBOutputs10kSeconds],
          ] as const
        ).map(([label, key, unit, op, budget]) => {
          const value = r.offchain.attribution1GB![key];
          return [
            `Attribution 1 GB: ${label}`,
            `${value}${unit}`,
            `${op} ${budget}${unit}`,
            value <= budget ? "ok" : "OVER",
          ];
        })),
  ];
  return [
    "# Benchmark report",
    "",
    `Generated by \`npm run bench\` on ${d.date}${d.quick ? " with `--quick` (SHRUNK sizes: not the budget sizes)" : ""}. ` +
      `Compiler profile \`${d.profile}\`; Node ${d.node}; ${d.cores} cores (${d.cpuModel}); load average at the end ${d.loadAverage.map((x) => x.toFixed(2)).join(" / ")} (the machine is shared).`,
    "",
    failures.length === 0
      ? "**All figures within budget.**"
      : `**${failures.length} figure(s) over budget:**\n\n${failures.map((f) => `- ${f}`).join("\n")}`,
    "",
    "## Gas per operation (receipt gasUsed)",
    "",
    markdownTable(["operation", "gasUsed", "budget", "floor", "ratio", "status"], gasRows, [
      "l",
      "r",
      "r",
      "r",
      "r",
      "l",
    ]),
    "",
    "## Floors: arithmetic and why these writes are unavoidable",
    "",
    "Floor = 21,000 + calldata of the measured transaction (4/16 gas per zero/non-zero byte) + the storage " +
      "accesses any implementation of the operation needs (EIP-2929/2200: new slot 22,100, update 5,000, cold read 2,100, " +
      "cold call 2,600) + the logs an indexer needs (375 + 375 per topic + 8 per data byte, sized as emitted). " +
      "Computation (hashing, ABI decoding, memory) is left out, so the floor is a lower bound.",
    "",
    markdownTable(["operation", "floor arithmetic", "why"], floorRows),
    "",
    "## What each measurement is",
    "",
    markdownTable(["operation", "setup"], setupRows),
    "",
    "## Scale series",
    "",
    "Payment for inference against attribution commitments of N contributors (10 and 1,000: real trees; 100,000 and 10,000,000: a root and totalWeight standing for them). Payment never reads them, so the gas must be flat:",
    "",
    markdownTable(["contributors", "pay gasUsed"], scaleRows("payByContributors", ""), ["l", "r"]),
    "",
    "Settlement claim against real settlement trees (FastMerkleTree, every leaf a distinct account) of N leaves; the claimant already holds OPEN and claims for the first time. Growth is one proof step per doubling:",
    "",
    markdownTable(["leaves", "claim gasUsed"], scaleRows("claimByLeaves", ""), ["l", "r"]),
    "",
    "Settlement claim whose cumulative amount covers N finalised (model, epoch) pairs (real settlement computed by `computeSettlement` over 100 finalised pairs; one tree, whose leaves are ordered by account, so a claimant's leaf may sit a level deeper than another's). Claim gas must not grow with the pairs; what differs comes from the calldata bytes of the amount, the address and the proof, the sorted-pair order of the proof, and one proof step per level of depth, not from the pairs covered:",
    "",
    markdownTable(
      ["pairs covered", "claim gasUsed", "calldata", "gasUsed - calldata", "proof siblings"],
      Object.entries(r.scale.claimByEpochs).map(([n, g]) => {
        const c = d.claimByEpochsCalldata[n] ?? 0;
        const depth = d.claimByEpochsProofLength?.[n];
        return [n, fmt(g), fmt(c), fmt(g - c), depth === undefined ? "n/a" : String(depth)];
      }),
      ["l", "r", "r", "r", "r"],
    ),
    "",
    "Usage vouchers: gas of redeeming one voucher in its own transaction divided by the inferences it covers (budget <= 100 at 1,000; a voucher in a batch costs less, see the variants):",
    "",
    markdownTable(["inferences per voucher", "gas per inference"], scaleRows("gasPerInference", ""), [
      "l",
      "r",
    ]),
    "",
    "Staking (issue 16): a new staker's stake behind an operator whose pool already holds N stakers (the operator's bond included; the others are real delegations made by `contracts/mocks/BenchStakers.sol`), and a slash of a pool of N delegators through a resolution-path contract. Neither walks the stakers, so both must be flat:",
    "",
    markdownTable(
      ["stakers in the pool", "stake gasUsed", "slash gasUsed"],
      Object.keys(r.scale.stakeByStakers).map((n) => [
        fmt(Number(n)),
        fmt(r.scale.stakeByStakers[n as keyof typeof r.scale.stakeByStakers]),
        fmt(r.scale.slashByDelegators[n as keyof typeof r.scale.slashByDelegators]),
      ]),
      ["l", "r", "r"],
    ),
    "",
    "## Variants (the same operations under other conditions, to read the budgets against)",
    "",
    markdownTable(
      ["operation", "condition", "gasUsed"],
      d.variants.map((v) => [`\`${v.op}\``, v.condition, fmt(v.gasUsed)]),
      ["l", "l", "r"],
    ),
    "",
    "## Off-chain",
    "",
    `Measured in child processes (\`bench/merkle.ts\`, \`bench/attribution.ts\`) on ${d.cores} cores; Merkle threads: ${d.merkle.threads} (tree ${d.merkle.treeSeconds} s, proofs ${d.merkle.proofsSeconds} s).` +
      (d.offchainMeasured
        ? ` Measured ${d.offchainMeasured.date} at load average ${loads(d.offchainMeasured.loadAverage)}${d.offchainMeasured.carriedOver ? " (carried over from that full run by --gas-only or --attribution-only)" : ""}.` +
          (d.offchainMeasured.attribution
            ? ` Attribution and verifier figures measured ${d.offchainMeasured.attribution.date} at load average ${loads(d.offchainMeasured.attribution.loadAverage)}, apart from the rest.`
            : "") +
          (d.offchainMeasured.attribution1GB
            ? ` The 1 GB index measured ${d.offchainMeasured.attribution1GB.date} at load average ${loads(d.offchainMeasured.attribution1GB.loadAverage)} (--1gb).`
            : "") +
          (d.offchainMeasured.indexerNode
            ? ` The real-node indexer figures (\`offchain.indexerNode\`): \`${d.offchainMeasured.indexerNode.command}\`, ${fmt(d.offchainMeasured.indexerNode.contributions)} contributions and ${fmt(d.offchainMeasured.indexerNode.payments)} payments filled in ${d.offchainMeasured.indexerNode.fillSeconds} s (${fmt(d.offchainMeasured.indexerNode.events)} events, ${fmt(d.offchainMeasured.indexerNode.blocks)} blocks), measured ${d.offchainMeasured.indexerNode.date} at load average ${loads(d.offchainMeasured.indexerNode.loadAverage)}; on the PostgreSQL index the summary p95 was ${d.offchainMeasured.indexerNode.postgresSummaryP95Ms} ms and the payments page p95 ${d.offchainMeasured.indexerNode.postgresPaymentsPageP95Ms} ms.`
            : "")
        : ""),
    "",
    markdownTable(["figure", "measured", "budget", "status"], offRows),
    "",
  ].join("\n");
}

/** The report's rows of an indexer run (issue 18's budgets). */
function indexerRows(label: string, ix: IndexerFigures | undefined): string[][] {
  if (ix === undefined) return [];
  const row = (what: string, value: number, unit: string, cmp: ">=" | "<=", budget: number) => [
    `${label}: ${what}`,
    `${fmt(value)}${unit}`,
    `${cmp} ${fmt(budget)}${unit}`,
    (cmp === ">=" ? value >= budget : value <= budget) ? "ok" : "OVER",
  ];
  return [
    row("catch-up into SQLite", ix.embeddedEventsPerSecond, " events/s", ">=", 5_000),
    row("catch-up into PostgreSQL", ix.postgresEventsPerSecond, " events/s", ">=", 5_000),
    row("contributor summary p95", ix.summaryP95Ms, " ms", "<=", 50),
    row("one page of a model's payments p95", ix.paymentsPageP95Ms, " ms", "<=", 50),
    row("indexer peak RSS", ix.peakRssMB, " MB", "<=", 500),
  ];
}

/** A load average as the report prints it. */
function loads(l: number[]): string {
  return l.map((x) => x.toFixed(2)).join(", ");
}

/** Plain-text tables for the terminal. */
export function consoleTables(r: BenchResults, failures: string[], quick: boolean): string {
  const lines: string[] = [];
  if (quick)
    lines.push("QUICK RUN: sizes shrunk (--quick); off-chain figures are not at the budget sizes.", "");
  lines.push("operation                                gasUsed    budget     floor  ratio");
  for (const op of GAS_OPS) {
    const g = r.gas[op];
    lines.push(
      `${op.padEnd(38)} ${fmt(g.gasUsed).padStart(9)} ${(g.budget === null ? "-" : fmt(g.budget)).padStart(9)} ${fmt(g.floor).padStart(9)} ${ratio(g.gasUsed, g.floor).padStart(6)}`,
    );
  }
  for (const [name, series] of Object.entries(r.scale)) {
    lines.push("", name);
    for (const [n, g] of Object.entries(series as Record<string, number>))
      lines.push(`  ${fmt(Number(n)).padStart(12)}  ${fmt(g).padStart(9)}`);
  }
  const { merkle1M: m, attribution: a } = r.offchain;
  lines.push(
    "",
    `merkle1M      ${m.seconds} s, peak ${m.peakRssMB} MB (budget 10 s, 1024 MB)`,
    `attribution   ${a.mbIndexedPerSecond} MB/s indexed (>= 0.833), ${a.outputsPerSecond} outputs/s (>= 166.7)`,
    `settlement1M  ${r.offchain.settlement1M.seconds} s, peak ${r.offchain.settlement1M.peakRssMB} MB (dump + one proof file an account)`,
    ...(r.offchain.indexer
      ? [
          `indexer       ${r.offchain.indexer.embeddedEventsPerSecond} events/s SQLite, ${r.offchain.indexer.postgresEventsPerSecond} PostgreSQL (>= 5,000), summary p95 ${r.offchain.indexer.summaryP95Ms} ms, payments page p95 ${r.offchain.indexer.paymentsPageP95Ms} ms (<= 50), peak ${r.offchain.indexer.peakRssMB} MB (<= 500)`,
        ]
      : []),
    ...(r.offchain.indexerNode
      ? [
          `indexer node  ${r.offchain.indexerNode.embeddedEventsPerSecond} events/s SQLite, ${r.offchain.indexerNode.postgresEventsPerSecond} PostgreSQL (>= 5,000), summary p95 ${r.offchain.indexerNode.summaryP95Ms} ms, payments page p95 ${r.offchain.indexerNode.paymentsPageP95Ms} ms (<= 50), peak ${r.offchain.indexerNode.peakRssMB} MB (<= 500), ledger show ${r.offchain.indexerNode.ledgerShowMs} ms (<= 1,000)`,
        ]
      : []),
    ...(r.offchain.explorer
      ? [
          `explorer      contributor page (10,000 contributions) ${r.offchain.explorer.contributorPageMs} ms, model page (10,000 payments) ${r.offchain.explorer.modelPageMs} ms to data (<= 1,000), bundle ${r.offchain.explorer.bundleKBGzip} kB gzipped (<= 500)`,
        ]
      : []),
    ...(r.offchain.vouchersPerSecond !== undefined
      ? [`vouchers      ${r.offchain.vouchersPerSecond} signed + checked per CPU-second (>= 2,000)`]
      : []),
    "",
    failures.length === 0
      ? "all figures within budget"
      : `OVER BUDGET:\n${failures.map((f) => `  - ${f}`).join("\n")}`,
  );
  return lines.join("\n");
}
