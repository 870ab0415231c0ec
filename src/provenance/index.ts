/**
 * `ledger show`: the provenance graph as plain JSON-ready views and terminal text. Three
 * questions: what is on the ledger (datanets, contributions, versions, models and lineage,
 * commitments, payments with their split, settlements, claims); what has this contributor
 * earned, from which models; where did this payment go. Everything comes from events and the
 * published tables (read as the verifier reads them, and used only when their root is the
 * committed one).
 */
import { formatEther, type Provider } from "ethers";
import type { WeightTable } from "../attribution/index.js";
import { entitlement } from "../settlement/index.js";
import { readSuiteEvents, type SuiteEvent } from "../sdk/read/events.js";
import {
  configuredIndexer,
  INDEXER_ENV,
  type DatanetRead,
  IndexerClientError,
  readIndexedDatanet,
  readIndexedEvents,
} from "../sdk/read/indexer.js";
import {
  buildLedger,
  contributorSummary,
  lineageOf,
  pairKey,
  tracePayment,
  type CommitmentNode,
  type Ledger,
} from "../sdk/read/ledger.js";
import type { ContributionStatusName } from "../sdk/constants.js";
import type { Suite } from "../sdk/suite.js";
import type { FetchText } from "../verifier/fetch.js";
import { parseTableLenient, readUri, tableRoot } from "../verifier/tables.js";
import { IUsageEscrow__factory } from "../../typechain-types/index.js";
import type { AccountView, EntitledPair, LedgerView, PaymentSplit, PaymentView } from "./views.js";

export type * from "./views.js";

/** Options shared by the views. */
export interface ViewOptions {
  fetchTable?: FetchText;
  /** Events already read. */
  events?: readonly SuiteEvent[];
}

const s = (v: bigint | number): string => v.toString();

async function ledgerOf(suite: Suite, provider: Provider, options: ViewOptions): Promise<Ledger> {
  return buildLedger(options.events ?? (await readSuiteEvents(suite, provider)));
}

/** A view of one thing (`key`: an account, a payment's transaction hash) read from the suite's ledger. */
export type LedgerQuery<K, V> = (
  suite: Suite,
  provider: Provider,
  key: K,
  options?: ViewOptions,
) => Promise<V>;

/** The {@link LedgerQuery} that reads the ledger (events given in the options, or the logs) and renders `view` of it. */
function ledgerQuery<K, V>(
  view: (ledger: Ledger, key: K, options: ViewOptions) => Promise<V>,
): LedgerQuery<K, V> {
  return async (suite, provider, key, options = {}) =>
    view(await ledgerOf(suite, provider, options), key, options);
}

