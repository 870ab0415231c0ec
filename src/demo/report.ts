/**
 * The demo's report: what `npm run demo -- --json` prints, read back from the finished chain
 * (events, the distributor's and staking's books, the verifier's run), and its text form.
 */
import type { Provider } from "ethers";
import { formatEther } from "ethers";
import { readSuiteEvents } from "../sdk/read/events.js";
import { BOOKS_FIELDS, buildLedger, lineageOf, owedFromBooks, tracePayment } from "../sdk/read/ledger.js";
import type { Suite } from "../sdk/suite.js";
import { paymentSplit, type PaymentRow } from "../provenance/index.js";
import { formatMismatch, verifyLedger } from "../verifier/index.js";
import { formatStakingReport, stakingReport, type DemoStakingReport } from "./staking.js";
import type { DemoUsageReport } from "./usage.js";

/** The report `--json` prints. */
export interface DemoReport {
  network: string;
  chainId: string;
  contracts: Record<string, string>;
  outputDir: string;
  datanets: {
    datanetId: string;
    owner: string;
    licence: number;
    contributions: { contributionId: string; contributor: string; status: string; uri: string }[];
    versions: { versionNumber: string; root: string; contributionCount: string }[];
  }[];
  models: {
    modelId: string;
    owner: string;
    baseModelId: string;
    lineage: string[];
    pricePerUnit: string;
    trainingInputs: { datanetId: string; versionNumber: string; weightBps: number }[];
  }[];
  /** `protocol` is the treasury and the staker reserve together. */
  payments: PaymentRow[];
  attribution: {
    modelId: string;
    epoch: string;
    method: string;
    root: string;
    totalWeight: string;
    table: string;
  }[];
  settlements: { id: string; root: string; total: string; file: string }[];
  claims: { account: string; path: string; amount: string; modelId?: string; epoch?: string }[];
  withdrawals: { kind: string; to: string; amount: string; modelId?: string }[];
  earnings: { account: string; contributions: number; claimed: string; byModel: Record<string, string> }[];
  books: {
    paidIn: string;
    distributed: string;
    owed: string;
    distributorBalance: string;
    balanced: boolean;
    solvent: boolean;
    onChain: Record<string, string>;
  };
  /** Stake behind the operators, the staker rewards claimed, and the slashes. */
  staking: DemoStakingReport;
  /** The epoch paid by vouchers: deposits, redemptions (VoucherRedeemed) and the escrow's books. */
  usage: DemoUsageReport & {
    /** The distributor's OPEN = what it owes + the escrowed balances it holds for the escrow. */
    distributorHoldsEscrow: boolean;
  };
  /** The verifier's run over the finished chain: every root, settlement and the books recomputed. */
  verification: { ok: boolean; checks: number; mismatches: string[] };
}