/** The committed table of a commitment when it can be read and its root is the committed one. */
async function committedTable(
  c: CommitmentNode,
  fetchTable?: FetchText,
): Promise<{ table?: WeightTable; problem?: string }> {
  try {
    const table = parseTableLenient(await readUri(c.uri, fetchTable));
    if (tableRoot(table) !== c.root)
      return { problem: `the table at ${c.uri} does not match the committed root` };
    return { table };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** A payment and its split, amounts in wei as decimal strings. */
export function paymentSplit(p: Ledger["payments"][number]): PaymentSplit {
  return {
    tx: p.transactionHash,
    modelId: s(p.modelId),
    epoch: s(p.epoch),
    payer: p.payer,
    amount: s(p.amount),
    protocol: s(p.protocolShare),
    owner: s(p.ownerShare),
  };
}

/** Pool inflow of one payment: amount minus the protocol share (treasury + stakers), owner and royalties credited. */
function poolInflow(ledger: Ledger, p: Ledger["payments"][number]): bigint {
  const royalties = ledger.royalties
    .filter((r) => r.transactionHash === p.transactionHash)
    .reduce((sum, r) => sum + r.amount, 0n);
  return p.amount - p.protocolShare - p.ownerShare - royalties;
}

// ----------------------------------------------------------------------------- whole ledger

/** The whole provenance graph. Amounts in wei as decimal strings. */
export async function ledgerView(
  suite: Suite,
  provider: Provider,
  options: ViewOptions = {},
): Promise<LedgerView> {
  return viewOfLedger(await ledgerOf(suite, provider, options));
}

/**
 * `limitContributions(filterContributions(await ledgerView(...), { datanetId, status }), limit)`
 * without reading the whole ledger when an indexer is configured (`indexer`, else
 * `OPENLEDGER_INDEXER`): the datanet comes from the index's tables (the contributions listed and
 * the count of those matching, and its versions, not their events), everything else from the
 * index's events but the datanet registry's, and the blocks the index has not reached from the
 * logs; the same view as from the logs at a cost of the contributions listed, not the ledger's.
 * When the blocks after the index's cursor change the datanet's contributions, its every
 * contribution is read and the list bounded after the fold. Without an indexer it is the whole
 * ledger read from the logs, then filtered and bounded. `limit`: the most contributions listed
 * (all when undefined).
 */
export async function datanetLedgerView(
  suite: Suite,
  provider: Provider,
  filter: ContributionFilter & { datanetId: string },
  options: { indexer?: string; started?: DatanetRead; limit?: number } = {},
): Promise<LedgerView> {
  const { limit } = options;
  const indexer = configuredIndexer(options.indexer);
  if (indexer === undefined)
    return limitContributions(filterContributions(await ledgerView(suite, provider), filter), limit);
  const [{ chainId }, toBlock] = await Promise.all([provider.getNetwork(), provider.getBlockNumber()]);
  const expected = { chainId, addresses: suite.addresses };
  const datanetId = BigInt(filter.datanetId);
  // Only the contributions listed, unless the blocks after the cursor change the datanet.
  let selection = limit === undefined ? {} : { limit, status: filter.status };
  let started = options.started;
  // The datanet's tables and the other events, read side by side; the events must reach the
  // block the datanet was read at (the index may move on between the two reads: then again).
  for (let attempt = 1; ; attempt++) {
    const [{ datanet, matched, indexedTo }, indexed] = await Promise.all([
      readIndexedDatanet(indexer, expected, datanetId, started, selection),
      readIndexedEvents(indexer, expected, { toBlock, exceptContracts: ["datanets"] }),
    ]);
    started = undefined;
    const upTo = Math.min(indexedTo, toBlock);
    if (indexed.indexedTo < upTo) {
      if (attempt < 5) continue;
      throw new IndexerClientError(
        `indexer at ${indexer} moved on while it was read, five times: retry, or unset ${INDEXER_ENV} to read the logs`,
      );
    }
    const events = indexed.events.filter((e) => e.blockNumber <= upTo);
    // The blocks after the index's cursor, every contract's events (the datanet's included).
    const rest =
      upTo < toBlock
        ? await readSuiteEvents(suite, provider, { indexer: false, fromBlock: upTo + 1, toBlock })
        : [];
    const bounded = selection.limit !== undefined;
    if (bounded && rest.some((e) => e.contract === "datanets" && e.args.datanetId === datanetId)) {
      selection = {};
      continue;
    }
    const ledger = buildLedger([...events, ...rest], datanet ? [datanet] : []);
    const view = limitContributions(filterContributions(viewOfLedger(ledger), filter), limit);
    if (!bounded) return view;
    // The index sent the listed ones; it counted the rest.
    const datanets = view.datanets.map((d) => ({
      ...d,
      contributionsMatched: matched,
      contributionsNotListed: matched - d.contributions.length,
    }));
    return { ...view, datanets };
  }
}

/** The view of a folded ledger. */
function viewOfLedger(ledger: Ledger): LedgerView {
  return {
    datanets: [...ledger.datanets.values()].map((d) => ({
      datanetId: s(d.datanetId),
      owner: d.owner,
      licence: d.licence,
      metadataURI: d.metadataURI,
      contributions: [...d.contributions.values()].map((c) => ({
        contributionId: c.contributionId,
        contributor: c.contributor,
        contentHash: c.contentHash,
        status: c.status,
        uri: c.uri,
      })),
      contributionsMatched: d.contributions.size,
      contributionsNotListed: 0,
      versions: d.versions.map((v) => ({
        versionNumber: s(v.versionNumber),
        root: v.merkleRoot,
        contributionCount: s(v.contributionCount),
        parentVersion: s(v.parentVersion),
        uri: v.uri,
      })),
    })),
    models: [...ledger.models.values()].map((m) => ({
      modelId: s(m.modelId),
      owner: m.owner,
      baseModelId: s(m.baseModelId),
      lineage: lineageOf(ledger, m.modelId).map(String),
      pricePerUnit: s(m.pricePerUnit),
      retired: m.retired,
      versions: m.versions.map((v) => ({
        versionNumber: s(v.versionNumber),
        artifactHash: v.artifactHash,
        trainingInputs: v.trainingInputs.map((t) => ({
          datanetId: s(t.datanetId),
          versionNumber: s(t.versionNumber),
          weightBps: t.weightBps,
        })),
      })),
    })),
    commitments: [...ledger.commitments.values()].map((c) => ({
      modelId: s(c.modelId),
      epoch: s(c.epoch),
      root: c.root,
      totalWeight: s(c.totalWeight),
      methodId: c.methodId,
      uri: c.uri,
      finalAt: s(c.finalAt),
      state: c.voided ? "voided" : c.challenged ? "challenged" : "committed",
      finalized: ledger.finalized.has(pairKey(c.modelId, c.epoch)),
    })),
    payments: ledger.payments.map((p) => {
      const f = ledger.finalized.get(pairKey(p.modelId, p.epoch));
      const rolled = ledger.rolls.find((r) => r.modelId === p.modelId && r.fromEpoch === p.epoch);
      return {
        ...paymentSplit(p),
        royalty: s(p.royaltyShare),
        contributors: s(poolInflow(ledger, p)),
        pool: f
          ? `finalized #${f.finalizeSeq}`
          : rolled
            ? `rolled forward to epoch ${rolled.toEpoch}`
            : "pending",
      };
    }),
    settlements: [...ledger.settlements, ...ledger.rejectedSettlements]
      .sort((a, b) => a.blockNumber - b.blockNumber)
      .map((x) => ({
        id: s(x.id),
        root: x.root,
        total: s(x.total),
        coveredThroughSeq: s(x.coveredThroughSeq),
        uri: x.uri,
        status: x.status,
        operator: x.operator,
        activatesAt: s(x.activatesAt),
      })),
    disputes: ledger.disputes.map((d) => ({
      root: d.root,
      proposal: s(d.proposal),
      operator: d.operator,
      disputer: d.disputer,
      slashed: s(d.slashed),
      reward: s(d.reward),
      tx: d.transactionHash,
    })),
    claims: ledger.claims.map((c) => ({
      account: c.account,
      path: c.path,
      amount: s(c.amount),
      ...(c.modelId !== undefined ? { modelId: s(c.modelId), epoch: s(c.epoch!) } : {}),
      tx: c.transactionHash,
    })),
    withdrawals: ledger.withdrawals.map((w) => ({
      kind: w.kind,
      to: w.to,
      amount: s(w.amount),
      ...(w.modelId !== undefined ? { modelId: s(w.modelId) } : {}),
    })),
    rolls: ledger.rolls.map((r) => ({
      modelId: s(r.modelId),
      fromEpoch: s(r.fromEpoch),
      toEpoch: s(r.toEpoch),
      amount: s(r.amount),
    })),
  };
}

/** What `filterContributions` keeps: contributions of one status, datanets of one id. */
export interface ContributionFilter {
  status?: ContributionStatusName;
  datanetId?: string;
}

/**
 * The ledger view narrowed to one datanet and/or one contribution status (a curator's queue:
 * `status: "Pending"`). Models, payments and settlements are kept as they are. Of a view whose
 * lists are whole (before {@link limitContributions}).
 */
export function filterContributions(view: LedgerView, filter: ContributionFilter): LedgerView {
  const datanets = view.datanets
    .filter((d) => filter.datanetId === undefined || d.datanetId === filter.datanetId)
    .map((d) => {
      const contributions = d.contributions.filter(
        (c) => filter.status === undefined || c.status === filter.status,
      );
      return { ...d, contributions, contributionsMatched: contributions.length, contributionsNotListed: 0 };
    });
  return { ...view, datanets };
}

/**
 * The view with each datanet's list bounded to its first `limit` contributions (all when
 * undefined), saying how many it left out; every other figure is kept as it is.
 */
export function limitContributions(view: LedgerView, limit: number | undefined): LedgerView {
  if (limit === undefined) return view;
  const datanets = view.datanets.map((d) => {
    const contributions = d.contributions.slice(0, limit);
    return {
      ...d,
      contributions,
      contributionsNotListed: d.contributionsMatched - contributions.length,
    };
  });
  return { ...view, datanets };
}

const o = (wei: string | bigint) => `${formatEther(wei)} OPEN`;
/** A weight with its digits grouped (`1,000,000,000,000,000,000`): totals are 10^18 by default. */
const g = (n: string | bigint) => BigInt(n).toLocaleString("en-US");
/** A weight as a share of its total, in percent with two decimals (rounded down): `36.50%`. */
const share = (weight: string | bigint, total: string | bigint) => {
  if (BigInt(total) === 0n) return "-";
  const basisPoints = (BigInt(weight) * 10_000n) / BigInt(total);
  return `${basisPoints / 100n}.${String(basisPoints % 100n).padStart(2, "0")}%`;
};

/** The whole ledger as text. */
export function formatLedgerView(v: LedgerView): string {
  const lines: string[] = ["Datanets and contributions:"];
  for (const d of v.datanets) {
    lines.push(`  datanet ${d.datanetId} (owner ${d.owner}, licence bits ${d.licence}) ${d.metadataURI}`);
    for (const c of d.contributions)
      lines.push(`    ${c.contributionId} by ${c.contributor}  ${c.status}  ${c.uri}`);
    if (d.contributionsNotListed > 0)
      lines.push(
        `    ... ${d.contributionsNotListed.toLocaleString("en-US")} more contribution${d.contributionsNotListed === 1 ? "" : "s"} not listed (${d.contributionsMatched.toLocaleString("en-US")} in all): --all lists every one, a larger --limit more`,
      );
    for (const x of d.versions)
      lines.push(
        `    version ${x.versionNumber} (parent ${x.parentVersion}): ${x.contributionCount} contributions, root ${x.root}`,
      );
  }
  lines.push("", "Models and lineage:");
  for (const m of v.models) {
    const inputs = (m.versions.at(-1)?.trainingInputs ?? [])
      .map((t) => `datanet ${t.datanetId} v${t.versionNumber} @ ${t.weightBps / 100}%`)
      .join(", ");
    lines.push(
      `  model ${m.modelId} (owner ${m.owner}, ${o(m.pricePerUnit)}/unit${m.retired ? ", retired" : ""}) base ${m.lineage.length ? m.lineage.join(" <- ") : "none"}; trained on ${inputs || "nothing declared"}`,
    );
  }
  lines.push("", "Attribution commitments:");
  for (const c of v.commitments)
    lines.push(
      `  model ${c.modelId} epoch ${c.epoch}: root ${c.root}, total weight ${g(c.totalWeight)}, method ${c.methodId}, ${c.state}${c.finalized ? ", finalised" : ""}, table ${c.uri}`,
    );
  lines.push("", "Payments and their split:");
  for (const p of v.payments)
    lines.push(
      `  ${p.tx} model ${p.modelId} epoch ${p.epoch}: ${o(p.amount)} -> protocol (treasury + stakers) ${o(p.protocol)}, owner ${o(p.owner)}, royalty ${o(p.royalty)}, contributors ${o(p.contributors)} [${p.pool}]`,
    );
  lines.push("", "Settlements:");
  for (const x of v.settlements)
    lines.push(
      `  #${x.id}: root ${x.root}, total ${o(x.total)}, covers finalizeSeq <= ${x.coveredThroughSeq}, ${x.status}${x.status === "pending" ? ` (dispute window closes at ${x.activatesAt})` : ""}, posted by ${x.operator}, ${x.uri}`,
    );
  if (v.disputes.length > 0) lines.push("", "Settlement disputes:");
  for (const d of v.disputes)
    lines.push(
      `  root ${d.root} (proposal ${d.proposal}) rejected: ${d.disputer} proved it wrong; operator ${d.operator} slashed ${o(d.slashed)}, disputer rewarded ${o(d.reward)} (tx ${d.tx})`,
    );
  lines.push("", "Claims:");
  for (const c of v.claims)
    lines.push(
      `  ${c.account} ${o(c.amount)} via ${c.path}${c.modelId ? ` (model ${c.modelId} epoch ${c.epoch})` : ""}`,
    );
  lines.push("", "Withdrawals:");
  for (const w of v.withdrawals)
    lines.push(`  ${w.kind}${w.modelId ? ` of model ${w.modelId}` : ""}: ${o(w.amount)} to ${w.to}`);
  return lines.join("\n");
}

// ----------------------------------------------------------------------------- one account

/** What an account contributed, what it is entitled to from which models, and what it claimed. */
export const accountView: LedgerQuery<string, AccountView> = ledgerQuery(async (ledger, account, options) => {
  const summary = contributorSummary(ledger, account);
  const who = summary.account;
  const byModel = new Map<string, EntitledPair[]>();
  const pending: AccountView["pending"] = [];
  const unreadable: string[] = [];
  let entitled = 0n;
  for (const c of ledger.commitments.values()) {
    if (c.voided) continue;
    const { table, problem } = await committedTable(c, options.fetchTable);
    if (!table) {
      unreadable.push(`model ${c.modelId} epoch ${c.epoch}: ${problem}`);
      continue;
    }
    const row = table.entries.find((e) => e.contributor === who);
    if (!row) continue;
    const f = ledger.finalized.get(pairKey(c.modelId, c.epoch));
    if (!f) {
      pending.push({
        modelId: s(c.modelId),
        epoch: s(c.epoch),
        weight: s(row.weight),
        totalWeight: s(c.totalWeight),
      });
      continue;
    }
    const amount = entitlement(f.pool, row.weight, c.totalWeight);
    entitled += amount;
    const rows = byModel.get(s(c.modelId)) ?? [];
    rows.push({
      epoch: s(c.epoch),
      weight: s(row.weight),
      totalWeight: s(c.totalWeight),
      pool: s(f.pool),
      amount: s(amount),
      finalizeSeq: s(f.finalizeSeq),
    });
    byModel.set(s(c.modelId), rows);
  }
  const paid = (path: "settlement" | "direct") =>
    summary.claims.filter((c) => c.path === path).reduce((sum, c) => sum + c.amount, 0n);
  return {
    account: who,
    contributions: summary.contributions.map((c) => ({
      datanetId: s(c.datanetId),
      contributionId: c.contributionId,
      status: c.status,
      uri: c.uri,
    })),
    byModel: [...byModel.entries()]
      .sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1))
      .map(([modelId, pairs]) => ({
        modelId,
        lineage: lineageOf(ledger, BigInt(modelId)).map(String),
        earned: s(pairs.reduce((sum, p) => sum + BigInt(p.amount), 0n)),
        pairs,
      })),
    pending,
    entitled: s(entitled),
    claimed: { settlement: s(paid("settlement")), direct: s(paid("direct")), total: s(summary.claimed) },
    unclaimed: s(entitled - summary.claimed),
    claims: summary.claims.map((c) => ({
      path: c.path,
      amount: s(c.amount),
      tx: c.transactionHash,
      ...(c.modelId !== undefined ? { modelId: s(c.modelId), epoch: s(c.epoch!) } : {}),
    })),
    unreadable,
  };
});