/** Reads the finished chain back (events, books, the verifier) into the report. */
export async function buildReport(
  conn: { networkName: string; provider: Provider },
  suite: Suite,
  extra: {
    chainId: bigint;
    outputDir: string;
    stakers: string[];
    rewardsClaimed: DemoStakingReport["rewardsClaimed"];
    slashes: DemoStakingReport["slashes"];
    commitments: DemoReport["attribution"];
    settlements: DemoReport["settlements"];
    settlementAccounts: {
      account: string;
      cumulativeAmount: bigint;
      pairs: { modelId: bigint; amount: bigint }[];
    }[];
    usage: DemoUsageReport;
  },
): Promise<DemoReport> {
  const events = await readSuiteEvents(suite, conn.provider, { indexer: false });
  const ledger = buildLedger(events);
  const books = await suite.distributor.books();
  const verified = await verifyLedger({ suite, provider: conn.provider, events });
  const balance = await suite.token.balanceOf(suite.addresses.distributor);
  const paidIn = ledger.payments.reduce((s, p) => s + p.amount, 0n);
  const distributed =
    ledger.withdrawals.reduce((s, w) => s + w.amount, 0n) +
    ledger.claims.reduce((s, c) => s + c.amount, 0n) +
    books.stakersReleased; // the staker reserve that moved to staking
  const owed = owedFromBooks(books);
  const byModelOf = (account: string) => {
    const row = extra.settlementAccounts.find((a) => a.account === account);
    const out: Record<string, string> = {};
    for (const p of row?.pairs ?? [])
      out[p.modelId.toString()] = (BigInt(out[p.modelId.toString()] ?? "0") + p.amount).toString();
    return out;
  };
  const contributors = [
    ...new Set(
      [...ledger.datanets.values()].flatMap((d) => [...d.contributions.values()].map((c) => c.contributor)),
    ),
  ].sort();
  return {
    network: conn.networkName,
    chainId: extra.chainId.toString(),
    contracts: { ...suite.addresses },
    outputDir: extra.outputDir,
    datanets: [...ledger.datanets.values()].map((d) => ({
      datanetId: d.datanetId.toString(),
      owner: d.owner,
      licence: d.licence,
      contributions: [...d.contributions.values()].map((c) => ({
        contributionId: c.contributionId,
        contributor: c.contributor,
        status: c.status,
        uri: c.uri,
      })),
      versions: d.versions.map((v) => ({
        versionNumber: v.versionNumber.toString(),
        root: v.merkleRoot,
        contributionCount: v.contributionCount.toString(),
      })),
    })),
    models: [...ledger.models.values()].map((m) => ({
      modelId: m.modelId.toString(),
      owner: m.owner,
      baseModelId: m.baseModelId.toString(),
      lineage: lineageOf(ledger, m.modelId).map(String),
      pricePerUnit: m.pricePerUnit.toString(),
      trainingInputs: (m.versions.at(-1)?.trainingInputs ?? []).map((t) => ({
        datanetId: t.datanetId.toString(),
        versionNumber: t.versionNumber.toString(),
        weightBps: t.weightBps,
      })),
    })),
    payments: ledger.payments.map((p) => {
      const trace = tracePayment(ledger, p.transactionHash);
      return {
        ...paymentSplit(p),
        royalty: p.royaltyShare.toString(),
        contributors: p.contributorShare.toString(),
        pool: trace?.finalized
          ? `finalized #${trace.finalized.finalizeSeq} (pool ${trace.finalized.pool})`
          : "pending",
      };
    }),
    attribution: extra.commitments,
    settlements: extra.settlements,
    claims: ledger.claims.map((c) => ({
      account: c.account,
      path: c.path,
      amount: c.amount.toString(),
      ...(c.modelId !== undefined ? { modelId: c.modelId.toString(), epoch: c.epoch!.toString() } : {}),
    })),
    withdrawals: ledger.withdrawals.map((w) => ({
      kind: w.kind,
      to: w.to,
      amount: w.amount.toString(),
      ...(w.modelId !== undefined ? { modelId: w.modelId.toString() } : {}),
    })),
    earnings: contributors.map((account) => {
      const claimed = ledger.claims.filter((c) => c.account === account).reduce((s, c) => s + c.amount, 0n);
      return {
        account,
        contributions: [...ledger.datanets.values()].reduce(
          (n, d) => n + [...d.contributions.values()].filter((c) => c.contributor === account).length,
          0,
        ),
        claimed: claimed.toString(),
        byModel: byModelOf(account),
      };
    }),
    books: {
      paidIn: paidIn.toString(),
      distributed: distributed.toString(),
      owed: owed.toString(),
      distributorBalance: balance.toString(),
      balanced: paidIn === distributed + owed && paidIn === books.paidIn,
      solvent: balance >= owed,
      onChain: Object.fromEntries(
        BOOKS_FIELDS.map((k) => [k, (books as unknown as Record<string, bigint>)[k].toString()]),
      ),
    },
    staking: await stakingReport(suite, extra),
    usage: {
      ...extra.usage,
      distributorHoldsEscrow: balance === owed + BigInt(extra.usage.books.balances),
    },
    verification: {
      ok: verified.ok,
      checks: verified.checks,
      mismatches: verified.mismatches.map(formatMismatch),
    },
  };
}