/** An account's view as text. */
export function formatAccountView(v: AccountView): string {
  const lines = [`Account ${v.account}`, "", `Contributions (${v.contributions.length}):`];
  for (const c of v.contributions)
    lines.push(`  datanet ${c.datanetId}: ${c.contributionId} ${c.status} ${c.uri}`);
  lines.push("", "Earned, by model (finalised epochs, floor(pool x weight / total)):");
  if (v.byModel.length === 0) lines.push("  nothing yet");
  for (const m of v.byModel) {
    lines.push(
      `  model ${m.modelId}${m.lineage.length ? ` (base ${m.lineage.join(" <- ")})` : ""}: ${o(m.earned)}`,
    );
    for (const p of m.pairs)
      lines.push(
        `    epoch ${p.epoch}: weight ${g(p.weight)}/${g(p.totalWeight)} (${share(p.weight, p.totalWeight)}) of pool ${o(p.pool)} = ${o(p.amount)}`,
      );
  }
  for (const p of v.pending)
    lines.push(
      `  model ${p.modelId} epoch ${p.epoch}: weight ${g(p.weight)}/${g(p.totalWeight)} (${share(p.weight, p.totalWeight)}), not finalised yet`,
    );
  lines.push(
    "",
    `Entitled ${o(v.entitled)}; claimed ${o(v.claimed.total)} (settlement ${o(v.claimed.settlement)}, direct ${o(v.claimed.direct)}); unclaimed ${o(v.unclaimed)}`,
  );
  for (const u of v.unreadable) lines.push(`  (table not used: ${u})`);
  return lines.join("\n");
}