/** The report as text for a terminal. */
export function formatReport(r: DemoReport): string {
  const o = (wei: string) => `${formatEther(wei)} OPEN`;
  const lines: string[] = [];
  lines.push(`OpenLedger demo on ${r.network} (chain id ${r.chainId})`, "");
  lines.push("Contracts:");
  for (const [k, v] of Object.entries(r.contracts)) lines.push(`  ${k.padEnd(12)} ${v}`);
  lines.push("", "Who contributed what:");
  for (const d of r.datanets) {
    lines.push(`  datanet ${d.datanetId} (owner ${d.owner}, licence bits ${d.licence})`);
    for (const c of d.contributions)
      lines.push(`    ${c.contributionId.slice(0, 10)}… by ${c.contributor}  ${c.status}`);
    for (const v of d.versions)
      lines.push(
        `    version ${v.versionNumber}: ${v.contributionCount} contributions, root ${v.root.slice(0, 10)}…`,
      );
  }
  lines.push("", "Models and lineage:");
  for (const m of r.models) {
    const inputs = m.trainingInputs
      .map((t) => `datanet ${t.datanetId} v${t.versionNumber} @ ${t.weightBps / 100}%`)
      .join(", ");
    lines.push(
      `  model ${m.modelId} (owner ${m.owner}, ${o(m.pricePerUnit)}/unit) base ${m.lineage.length ? m.lineage.join(" <- ") : "none"}; trained on ${inputs}`,
    );
  }
  lines.push("", "Payments and their split:");
  for (const p of r.payments) {
    lines.push(
      `  model ${p.modelId} epoch ${p.epoch}: ${o(p.amount)} -> protocol (treasury + stakers) ${o(p.protocol)}, owner ${o(p.owner)}, royalty ${o(p.royalty)}, contributors ${o(p.contributors)} [${p.pool}]`,
    );
  }
  lines.push("", "Attribution commitments:");
  for (const a of r.attribution)
    lines.push(
      `  model ${a.modelId} epoch ${a.epoch}: ${a.method}, root ${a.root.slice(0, 10)}…, table ${a.table}`,
    );
  lines.push("", "Contributor earnings:");
  for (const e of r.earnings) {
    const by = Object.entries(e.byModel)
      .map(([m, v]) => `model ${m}: ${o(v)}`)
      .join(", ");
    lines.push(
      `  ${e.account}: ${e.contributions} contribution(s), claimed ${o(e.claimed)}${by ? ` (${by})` : ""}`,
    );
  }
  lines.push("", "Claims:");
  for (const c of r.claims)
    lines.push(
      `  ${c.account} ${o(c.amount)} via ${c.path}${c.modelId ? ` (model ${c.modelId} epoch ${c.epoch})` : ""}`,
    );
  lines.push("", `Paid by vouchers (escrow ${r.usage.escrow}):`);
  lines.push(
    `  model ${r.usage.modelId} epoch ${r.usage.epoch}: ${r.usage.inferences} inferences, ${r.usage.units} units, one signature each; payer ${r.usage.payer} deposited ${o(r.usage.deposited)}, charged ${o(r.usage.charged)}`,
  );
  for (const v of r.usage.redemptions)
    lines.push(
      `  VoucherRedeemed at block ${v.block}: ${v.units} units, ${o(v.amount)}, usage root ${v.usageRoot.slice(0, 10)}…`,
    );
  const ub = r.usage.books;
  lines.push(
    `  escrow books: deposited ${o(ub.deposited)} = redeemed ${o(ub.redeemed)} + withdrawn ${o(ub.withdrawn)} + balances ${o(ub.balances)}: ${ub.balanced && r.usage.distributorHoldsEscrow ? "BALANCED (the distributor holds what it owes + the escrowed balances)" : "NOT BALANCED"}`,
  );
  lines.push("", ...formatStakingReport(r.staking));
  lines.push("", "Books:");
  lines.push(`  paid in      ${o(r.books.paidIn)}`);
  lines.push(`  distributed  ${o(r.books.distributed)}`);
  lines.push(`  still owed   ${o(r.books.owed)} (distributor holds ${o(r.books.distributorBalance)})`);
  lines.push(
    `  ${r.books.balanced && r.books.solvent ? "BALANCED: paid in = distributed + owed, and the distributor is solvent" : "NOT BALANCED"}`,
  );
  lines.push(
    `  verifier: ${r.verification.ok ? "OK" : "MISMATCHES"} (${r.verification.checks} checks recomputed from events and published tables)`,
  );
  for (const m of r.verification.mismatches) lines.push(`    ${m}`);
  lines.push("", `Tables, settlements and outputs: ${r.outputDir}`);
  return lines.join("\n");
}