// ----------------------------------------------------------------------------- one payment

/** Raised when a transaction hash is not a payment of this suite. */
export class UnknownPaymentError extends Error {
  override name = "UnknownPaymentError";
}

/**
 * Where a payment went: its split, its royalties, its pool and the pool's contributors; for a
 * payment redeemed from usage vouchers (its payer is the usage escrow), the vouchers redeemed in
 * the same transaction (`VoucherRedeemed`: the app that paid, the usage root, units and amount).
 */
export const paymentView: LedgerQuery<string, PaymentView> = async (
  suite,
  provider,
  transactionHash,
  options = {},
) => {
  const view = await paymentSplitView(suite, provider, transactionHash, options);
  const receipt = await provider.getTransactionReceipt(transactionHash);
  const escrowEvents = IUsageEscrow__factory.createInterface();
  const vouchers: PaymentView["vouchers"] = [];
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== view.payer.toLowerCase()) continue;
    const parsed = escrowEvents.parseLog(log);
    if (parsed?.name !== "VoucherRedeemed" || BigInt(parsed.args.modelId as bigint) !== BigInt(view.modelId))
      continue;
    vouchers.push({
      payer: parsed.args.payer as string,
      usageRoot: parsed.args.usageRoot as string,
      units: s(parsed.args.units as bigint),
      amount: s(parsed.args.amount as bigint),
    });
  }
  return { ...view, vouchers };
};

const paymentSplitView: LedgerQuery<string, Omit<PaymentView, "vouchers">> = ledgerQuery(
  async (ledger, transactionHash, options) => {
    const trace = tracePayment(ledger, transactionHash);
    if (!trace)
      throw new UnknownPaymentError(`${transactionHash} is not a payment (no Paid event) of this suite`);
    const { payment: p } = trace;
    const pool = poolInflow(ledger, p);
    const contributors: PaymentView["contributors"] = [];
    let table: WeightTable | undefined;
    let problem: string | undefined;
    if (trace.commitment && !trace.commitment.voided)
      ({ table, problem } = await committedTable(trace.commitment, options.fetchTable));
    if (table && trace.commitment) {
      for (const e of table.entries)
        contributors.push({
          account: e.contributor,
          weight: s(e.weight),
          amount: s(entitlement(pool, e.weight, trace.commitment.totalWeight)),
        });
    }
    return {
      ...paymentSplit(p),
      block: p.blockNumber,
      royalties: trace.royalties.map((r) => ({ modelId: s(r.ancestorModelId), amount: s(r.amount) })),
      pool: s(pool),
      poolState: trace.finalized
        ? `finalized #${trace.finalized.finalizeSeq} (pair pool ${o(trace.finalized.pool)})`
        : trace.rolledForwardTo !== undefined
          ? `rolled forward to epoch ${trace.rolledForwardTo}`
          : "pending",
      commitment: trace.commitment
        ? {
            root: trace.commitment.root,
            totalWeight: s(trace.commitment.totalWeight),
            uri: trace.commitment.uri,
          }
        : undefined,
      contributors,
      tableProblem: problem,
      directClaims: trace.directClaims.map((c) => ({
        account: c.account,
        amount: s(c.amount),
        tx: c.transactionHash,
      })),
    };
  },
);

/** A payment's view as text. */
export function formatPaymentView(v: PaymentView): string {
  const lines = [
    `Payment ${v.tx} (block ${v.block}) by ${v.payer}: ${o(v.amount)} for model ${v.modelId}, epoch ${v.epoch}`,
    `  protocol      ${o(v.protocol)} (treasury and staker reserve)`,
    `  model owner   ${o(v.owner)}`,
    ...v.royalties.map((r) => `  royalty       ${o(r.amount)} to the owner of base model ${r.modelId}`),
    `  contributors  ${o(v.pool)} into the pool of model ${v.modelId} epoch ${v.epoch}: ${v.poolState}`,
  ];
  if (v.commitment) lines.push(`  attribution   root ${v.commitment.root}, table ${v.commitment.uri}`);
  else lines.push("  attribution   none committed yet");
  if (v.contributors.length > 0) {
    lines.push("  this payment's contributor share by weight (floor):");
    for (const c of v.contributors) lines.push(`    ${c.account}  ${o(c.amount)} (weight ${c.weight})`);
  }
  if (v.tableProblem) lines.push(`  (table not used: ${v.tableProblem})`);
  for (const c of v.directClaims)
    lines.push(`  direct claim of the pair: ${c.account} ${o(c.amount)} (${c.tx})`);
  for (const u of v.vouchers)
    lines.push(
      `  paid by voucher: ${u.payer} ${u.units} units ${o(u.amount)}, usage root ${u.usageRoot} (VoucherRedeemed)`,
    );
  return lines.join("\n");
}
